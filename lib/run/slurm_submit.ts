/**
 * The first thing a Slurm run does: submit every trial it can submit now as job arrays (see
 * slurm_waves.ts), including later stages that can wait on earlier arrays inside Slurm, so that
 * with `--detach` the cluster runs them without xp. Each submitted trial is prepared as the
 * scheduler would prepare it and left `running` with its job id; the scheduler then follows it
 * (or, detached, leaves it to the next run).
 *
 * @module
 */

import type { Plan } from "../plan/mod.ts";
import {
  acquireTrialLock,
  type LockResult,
  readStatus,
  type StoreLayout,
  trialDir,
  type TrialStatus,
  writeStatus,
} from "../store/mod.ts";
import type { PlanState } from "./events.ts";
import { prepareTrial, type TrialContextInfo } from "./prepare.ts";
import type { RunResult } from "./scheduler.ts";
import type { ArraySubmitter } from "./slurm_array.ts";
import { scancel } from "./slurm_cli.ts";
import { type SlurmOptions, writeTrialJob } from "./slurm_script.ts";
import { type ArrayDependency, planArrays, type PlannedArray } from "./slurm_waves.ts";

/** What {@linkcode submitWaves} needs. */
export interface SubmitWavesOptions {
  /** The plan. */
  plan: Plan;
  /** The selected trials and how each starts out. */
  selection: ReadonlyMap<string, PlanState>;
  /** The store. */
  layout: StoreLayout;
  /** This run. */
  runId: string;
  /** What every trial's files and environment need. */
  context: TrialContextInfo;
  /** Submits the arrays. */
  submitter: ArraySubmitter;
  /** The `deno` of TS trials (and of filling in `deps.json` on the node). */
  deno: string;
  /** sbatch options. */
  slurm: SlurmOptions;
  /** Aborted on Ctrl-C: what is not submitted yet stays so. */
  signal: AbortSignal;
}

/** One array submitted. */
export interface SubmittedArrayInfo {
  /** Its job id. */
  job: string;
  /** The stage of its trials. */
  stage: string;
  /** How many trials. */
  trials: number;
  /** `afterok:12`, `aftercorr:12`, when it waits on other arrays. */
  dependency?: string;
}

/** What was submitted. */
export interface SubmittedWaves {
  /** The arrays, in the order submitted. */
  arrays: SubmittedArrayInfo[];
  /** The job (`ARRAYJOB_TASK`) of each submitted trial, by key. */
  jobs: Map<string, string>;
  /** sbatch's message, when it refused an array (the rest was left to the scheduler). */
  error?: string;
}

/** Submits the trials that can go out now; returns what went. */
export async function submitWaves(options: SubmitWavesOptions): Promise<SubmittedWaves> {
  const { plan, selection, layout } = options;
  const result: SubmittedWaves = { arrays: [], jobs: new Map() };
  const previous = new Map<string, TrialStatus | undefined>();
  const eligible = new Set<string>();
  const todo = plan.trials.filter((t) => selection.get(t.key) === "todo");
  for (let i = 0; i < todo.length; i += 256) {
    const slice = todo.slice(i, i + 256);
    const statuses = await Promise.all(slice.map((t) => readStatus(trialDir(layout, t.key))));
    slice.forEach((trial, j) => {
      // A trial left `running` is the scheduler's: it follows its job or stops its process.
      if (statuses[j]?.state === "running") return;
      previous.set(trial.key, statuses[j]);
      eligible.add(trial.key);
    });
  }
  const done = new Set(
    plan.trials.filter((t) => selection.get(t.key) === "cached").map((t) => t.key),
  );
  const maxArraySize = await options.submitter.maxArraySize();
  const locks = new Map<string, LockResult & { acquired: true }>();
  try {
    let arrays: PlannedArray[];
    // Another `xp run` may hold some of the trials: leave those (and what waits on them) to it.
    for (;;) {
      arrays = planArrays({ trials: plan.trials, eligible, done, maxArraySize });
      const wanted = new Set(arrays.flatMap((a) => a.tasks.map((t) => t.key)));
      for (const [key, lock] of locks) {
        if (wanted.has(key)) continue;
        await unlock(lock, trialDir(layout, key));
        locks.delete(key);
      }
      let dropped = false;
      for (const key of wanted) {
        if (locks.has(key)) continue;
        const lock = await lockIfUnchanged(options, key, previous.get(key));
        if (lock) locks.set(key, lock);
        else {
          eligible.delete(key);
          dropped = true;
        }
      }
      if (!dropped) break;
    }
    const jobs: string[] = [];
    for (const array of arrays) {
      if (options.signal.aborted) break;
      const stage = plan.experiment.stages.find((s) => s.name === array.stage)!;
      const launches = await Promise.all(array.tasks.map(async ({ key }) => {
        const trial = plan.byKey.get(key)!;
        const launch = await prepareTrial(plan, trial, {
          dir: trialDir(layout, key),
          layout,
          context: options.context,
          archive: previous.get(key)?.attempt,
        });
        const fillDeps = trial.deps.some((dep) => !done.has(dep));
        await writeTrialJob(launch, options.deno, options.slurm, { fillDeps });
        return launch;
      }));
      const dependency = array.after && dependencyOf(array.after, jobs);
      let submitted;
      try {
        submitted = await options.submitter.submit(
          stage,
          launches.map((launch, i) => ({ dir: launch.trialDir, task: array.tasks[i]!.task })),
          dependency,
        );
      } catch (error) {
        result.error = (error as Error).message;
        break;
      }
      jobs.push(submitted.job);
      result.arrays.push({
        job: submitted.job,
        stage: array.stage,
        trials: array.tasks.length,
        ...(dependency === undefined ? {} : { dependency }),
      });
      const now = new Date().toISOString();
      await Promise.all(array.tasks.map(({ key, task }) => {
        const job = `${submitted.job}_${task}`;
        result.jobs.set(key, job);
        return writeStatus(trialDir(layout, key), {
          state: "running",
          exit_code: null,
          signal: null,
          error: null,
          started_at: now,
          finished_at: null,
          attempt: (previous.get(key)?.attempt ?? 0) + 1,
          run_id: options.runId,
          pid: options.context.pid,
          host: options.context.host,
          slurm_job: job,
          slurm_log: submitted.log(task),
        });
      }));
    }
  } finally {
    for (const [key, lock] of locks) await unlock(lock, trialDir(layout, key));
  }
  return result;
}

