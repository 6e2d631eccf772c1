/**
 * The trials of a store that a run left running under Slurm (their `status.json` is `running`
 * with a `slurm_job`), for `xp status` and `xp cancel`.
 *
 * @module
 */

import { join } from "node:path";
import { readStatus, type StoreLayout, subdirectories, type TrialStatus } from "../store/mod.ts";

/** A trial's status, with its key. */
export interface KeyedStatus {
  /** The trial's key. */
  key: string;
  /** Its directory. */
  dir: string;
  /** Its `status.json`. */
  status: TrialStatus;
}

/** The newest run's id in the store, `undefined` when it has none. */
export async function latestRunId(layout: StoreLayout): Promise<string | undefined> {
  // Run ids sort by their start time.
  return (await subdirectories(layout.runs)).at(-1);
}

/** Every trial whose last status was written by run `runId`. */
export async function trialsOfRun(layout: StoreLayout, runId: string): Promise<KeyedStatus[]> {
  const keys = await subdirectories(layout.trials);
  const found: KeyedStatus[] = [];
  // A bounded batch keeps file handles in check on big stores.
  for (let i = 0; i < keys.length; i += 256) {
    const slice = keys.slice(i, i + 256);
    const statuses = await Promise.all(slice.map((key) => readStatus(join(layout.trials, key))));
    slice.forEach((key, j) => {
      const status = statuses[j];
      if (status?.run_id === runId) found.push({ key, dir: join(layout.trials, key), status });
    });
  }
  return found;
}
