/**
 * Finding the trial a user means by `TRIAL`: a key prefix or a trial name (or `STAGE/NAME`).
 * Key prefixes are matched against the store's trial directories, so a trial that is running
 * and not in the index yet is found too; names are looked up in the index, then in the files.
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "../errors.ts";
import type { StoreLayout } from "../store/layout.ts";
import type { Store } from "../store/store.ts";
import { closest } from "./closest.ts";
import { subdirectories } from "../store/subdirectories.ts";

/** A trial found by {@linkcode resolveTrial}. */
export interface FoundTrial {
  /** Its key. */
  key: string;
  /** Its directory. */
  dir: string;
  /** Its stage, when known. */
  stage: string;
  /** Its name, when known. */
  name: string;
  /** Its state, when known. */
  status: string;
}

/** What {@linkcode resolveTrial} needs of a store. */
export type ResolveStore = Pick<Store, "query" | "layout">;

/**
 * The one trial `ref` names.
 *
 * @throws {UsageError} when none matches (with close names), or several do (listing them)
 */
export async function resolveTrial(
  store: ResolveStore,
  ref: string,
  command = "xp show",
): Promise<FoundTrial> {
  const found = await findTrials(store, ref);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    const ofStage = await stageTrials(store, ref);
    if (ofStage.length > 0) {
      const listed = ofStage.slice(0, 3).map((t) => quoteArg(`${ref}/${t}`)).join(", ");
      throw new UsageError(`No trial "${ref}" in ${store.layout.root}: it is a stage`, {
        hint: `name one of its trials as STAGE/NAME: ${listed}${ofStage.length > 3 ? ", …" : ""}`,
      });
    }
    const names = await trialNames(store);
    const near = closest(ref, names, 3);
    throw new UsageError(`No trial "${ref}" in ${store.layout.root}`, {
      hint: near.length > 0
        ? `did you mean ${near.map((n) => `"${n}"`).join(" or ")}?`
        : 'give a key prefix or a trial name; "xp ls" lists the trials',
    });
  }
  const shown = found.slice(0, 20).map((t) =>
    `  ${t.key.slice(0, 12)}  ${t.stage}/${t.name}  ${t.status}`
  );
  if (found.length > 20) shown.push(`  … and ${found.length - 20} more`);
  const example = found.find((t) => t.stage !== "?") ?? found[0]!;
  throw new UsageError(`"${ref}" matches ${found.length} trials:\n${shown.join("\n")}`, {
    hint: `give a longer key prefix or STAGE/NAME, e.g. ${command} ${
      quoteArg(`${example.stage}/${example.name}`)
    }`,
  });
}

/** Every trial `ref` could mean: key prefix matches, else exact name or STAGE/NAME matches. */
export async function findTrials(store: ResolveStore, ref: string): Promise<FoundTrial[]> {
  const byKey = new Map<string, FoundTrial>();
  if (/^[0-9a-f]+$/i.test(ref)) {
    for (const key of await subdirectories(store.layout.trials)) {
      if (key.startsWith(ref.toLowerCase())) byKey.set(key, await describe(store.layout, key));
    }
  }
  if (byKey.size > 0) return [...byKey.values()];
  const indexed = await store.query(
    "select key, stage, name, status from trials where name = ? or stage || '/' || name = ? order by stage, name",
    [ref, ref],
  );
  for (const [key, stage, name, status] of indexed.rows) {
    const k = String(key);
    byKey.set(k, {
      key: k,
      dir: join(store.layout.trials, k),
      stage: String(stage),
      name: String(name),
      status: String(status),
    });
  }
  if (byKey.size > 0) return [...byKey.values()];
  // Not in the index: a trial that is running, or one not ingested yet.
  for (const key of await subdirectories(store.layout.trials)) {
    const trial = await describe(store.layout, key);
    if (trial.name === ref || `${trial.stage}/${trial.name}` === ref) byKey.set(key, trial);
  }
  return [...byKey.values()];
}

/** A trial's stage, name and state from its files ("?" where a file is missing). */
async function describe(layout: StoreLayout, key: string): Promise<FoundTrial> {
  const dir = join(layout.trials, key);
  const meta = await readJson(join(dir, "meta.json"));
  const status = await readJson(join(dir, "status.json"));
  return {
    key,
    dir,
    stage: typeof meta?.stage === "string" ? meta.stage : "?",
    name: typeof meta?.name === "string" ? meta.name : "?",
    status: typeof status?.state === "string" ? status.state : "?",
  };
}

/** The names of the trials of stage `stage` (none when it is not a stage). */
async function stageTrials(store: ResolveStore, stage: string): Promise<string[]> {
  const result = await store.query("select name from trials where stage = ? order by name", [
    stage,
  ]);
  return result.rows.map((r) => String(r[0]));
}

async function trialNames(store: ResolveStore): Promise<string[]> {
  const result = await store.query("select distinct name from trials");
  return result.rows.map((r) => String(r[0]));
}

/** Parses a JSON file; `undefined` when it is missing or not JSON. */
export async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value = JSON.parse(await Deno.readTextFile(path));
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `ARG`, or `"ARG"` when a shell would split it. */
function quoteArg(text: string): string {
  return /^[\w./=,:+-]+$/.test(text) ? text : `"${text.replaceAll('"', '\\"')}"`;
}
