/**
 * The `slurm` executor: each trial attempt is a task of a Slurm job array whose script runs exactly
 * the local executor's process (same sandbox flags, environment and files), then writes an exit
 * record into the trial directory. Attempts handed over together go out as one array. One watcher
 * polls the exit records and, in one `squeue` call for all jobs, the jobs that vanish without one
 * (scancel, Slurm's time limit, a node failure) or wait on a dependency that failed.
 *
 * @module
 */

import { join } from "node:path";
import { TRIAL_FILES } from "../store/mod.ts";
import type {
  AttachedTrial,
  Executor,
  ExecutorRunOptions,
  TrialLaunch,
  TrialOutcome,
} from "./executor.ts";
import { explainFailure } from "./failure.ts";
import type { ArraySubmitter } from "./slurm_array.ts";
import { arrayBatcher } from "./slurm_batch.ts";
import { scancel, squeue } from "./slurm_cli.ts";
import { SLURM_EXIT_FILE, type SlurmOptions, writeTrialJob } from "./slurm_script.ts";
import {
  endingOf,
  LIVE_STATES,
  NEVER_SATISFIED,
  parseExitRecord,
  stateFromLog,
  vanishedOutcome,
} from "./slurm_state.ts";

/** Options of {@linkcode slurmExecutor}. */
export interface SlurmExecutorOptions {
  /** The `deno` that runs TS trials (on the nodes: the same path must exist there). */
  deno: string;
  /** sbatch options. */
  slurm: SlurmOptions;
  /** Submits the run's arrays. */
  submitter: ArraySubmitter;
  /** On Ctrl-C, scancel the jobs; otherwise leave them running and detach. */
  cancelOnInterrupt: boolean;
  /**
   * `--detach`: submit, look once, and leave what is queued or running to Slurm (the trial stays
   * `running` with its job id, for the next `xp run` or `xp attach`).
   */
  detach?: boolean;
  /** How often to look at the jobs. @default {1000} */
  pollMs?: number;
  /**
   * How long squeue may keep failing (the controller restarting, or gone) before xp stops
   * waiting and detaches: the jobs may still run, and the next `xp run` follows them.
   * @default {120000}
   */
  lostContactMs?: number;
  /** How long an attempt waits for others to join its array. @default {100} */
  batchMs?: number;
}

/** One job being waited for. */
interface Watch {
  job: string;
  dir: string;
  log: string | undefined;
  /** Polls in a row in which Slurm no longer had the job live and no exit record was there. */
  misses: number;
  last: { state: string; reason: string } | undefined;
  done: (ended: Ended) => void;
}

type Ended =
  | { kind: "exited"; text: string }
  | { kind: "vanished"; state: string | undefined; reason: string }
  | { kind: "live" }
  | { kind: "stale" }
  | { kind: "lost"; error: string };

