/**
 * Which run a command means (`xp status`, `xp attach`, `xp cancel`, `xp run --from`): the one
 * named, else (or for `latest`) the newest; and its record.
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "../errors.ts";
import { latestRunId } from "../run/slurm_trials.ts";
import { runDir, type RunRecord, type StoreLayout } from "../store/mod.ts";

/** The word that names the newest run wherever a run id is asked for. */
export const LATEST_RUN = "latest";

/** The run `run` names, or the newest one (no `run`, or `latest`). */
export async function chosenRunId(layout: StoreLayout, run: string | undefined): Promise<string> {
  const runId = run === undefined || run === LATEST_RUN ? await latestRunId(layout) : run;
  if (runId === undefined) {
    throw new UsageError("The store has no runs", { hint: "run xp run first" });
  }
  return runId;
}

/** The `run.json` of a run. */
export async function readRunRecord(layout: StoreLayout, runId: string): Promise<RunRecord> {
  try {
    return JSON.parse(await Deno.readTextFile(join(runDir(layout, runId), "run.json")));
  } catch {
    throw new UsageError(`No run "${runId}" in the store`, { hint: "see xp ls --runs" });
  }
}
