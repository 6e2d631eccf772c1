/**
 * What `xp attach` does: reads the run's record and runs its `xp run` again where it was run
 * (without `--detach`); the scheduler follows trials whose status holds a Slurm job instead of
 * resubmitting them, and submits what has become ready.
 *
 * @module
 */

import { storeLayout } from "../store/mod.ts";
import type { AttachArgs } from "./attach.ts";
import type { Deps } from "./command.ts";
import { runCommand } from "./run.ts";
import { runExperiment } from "./_run_action.ts";
import { findStoreRoot } from "./_query_store.ts";
import { chosenRunId, readRunRecord } from "./_run_choice.ts";

/** Runs `xp attach`; returns the exit code. */
export async function attachRun(args: AttachArgs, deps: Deps): Promise<number> {
  const root = await findStoreRoot(deps);
  const layout = storeLayout(root);
  const runId = await chosenRunId(layout, args.run);
  const record = await readRunRecord(layout, runId);
  const [, ...argv] = record.argv;
  // Attaching follows the jobs to their end, also those of a run submitted with --detach.
  const runArgs = { ...runCommand.parse(argv), detach: false };
  // The same store, wherever it was found: the recorded command may have relied on --store.
  return await runExperiment(runArgs, {
    ...deps,
    cwd: record.cwd,
    global: { ...deps.global, store: root },
  });
}
