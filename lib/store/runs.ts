/**
 * Run records: `.xp/runs/<run-id>/run.json`, one per `xp run`, with ids that sort by time.
 *
 * @module
 */

import { join } from "node:path";
import { writeJsonAtomic } from "./atomic.ts";
import { runDir, type StoreLayout } from "./layout.ts";
import type { TrialState } from "./trial_files.ts";

/** `run.json`. */
export interface RunRecord {
  /** Sorts by start time: `20261123T144843123Z-1a2b`. */
  run_id: string;
  /** The command line after `xp`. */
  argv: string[];
  /** Where it was run. */
  cwd: string;
  /** The experiment file. */
  experiment_file: string;
  /** The experiment's name. */
  experiment: string;
  /** Host name. */
  host: string;
  /** ISO 8601. */
  started_at: string;
  /** ISO 8601, once it ended. */
  finished_at: string | null;
  /** `running`, `ok` (every trial ok or cached), `failed`, `interrupted`. */
  status: "running" | "ok" | "failed" | "interrupted";
  /** `xp run --from`: the run id or trial key its trials fork from. */
  from?: string;
  /** How many trials the plan had in each state before running. */
  plan: { trials: number; cached: number; todo: number; blocked: number; excluded: number };
  /** Set by `xp run --detach`: xp exited while the run's trials run on under Slurm. */
  detached?: boolean;
  /** Counts of outcomes. */
  counts: Partial<Record<TrialState | "cached" | "blocked", number>>;
  /** Each trial's outcome in this run, by key. */
  trials: Record<
    string,
    { stage: string; name: string; outcome: TrialState | "cached" | "blocked" }
  >;
}

/** A new run id for a run starting at `now`: time-sortable, with a random suffix. */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${stamp}-${crypto.randomUUID().slice(0, 4)}`;
}

/**
 * Writes (or rewrites) a run's `run.json` atomically, and notes the write in
 * {@linkcode StoreLayout.statusWrites} so that opening the index notices it.
 */
export async function writeRunRecord(layout: StoreLayout, record: RunRecord): Promise<void> {
  const dir = runDir(layout, record.run_id);
  await Deno.mkdir(dir, { recursive: true });
  await writeJsonAtomic(join(dir, "run.json"), record);
  await Deno.writeTextFile(layout.statusWrites, ".", { append: true });
}
