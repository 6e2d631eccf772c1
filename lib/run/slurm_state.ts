/**
 * Reading a Slurm trial's end: its exit record (written by the job script), or, for a job that
 * vanished without one, Slurm's own state and reason.
 *
 * @module
 */

import type { TrialOutcome } from "./executor.ts";

/** What the job script writes once the trial process has exited. */
export interface SlurmExitRecord {
  /** The shell's `$?`: the exit code, or 128 + the signal number. */
  exit_code: number;
  /** Seconds the trial process ran. */
  elapsed_s: number;
  /** The stage's `timeout:` in seconds, when it has one. */
  timeout_s: number | null;
  /** The Slurm job id (`ARRAYJOB_TASK` for an array task). */
  job: string;
  /** The node it ran on. */
  host: string;
}

/** One job as `squeue -o '%i|%T|%r'` lists it. */
export interface SlurmJobState {
  /** Job id (`12`, or `12_3` for an array task). */
  id: string;
  /** `PENDING`, `RUNNING`, `COMPLETED`, `CANCELLED`, `TIMEOUT`, … */
  state: string;
  /** Why (`None`, `Resources`, `TimeLimit`, `NonZeroExitCode`, …). */
  reason: string;
}

/** States in which a job may still write its exit record. */
export const LIVE_STATES: readonly string[] = [
  "PENDING",
  "CONFIGURING",
  "RUNNING",
  "COMPLETING",
  "SUSPENDED",
  "REQUEUED",
  "REQUEUE_HOLD",
  "REQUEUE_FED",
  "RESIZING",
  "SIGNALING",
  "STAGE_OUT",
  "STOPPED",
];

const SIGNALS: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  6: "SIGABRT",
  9: "SIGKILL",
  11: "SIGSEGV",
  13: "SIGPIPE",
  15: "SIGTERM",
};

/** Parses an exit record; `undefined` when the text is not one. */
export function parseExitRecord(text: string): SlurmExitRecord | undefined {
  try {
    const record = JSON.parse(text);
    return typeof record?.exit_code === "number" ? record as SlurmExitRecord : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The exit code, signal, and whether xp's own time limit ended it: what the local executor's
 * `explainFailure` needs.
 */
export function endingOf(record: SlurmExitRecord): {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
} {
  const code = record.exit_code;
  // timeout(1) exits 124 after its TERM, 128+9 after its KILL.
  const timedOut = record.timeout_s !== null && (code === 124 || code === 137) &&
    record.elapsed_s >= record.timeout_s;
  if (code > 128 && code < 128 + 65) {
    const number = code - 128;
    return { exitCode: null, signal: SIGNALS[number] ?? `SIG${number}`, timedOut };
  }
  return { exitCode: code, signal: null, timedOut };
}

/** Parses `squeue -h -o '%i|%T|%r'` output. */
export function parseSqueue(text: string): SlurmJobState[] {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const [id = "", state = "", reason = ""] = line.split("|");
    // `CANCELLED by 0` in some versions: the first word is the state.
    return { id, state: state.split(" ")[0]!, reason };
  });
}

/** Slurm's reason for a job whose dependency failed: it stays pending until cancelled. */
export const NEVER_SATISFIED = "DependencyNeverSatisfied";

/**
 * Slurm's state of an ended job from what slurmstepd wrote into its output, for a job that
 * squeue has forgotten (after MinJobAge) when no accounting database answers either:
 * `*** JOB 12 ON node CANCELLED AT 2026-… DUE TO TIME LIMIT ***`.
 *
 * @example
 * ```ts
 * import { stateFromLog } from "./slurm_state.ts";
 * const line = "slurmstepd: error: *** JOB 7 ON vm CANCELLED AT 2026-11-23T10:00:00 DUE TO TIME LIMIT ***";
 * if (stateFromLog(line)?.state !== "TIMEOUT") throw new Error();
 * ```
 */
export function stateFromLog(text: string): { state: string; reason: string } | undefined {
  const match = text.match(/\*\*\* JOB \S+ ON \S+ CANCELLED AT \S+(?: DUE TO ([A-Z ]+?))? \*\*\*/);
  if (!match) return undefined;
  const due = match[1];
  if (due === undefined) return { state: "CANCELLED", reason: "scancel" };
  if (due === "TIME LIMIT") return { state: "TIMEOUT", reason: "TimeLimit" };
  if (due === "NODE FAILURE") return { state: "NODE_FAIL", reason: "NodeFail" };
  return { state: "CANCELLED", reason: due.toLowerCase() };
}

/**
 * The outcome of a job that ended without an exit record: the trial process never finished
 * (scancel, Slurm's time limit, a node failure, a job that could not start). `log` is Slurm's own
 * output of the job, where the details are.
 */
export function vanishedOutcome(
  job: string,
  state: string | undefined,
  reason: string,
  log = "its slurm.log",
): TrialOutcome {
  const why = reason && reason !== "None" ? `, reason ${reason}` : "";
  const base = { exitCode: null, signal: null };
  switch (state) {
    case "CANCELLED":
      return { ...base, state: "killed", error: `Slurm job ${job} was cancelled${why}` };
    case "TIMEOUT":
    case "DEADLINE":
      return {
        ...base,
        state: "timeout",
        error: `Slurm job ${job} reached its time limit${why} (the sbatch --time)`,
      };
    case "OUT_OF_MEMORY":
      return { ...base, state: "killed", error: `Slurm job ${job} ran out of memory${why}` };
    case undefined:
      return {
        ...base,
        state: "failed",
        error: `Slurm job ${job} is gone and left no exit record (see ${log})`,
      };
    default:
      return {
        ...base,
        state: "failed",
        error: `Slurm job ${job} ended ${state}${why} without finishing the trial (see ${log})`,
      };
  }
}
