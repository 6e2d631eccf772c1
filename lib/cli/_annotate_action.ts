/**
 * What `xp tag` and `xp note` do: write the files beside the trial, then index the trial again
 * so that SQL, `xp ls` and the viewer see the change at once.
 *
 * @module
 */

import { join } from "node:path";
import { EXIT } from "../errors.ts";
import { readNote, updateTags, writeNote } from "../store/annotations.ts";
import { runDir, trialDir } from "../store/layout.ts";
import type { Store } from "../store/store.ts";
import { resolveTrial } from "../query/resolve.ts";
import type { Deps } from "./command.ts";
import type { NoteArgs } from "./note.ts";
import type { TagArgs } from "./tag.ts";
import { withQueryStore } from "./_query_store.ts";

/** Runs `xp tag`; returns the exit code. */
export function tagTrials(args: TagArgs, deps: Deps): Promise<number> {
  return withQueryStore(deps, async (store) => {
    const keys = (await runKeys(store, args.target)) ??
      [(await resolveTrial(store, args.target, "xp tag")).key];
    for (const key of keys) {
      const tags = await updateTags(trialDir(store.layout, key), args.changes);
      if (!deps.global.quiet) {
        const shown = Object.entries(tags).map(([n, v]) => `${n}=${v}`).join(" ");
        deps.output.out(`${key.slice(0, 12)}  ${shown || "(no tags)"}`);
      }
    }
    await reindex(store, keys, deps);
    return EXIT.ok;
  });
}

/** Runs `xp note`; returns the exit code. */
export function noteTrial(args: NoteArgs, deps: Deps): Promise<number> {
  return withQueryStore(deps, async (store) => {
    const found = await resolveTrial(store, args.trial, "xp note");
    const dir = trialDir(store.layout, found.key);
    if (args.text === undefined) {
      const note = await readNote(dir);
      if (note !== null) deps.output.out(note);
      return EXIT.ok;
    }
    await writeNote(dir, args.text);
    await reindex(store, [found.key], deps);
    return EXIT.ok;
  });
}

/** The trials of the run `id` (from its `run.json`), or `undefined` when no run has that id. */
async function runKeys(store: Store, id: string): Promise<string[] | undefined> {
  if (id.includes("/") || id.startsWith(".")) return undefined;
  try {
    const record = JSON.parse(await Deno.readTextFile(join(runDir(store.layout, id), "run.json")));
    const keys: string[] = [];
    // A blocked trial of the run never got a directory: nothing to tag.
    for (const key of Object.keys(record?.trials ?? {})) {
      if (await Deno.stat(trialDir(store.layout, key)).then(() => true, () => false)) {
        keys.push(key);
      }
    }
    return keys;
  } catch {
    return undefined;
  }
}

/** Indexes the trials again; a trial still running is indexed (with its tags) when it ends. */
async function reindex(store: Store, keys: readonly string[], deps: Deps): Promise<void> {
  const report = await store.ingest(keys);
  for (const warning of report.warnings) {
    if (!/has not finished/.test(warning)) deps.output.err(`warning: ${warning}`);
  }
}
