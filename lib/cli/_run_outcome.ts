/**
 * What an `xp run` records once the scheduler returns: each selected trial's outcome, the counts,
 * and the run's status. A `--detach` run's trials that were not submitted (their inputs still run)
 * are `queued`, and while any trial runs on under Slurm the run is `detached`, not over.
 *
 * @module
 */

import type { Plan, Selection } from "../plan/mod.ts";
import type { Counts, RunResult } from "../run/mod.ts";
import type { RunRecord } from "../store/mod.ts";

/** How a run ended, as recorded and reported. */
export interface RunOutcome {
  /** Each trial's outcome, by key. */
  trials: RunRecord["trials"];
  /** Counts by outcome. */
  counts: Counts;
  /** The run's status (`detached`: trials run on under Slurm and none has failed). */
  status: "ok" | "failed" | "interrupted" | "detached";
  /** Whether trials of the run are still running under Slurm after a `--detach`. */
  runsOn: boolean;
}

const FAILED: readonly string[] = ["failed", "timeout", "killed", "skipped"];

/** The outcome of a run from what the scheduler returned. */
export function runOutcome(
  plan: Plan,
  selection: Selection,
  result: RunResult,
  detach: boolean,
): RunOutcome {
  const trials: RunRecord["trials"] = {};
  const counts: Counts = {};
  for (const trial of plan.trials) {
    const outcome = result.outcomes.get(trial.key) ??
      (detach && selection.states.get(trial.key) === "todo" ? "queued" : undefined);
    if (outcome === undefined) continue;
    trials[trial.key] = { stage: trial.stage, name: trial.name, outcome };
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  if (!detach) return { trials, counts, status: result.status, runsOn: false };
  const states = Object.values(trials).map((t) => t.outcome);
  const runsOn = states.includes("running");
  const failed = states.some((s) => FAILED.includes(s));
  return { trials, counts, status: failed ? "failed" : runsOn ? "detached" : "ok", runsOn };
}