/**
 * Takes the trial's lock when its status is still what was read before planning; `undefined` when
 * another run holds it or has changed it meanwhile.
 */
async function lockIfUnchanged(
  options: SubmitWavesOptions,
  key: string,
  before: TrialStatus | undefined,
): Promise<(LockResult & { acquired: true }) | undefined> {
  const dir = trialDir(options.layout, key);
  await Deno.mkdir(dir, { recursive: true });
  const lock = await acquireTrialLock(dir, {
    pid: options.context.pid,
    host: options.context.host,
  });
  if (!lock.acquired) return undefined;
  const now = await readStatus(dir);
  if (JSON.stringify(now) === JSON.stringify(before)) return lock;
  await lock.release();
  return undefined;
}

/** `afterok:12:13_4`, `aftercorr:12`: the dependency of an array on arrays submitted before it. */
function dependencyOf(after: ArrayDependency, jobs: readonly string[]): string {
  // Arrays are planned after those they wait on, so each of those has its job id by now.
  if (after.kind === "aftercorr") return `aftercorr:${jobs[after.array]}`;
  const ids = after.on.flatMap(({ array, tasks }) =>
    tasks === "all" ? [jobs[array]!] : tasks.map((task) => `${jobs[array]}_${task}`)
  );
  return `afterok:${ids.join(":")}`;
}

/** Gives a trial back; a directory made only to lock it goes too (it holds nothing). */
async function unlock(lock: { release(): Promise<void> }, dir: string): Promise<void> {
  await lock.release();
  await Deno.remove(dir).catch(() => undefined);
}

/**
 * The submitted trials that Ctrl-C kept the scheduler from following: left running under Slurm
 * (the next run follows them), or with `--cancel-on-interrupt` cancelled and recorded
 * `interrupted`. Adds their outcomes to `outcomes`.
 */
export async function settleUnfollowed(
  waves: SubmittedWaves,
  layout: StoreLayout,
  outcomes: RunResult["outcomes"],
  cancel: boolean,
): Promise<void> {
  const left = [...waves.jobs].filter(([key]) => !outcomes.has(key));
  if (cancel) await scancel(left.map(([, job]) => job));
  for (const [key, job] of left) {
    outcomes.set(key, cancel ? "interrupted" : "running");
    if (!cancel) continue;
    const dir = trialDir(layout, key);
    const status = await readStatus(dir);
    if (status === undefined) continue;
    const { pid: _pid, host: _host, slurm_job: _job, slurm_log: _log, ...rest } = status;
    await writeStatus(dir, {
      ...rest,
      state: "interrupted",
      error: `interrupted (Ctrl-C): Slurm job ${job} cancelled`,
      finished_at: new Date().toISOString(),
    });
  }
}