/** An executor that runs each trial attempt as a task of a Slurm job array. */
export function slurmExecutor(options: SlurmExecutorOptions): Executor {
  const watches = new Map<string, Watch>();
  const pollMs = options.pollMs ?? 1000;
  const batcher = arrayBatcher(options.submitter, options.batchMs ?? 100);
  let timer: ReturnType<typeof setInterval> | undefined;
  let polling = false;
  let failingSince: number | undefined;

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const open: Watch[] = [];
      for (const watch of watches.values()) {
        const text = await readExit(watch.dir);
        if (text !== undefined) finish(watch, { kind: "exited", text });
        else open.push(watch);
      }
      if (open.length === 0) return;
      const jobs = await squeue(open.map((w) => w.job)).catch(() => undefined);
      // The controller may be restarting: nothing is concluded from a failed squeue, until it
      // has failed for so long that waiting on is pointless (then detach, losing nothing).
      if (!jobs) {
        failingSince ??= Date.now();
        if (Date.now() - failingSince < (options.lostContactMs ?? 120_000)) return;
        const seconds = Math.round((Date.now() - failingSince) / 1000);
        for (const watch of open) {
          finish(watch, { kind: "lost", error: `squeue has failed for ${seconds}s` });
        }
        return;
      }
      failingSince = undefined;
      for (const watch of open) {
        const job = jobs.get(watch.job);
        if (job) watch.last = { state: job.state, reason: job.reason };
        if (job && LIVE_STATES.includes(job.state)) {
          watch.misses = 0;
          // Slurm keeps such a job pending forever; only xp can end it.
          if (job.reason === NEVER_SATISFIED) finish(watch, { kind: "stale" });
          else if (options.detach) finish(watch, { kind: "live" });
          continue;
        }
        // The exit record may land a moment after the job ends (written, then the job completes;
        // or a shared filesystem's cache): look again before concluding.
        const text = await readExit(watch.dir);
        if (text !== undefined) finish(watch, { kind: "exited", text });
        else if (++watch.misses >= 3) {
          const seen = watch.last ?? await readLogState(watch.log);
          finish(watch, { kind: "vanished", state: seen?.state, reason: seen?.reason ?? "" });
        }
      }
    } finally {
      polling = false;
    }
  }

  function forget(job: string): void {
    watches.delete(job);
    if (watches.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  function finish(watch: Watch, ended: Ended): void {
    forget(watch.job);
    watch.done(ended);
  }

  /** Cancels `job` if Slurm has not started it yet; whether it did. */
  async function withdraw(job: string): Promise<boolean> {
    const state = (await squeue([job]))?.get(job)?.state;
    if (state !== "PENDING") return false;
    forget(job);
    await scancel([job]);
    return true;
  }

  function wait(job: string, dir: string, log: string | undefined): Promise<Ended> {
    return new Promise((done) => {
      watches.set(job, { job, dir, log, misses: 0, last: undefined, done });
      timer ??= setInterval(() => void poll(), pollMs);
    });
  }

  async function follow(
    job: string,
    launch: Pick<TrialLaunch, "trialDir" | "stage">,
    runOptions: ExecutorRunOptions,
    log: string | undefined,
  ): Promise<TrialOutcome> {
    const ending = wait(job, launch.trialDir, log);
    const interrupted = aborted(runOptions.signal, "interrupt" as const);
    let first = await Promise.race([
      ending,
      interrupted,
      aborted(runOptions.stop, "stop" as const),
    ]);
    if (first === "stop") {
      if (await withdraw(job)) {
        return {
          state: "skipped",
          exitCode: null,
          signal: null,
          error:
            `not started: --fail-fast stopped the run after a failure (Slurm job ${job} cancelled)`,
        };
      }
      first = await Promise.race([ending, interrupted]);
    }
    if (first === "interrupt") {
      forget(job);
      if (!options.cancelOnInterrupt) return detached(job);
      await scancel([job]);
      return {
        state: "interrupted",
        exitCode: null,
        signal: null,
        error: `interrupted (Ctrl-C): Slurm job ${job} cancelled`,
      };
    }
    if (first.kind === "live") return detached(job);
    if (first.kind === "lost") {
      return {
        state: "interrupted",
        exitCode: null,
        signal: null,
        error: `lost contact with Slurm (${first.error}); job ${job} may still run`,
        detached: true,
      };
    }
    if (first.kind === "stale") {
      await scancel([job]);
      return {
        state: "failed",
        exitCode: null,
        signal: null,
        error:
          `Slurm job ${job} waited on a dependency that failed in Slurm's eyes (${NEVER_SATISFIED})`,
        stale: true,
      };
    }
    if (first.kind === "vanished") return vanishedOutcome(job, first.state, first.reason, log);
    const record = parseExitRecord(first.text);
    if (!record) return vanishedOutcome(job, "FAILED", `unreadable ${SLURM_EXIT_FILE}`, log);
    const { exitCode, signal, timedOut } = endingOf(record);
    return await explainFailure({
      launch: launch as TrialLaunch,
      exitCode,
      signal,
      stoppedFor: timedOut ? "timeout" : undefined,
      stderrPath: join(launch.trialDir, TRIAL_FILES.stderr),
    });
  }

  return {
    name: "slurm",
    async run(launch, runOptions) {
      await writeTrialJob(launch, options.deno, options.slurm, { fillDeps: false });
      let submitted;
      try {
        submitted = await batcher.add(launch.stage, launch.trialDir);
      } catch (error) {
        return { state: "failed", exitCode: null, signal: null, error: (error as Error).message };
      }
      runOptions.onSubmit?.(submitted.job, submitted.log);
      if (options.detach) return detached(submitted.job);
      return await follow(submitted.job, launch, runOptions, submitted.log);
    },
    attach: (trial: AttachedTrial, runOptions) => follow(trial.job, trial, runOptions, trial.log),
    cancel: (jobs: string[]) => scancel(jobs),
  };
}

function detached(job: string): TrialOutcome {
  return {
    state: "interrupted",
    exitCode: null,
    signal: null,
    error: `detached: Slurm job ${job} keeps running`,
    detached: true,
  };
}

async function readExit(dir: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(join(dir, SLURM_EXIT_FILE));
  } catch {
    return undefined;
  }
}

/**
 * What Slurm's output of a job squeue no longer lists says. No output at all means the job never
 * started: a pending array task that is cancelled is dropped by Slurm without a trace.
 */
async function readLogState(log: string | undefined) {
  if (log === undefined) return undefined;
  const text = await Deno.readTextFile(log).catch(() => undefined);
  if (text === undefined) {
    return { state: "CANCELLED", reason: "removed from the queue before it started" };
  }
  return stateFromLog(text);
}

/** Resolves to `value` once `signal` is aborted (never, without a signal). */
function aborted<T>(signal: AbortSignal | undefined, value: T): Promise<T> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve(value);
    signal.addEventListener("abort", () => resolve(value), { once: true });
  });
}
