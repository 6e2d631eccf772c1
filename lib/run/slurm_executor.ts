/**
 * The `slurm` executor: each trial attempt is an sbatch job whose script runs exactly the local
 * executor's process (same sandbox flags, environment and files), then writes an exit record into
 * the trial directory. One watcher polls the exit records and, in one `squeue` call for all jobs,
 * the jobs that vanish without one (scancel, Slurm's time limit, a node failure).
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
import { commandTrialProcess, denoTrialProcess } from "./sandbox.ts";
import { sbatch, scancel, squeue } from "./slurm_cli.ts";
import {
  SLURM_EXIT_FILE,
  SLURM_SCRIPT_FILE,
  type SlurmOptions,
  trialJobScript,
} from "./slurm_script.ts";
import { endingOf, LIVE_STATES, parseExitRecord, vanishedOutcome } from "./slurm_state.ts";

/** Options of {@linkcode slurmExecutor}. */
export interface SlurmExecutorOptions {
  /** The `deno` that runs TS trials (on the nodes: the same path must exist there). */
  deno: string;
  /** sbatch options. */
  slurm: SlurmOptions;
  /** On Ctrl-C, scancel the jobs; otherwise leave them running and detach. */
  cancelOnInterrupt: boolean;
  /** How often to look at the jobs. @default {1000} */
  pollMs?: number;
  /**
   * How long squeue may keep failing (the controller restarting, or gone) before xp stops
   * waiting and detaches: the jobs may still run, and the next `xp run` follows them.
   * @default {120000}
   */
  lostContactMs?: number;
}

/** One job being waited for. */
interface Watch {
  job: string;
  dir: string;
  /** Polls in a row in which Slurm no longer had the job live and no exit record was there. */
  misses: number;
  last: { state: string; reason: string } | undefined;
  done: (ended: Ended) => void;
}

type Ended =
  | { kind: "exited"; text: string }
  | { kind: "vanished"; state: string | undefined; reason: string }
  | { kind: "lost"; error: string };

/** An executor that runs each trial attempt as a Slurm batch job. */
export function slurmExecutor(options: SlurmExecutorOptions): Executor {
  const watches = new Map<string, Watch>();
  const pollMs = options.pollMs ?? 1000;
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
          continue;
        }
        // The exit record may land a moment after the job ends (written, then the job completes;
        // or a shared filesystem's cache): look again before concluding.
        const text = await readExit(watch.dir);
        if (text !== undefined) finish(watch, { kind: "exited", text });
        else if (++watch.misses >= 3) {
          finish(watch, {
            kind: "vanished",
            state: watch.last?.state,
            reason: watch.last?.reason ?? "",
          });
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

  function wait(job: string, dir: string): Promise<Ended> {
    return new Promise((done) => {
      watches.set(job, { job, dir, misses: 0, last: undefined, done });
      timer ??= setInterval(() => void poll(), pollMs);
    });
  }

  async function follow(
    job: string,
    launch: Pick<TrialLaunch, "trialDir" | "stage">,
    runOptions: ExecutorRunOptions,
  ): Promise<TrialOutcome> {
    const ending = wait(job, launch.trialDir);
    const interrupted = new Promise<"interrupt">((resolve) => {
      if (runOptions.signal.aborted) resolve("interrupt");
      runOptions.signal.addEventListener("abort", () => resolve("interrupt"), { once: true });
    });
    const first = await Promise.race([ending, interrupted]);
    if (first === "interrupt") {
      forget(job);
      if (!options.cancelOnInterrupt) {
        return {
          state: "interrupted",
          exitCode: null,
          signal: null,
          error: `detached: Slurm job ${job} keeps running`,
          detached: true,
        };
      }
      await scancel([job]);
      return {
        state: "interrupted",
        exitCode: null,
        signal: null,
        error: `interrupted (Ctrl-C): Slurm job ${job} cancelled`,
      };
    }
    if (first.kind === "lost") {
      return {
        state: "interrupted",
        exitCode: null,
        signal: null,
        error: `lost contact with Slurm (${first.error}); job ${job} may still run`,
        detached: true,
      };
    }
    if (first.kind === "vanished") return vanishedOutcome(job, first.state, first.reason);
    const record = parseExitRecord(first.text);
    if (!record) {
      return vanishedOutcome(job, "FAILED", `unreadable ${SLURM_EXIT_FILE}`);
    }
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
      const spec = launch.command === undefined
        ? denoTrialProcess(launch, options.deno)
        : commandTrialProcess(launch, launch.command);
      const script = trialJobScript(launch, spec, options.slurm);
      await Deno.writeTextFile(join(launch.trialDir, SLURM_SCRIPT_FILE), script);
      await Deno.remove(join(launch.trialDir, SLURM_EXIT_FILE)).catch(() => undefined);
      let job: string;
      try {
        job = await sbatch(script);
      } catch (error) {
        return { state: "failed", exitCode: null, signal: null, error: (error as Error).message };
      }
      runOptions.onSubmit?.(job);
      return await follow(job, launch, runOptions);
    },
    attach: (trial: AttachedTrial, runOptions) => follow(trial.job, trial, runOptions),
    cancel: (jobs: string[]) => scancel(jobs),
  };
}

async function readExit(dir: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(join(dir, SLURM_EXIT_FILE));
  } catch {
    return undefined;
  }
}
