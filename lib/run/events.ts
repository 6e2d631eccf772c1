/**
 * What a run reports as it goes, and the `Reporter` seam that shows it (TTY, plain lines, NDJSON,
 * later SSE).
 *
 * @module
 */

import type { TrialState } from "../store/mod.ts";

/** How a trial of the plan starts out in this run. */
export type PlanState = "cached" | "todo" | "blocked";

/** Counts by outcome. */
export type Counts = Partial<Record<TrialState | PlanState, number>>;

/** One thing that happened during a run. */
export type RunEvent =
  | {
    type: "run_started";
    run_id: string;
    experiment: string;
    store: string;
    jobs: number;
    plan: { trials: number; cached: number; todo: number; blocked: number };
  }
  | { type: "trial_started"; key: string; stage: string; name: string; attempt: number }
  | {
    type: "trial_retrying";
    key: string;
    stage: string;
    name: string;
    attempt: number;
    error: string;
    delay_ms: number;
  }
  | {
    type: "trial_finished";
    key: string;
    stage: string;
    name: string;
    state: TrialState;
    attempt: number;
    duration_s: number;
    exit_code: number | null;
    signal: string | null;
    error: string | null;
    /** The last lines of stderr, for failures. */
    stderr_tail: string[];
    /** The full stderr log. */
    stderr_path: string;
  }
  | { type: "trial_skipped"; key: string; stage: string; name: string; reason: string }
  | { type: "trial_output"; key: string; name: string; stream: "stdout" | "stderr"; line: string }
  | {
    type: "run_finished";
    run_id: string;
    /** `detached`: `--detach` left trials running under Slurm (none failed so far). */
    status: "ok" | "failed" | "interrupted" | "detached";
    counts: Counts;
    duration_s: number;
  };

/** Shows run events to someone. */
export interface Reporter {
  /** Called for every event, in order. */
  report(event: RunEvent): void;
}
