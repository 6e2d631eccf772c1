/**
 * What `xp run --from RUN_OR_TRIAL` names in the store: a run (its id, or `latest`), else one
 * trial (a key prefix, a name, or STAGE/NAME, as `xp show` takes it); with the stage, name and
 * effective params of the trials a fork can start from, read from their files.
 *
 * @module
 */

import type { JsonObject } from "../config/mod.ts";
import { UsageError } from "../errors.ts";
import type { ForkCandidate, ForkSource } from "../plan/mod.ts";
import { closest } from "../query/closest.ts";
import { findTrials, readJson, type ResolveStore, resolveTrial } from "../query/resolve.ts";
import {
  openStore,
  type Store,
  type StoreLayout,
  storeLayout,
  subdirectories,
  trialDir,
  trialFile,
} from "../store/mod.ts";
import { chosenRunId, LATEST_RUN, readRunRecord } from "./_run_choice.ts";

/**
 * Resolves `ref` in the store at `root`. The index is opened only to look a trial up by name.
 *
 * @throws {UsageError} when the store does not exist, or nothing (or several trials) match
 */
export async function resolveForkSource(root: string, ref: string): Promise<ForkSource> {
  const layout = storeLayout(root);
  if (!(await Deno.stat(layout.trials).then((s) => s.isDirectory, () => false))) {
    throw new UsageError(`--from ${ref}: the store ${root} has no trials to fork from`, {
      hint: "run the experiment first, or point --store at the store that has them",
    });
  }
  const runIds = await subdirectories(layout.runs);
  if (ref === LATEST_RUN || runIds.includes(ref)) {
    const runId = await chosenRunId(layout, ref);
    return { kind: "run", runId, trials: await runTrials(layout, runId) };
  }
  let opened: Store | undefined;
  const store: ResolveStore = {
    layout,
    async query(sql, params) {
      opened ??= await openStore(root, { catchUp: false });
      return await opened.query(sql, params);
    },
  };
  try {
    const found = await findTrials(store, ref);
    if (found.length === 0) {
      const names = (await store.query("select distinct name from trials")).rows.map((r) =>
        String(r[0])
      );
      const near = closest(ref, [LATEST_RUN, ...runIds, ...names], 3);
      throw new UsageError(`--from ${ref}: no run or trial "${ref}" in ${root}`, {
        hint: near.length > 0
          ? `did you mean ${near.map((n) => `"${n}"`).join(" or ")}?`
          : 'give a run id ("xp ls --runs"), latest, a trial key prefix or a trial name',
      });
    }
    // Several matches: the same message as `xp show` gives, listing them.
    const { key } = found.length === 1
      ? found[0]!
      : await resolveTrial(store, ref, "xp run --from");
    const trial = await candidate(layout, key);
    if (trial === undefined) {
      throw new UsageError(`--from ${ref}: trial ${key} has no readable meta.json`, {
        hint: `its directory ${trialDir(layout, key)} is incomplete; fork from another trial`,
      });
    }
    return { kind: "trial", trial };
  } finally {
    await opened?.close();
  }
}

/** The run's trials that have files, in the run's order (a blocked trial never got any). */
async function runTrials(layout: StoreLayout, runId: string): Promise<ForkCandidate[]> {
  const keys = Object.keys((await readRunRecord(layout, runId)).trials ?? {});
  const found: ForkCandidate[] = [];
  // A bounded batch keeps file handles in check on big runs.
  for (let i = 0; i < keys.length; i += 256) {
    const batch = await Promise.all(keys.slice(i, i + 256).map((k) => candidate(layout, k)));
    for (const trial of batch) if (trial !== undefined) found.push(trial);
  }
  return found;
}

async function candidate(layout: StoreLayout, key: string): Promise<ForkCandidate | undefined> {
  const dir = trialDir(layout, key);
  const [meta, config] = await Promise.all([
    readJson(trialFile(dir, "meta")),
    readJson(trialFile(dir, "config")),
  ]);
  if (typeof meta?.stage !== "string") return undefined;
  return {
    key,
    stage: meta.stage,
    name: typeof meta.name === "string" ? meta.name : key.slice(0, 8),
    params: (config ?? {}) as JsonObject,
  };
}
