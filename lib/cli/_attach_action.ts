/**
 * What `xp attach` does: reads the run's record and runs its `xp run` again where it was run;
 * the scheduler follows trials whose status holds a live Slurm job instead of resubmitting them.
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "../errors.ts";
import { latestRunId } from "../run/slurm_trials.ts";
import { runDir, type RunRecord, storeLayout } from "../store/mod.ts";
import type { AttachArgs } from "./attach.ts";
import type { Deps } from "./command.ts";
import { runCommand } from "./run.ts";
import { runExperiment } from "./_run_action.ts";
import { findStoreRoot } from "./_query_store.ts";

/** Runs `xp attach`; returns the exit code. */
export async function attachRun(args: AttachArgs, deps: Deps): Promise<number> {
  const root = await findStoreRoot(deps);
  const layout = storeLayout(root);
  const runId = args.run ?? await latestRunId(layout);
  if (runId === undefined) {
    throw new UsageError("The store has no runs", { hint: "run xp run first" });
  }
  let record: RunRecord;
  try {
    record = JSON.parse(await Deno.readTextFile(join(runDir(layout, runId), "run.json")));
  } catch {
    throw new UsageError(`No run "${runId}" in the store`, { hint: "see xp ls --runs" });
  }
  const [, ...argv] = record.argv;
  const runArgs = runCommand.parse(argv);
  // The same store, wherever it was found: the recorded command may have relied on --store.
  return await runExperiment(runArgs, {
    ...deps,
    cwd: record.cwd,
    global: { ...deps.global, store: root },
  });
}
