/**
 * The `Executor` seam: an executor launches one trial attempt and tells how it ended. `local`
 * spawns a process; `inline` runs a TS trial in xp's own process; a cluster executor launches a job
 * and observes it through the trial's status file.
 *
 * @module
 */

import type { Stage } from "../config/mod.ts";
import type { TrialState } from "../store/mod.ts";

/** Everything an executor needs to start one attempt of one trial. */
export interface TrialLaunch {
  /** The trial's key. */
  key: string;
  /** The trial's name. */
  name: string;
  /** Its stage. */
  stage: Stage;
  /** Absolute path of the experiment directory: every trial's working directory. */
  experimentDir: string;
  /** Absolute path of the experiment file (the module of inline `xp.ts` stages). */
  experimentFile: string;
  /** The trial's directory in the store. */
  trialDir: string;
  /** Output directories of its dependencies (readable by TS trials). */
  depOuts: string[];
  /** The directory of the trial it forks from (readable: its checkpoint and out/). */
  parentDir?: string;
  /** For command stages: the command with `${…}` substituted. */
  command?: string;
  /** The whole environment of the trial: the clean base, the stage's `env:`, and `XP_*`. */
  env: Record<string, string>;
}

/** How an attempt ended. */
export interface TrialOutcome {
  /** `ok`, or why not (`skipped`: withdrawn before it started, see `stop`). */
  state: Exclude<TrialState, "queued" | "running">;
  /** Exit code of the process, when it exited. */
  exitCode: number | null;
  /** The signal that ended it, if one did. */
  signal: string | null;
  /** One line on what went wrong. */
  error: string | null;
  /**
   * Set when xp stopped watching but the attempt goes on (a Slurm job left running on Ctrl-C):
   * its `running` status stays, and the next `xp run` follows it again.
   */
  detached?: boolean;
  /**
   * Set when a Slurm job submitted ahead of its dependencies can never start (Slurm saw a
   * dependency fail that xp then ran again): it was cancelled, and the attempt is submitted anew.
   */
  stale?: boolean;
}

/** Options of one {@linkcode Executor.run}. */
export interface ExecutorRunOptions {
  /** Aborted on Ctrl-C: the attempt ends `interrupted`. */
  signal: AbortSignal;
  /** Aborted on a second Ctrl-C: the attempt is killed at once. */
  kill?: AbortSignal;
  /**
   * Aborted when the run stops starting trials (`--fail-fast` after a failure): an attempt that
   * has not started yet (a cluster job still queued) is withdrawn and ends `skipped`; one that has
   * started goes on.
   */
  stop?: AbortSignal;
  /** Told the trial's process id once it has started (local processes only). */
  onStart?: (pid: number) => void;
  /**
   * Told when the trial's process has exited with 0, so the attempt ends `ok`: its slot can go to
   * the next trial while its output is still being written (local processes only).
   */
  onExited?: () => void;
  /** Told the job id (and where Slurm logs it) once a cluster executor has submitted the attempt. */
  onSubmit?: (job: string, log?: string) => void;
  /** Receives each line the trial writes, when output is streamed (`-s`). */
  onOutput?: (stream: "stdout" | "stderr", line: string) => void;
}

/** Runs trial attempts somewhere. */
export interface Executor {
  /** `local`, `inline`, … */
  readonly name: string;
  /** Runs one attempt; resolves when it has ended (never rejects for a trial's own failure). */
  run(launch: TrialLaunch, options: ExecutorRunOptions): Promise<TrialOutcome>;
  /** Follows an attempt submitted earlier (by a run that detached) until it ends. */
  attach?(trial: AttachedTrial, options: ExecutorRunOptions): Promise<TrialOutcome>;
  /** Cancels submitted jobs. */
  cancel?(jobs: string[]): Promise<void>;
}

/** An attempt still running under a cluster executor, found in its trial's `status.json`. */
export interface AttachedTrial {
  /** The job id. */
  job: string;
  /** Slurm's own output of the job, when known. */
  log?: string;
  /** The trial's directory. */
  trialDir: string;
  /** Its stage. */
  stage: Stage;
}
