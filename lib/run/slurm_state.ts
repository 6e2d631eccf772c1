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
  /** The Slurm job id. */
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

/**
 * The outcome of a job that ended without an exit record: the trial process never finished
 * (scancel, Slurm's time limit, a node failure, a job that could not start).
 */
export function vanishedOutcome(
  job: string,
  state: string | undefined,
  reason: string,
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
        error: `Slurm job ${job} is gone and left no exit record (see its slurm.log)`,
      };
    default:
      return {
        ...base,
        state: "failed",
        error:
          `Slurm job ${job} ended ${state}${why} without finishing the trial (see its slurm.log)`,
      };
  }
}
