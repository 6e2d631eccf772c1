/**
 * Runs the selected trials of a plan: `-j` at a time, each as soon as its dependencies are `ok`,
 * dependents of a failure `skipped`, retries with backoff, `--fail-fast`, Ctrl-C. Every outcome is
 * in the trial's files before the run moves on.
 *
 * @module
 */

import type { Plan, PlannedTrial } from "../plan/mod.ts";
import {
  FINAL_STATES,
  type StoreLayout,
  trialDir,
  type TrialState,
  type TrialStatus,
  writeStatus,
} from "../store/mod.ts";
import type { Counts, PlanState, Reporter } from "./events.ts";
import type { Executor, TrialOutcome } from "./executor.ts";
import { readTail } from "./failure.ts";
import { Semaphore } from "./semaphore.ts";
import { prepareTrial, type TrialContextInfo, writeTrialFiles } from "./prepare.ts";
import { acquireTrialLock, isStale, readStatus, settled } from "../store/mod.ts";

/** What {@linkcode runPlan} needs. */
export interface RunPlanOptions {
  /** The plan. */
  plan: Plan;
  /** The selected trials and how each starts out. */
  selection: Map<string, PlanState>;
  /** The store. */
  layout: StoreLayout;
  /** Where attempts run. */
  executor: Executor;
  /**
   * Follows attempts an earlier run left under Slurm (and cancels their jobs), when `executor`
   * cannot: a trial already submitted is never run a second time by a `local` run.
   */
  follower?: Executor;
  /** Who hears about it. */
  reporter: Reporter;
  /** Trials at once. */
  jobs: number;
  /** Stop starting trials after the first failure. */
  failFast: boolean;
  /** Report each line of trial output. */
  stream: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Aborted on a second Ctrl-C: running trials are killed at once. */
  kill?: AbortSignal;
  /** This run. */
  runId: string;
  /** What every trial's meta.json and environment need. */
  context: TrialContextInfo;
  /** First retry delay; doubles each retry, capped at 30 s. @default {500} */
  retryBackoffMs?: number;
  /** How often to look at a trial another `xp run` is running. @default {200} */
  pollMs?: number;
  /** Called once a trial's final status is written (ok, failed, skipped, …), e.g. to index it. */
  onTrialDone?: (key: string) => void;
  /**
   * When the store was read to plan this run: a trial that another `xp run` finishes after that
   * is taken as it ended there, not run again. @default {the time runPlan is called}
   */
  plannedAt?: Date;
}

/** How a run ended. */
export interface RunResult {
  /** `ok` when every selected trial is ok or cached. */
  status: "ok" | "failed" | "interrupted";
  /** Outcomes by kind. */
  counts: Counts;
  /** Each selected trial's outcome. */
  outcomes: Map<string, TrialState | Exclude<PlanState, "todo">>;
}

const FAILED: readonly string[] = ["failed", "timeout", "killed"];

/** Runs the plan's selected `todo` trials and returns how each ended. */
export async function runPlan(options: RunPlanOptions): Promise<RunResult> {
  options = { ...options, plannedAt: options.plannedAt ?? new Date() };
  const { plan, selection, reporter, signal } = options;
  const outcomes = new Map<string, TrialState | Exclude<PlanState, "todo">>();
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  const ready: string[] = [];
  for (const trial of plan.trials) {
    const state = selection.get(trial.key);
    if (state === undefined) continue;
    if (state !== "todo") {
      outcomes.set(trial.key, state);
      continue;
    }
    let pending = 0;
    for (const dep of trial.deps) {
      if (selection.get(dep) === "cached") continue;
      pending++;
      const list = dependents.get(dep);
      if (list) list.push(trial.key);
      else dependents.set(dep, [trial.key]);
    }
    waiting.set(trial.key, pending);
    if (pending === 0) ready.push(trial.key);
  }
  const running = new Map<string, Promise<void>>();
  const skip = async (key: string, reason: string) => {
    for (const next of dependents.get(key) ?? []) {
      if (outcomes.has(next)) continue;
      const trial = plan.byKey.get(next)!;
      outcomes.set(next, "skipped");
      const written = await writeSkipped(options, trial, reason);
      options.onTrialDone?.(next);
      reporter.report({
        type: "trial_skipped",
        key: next,
        stage: trial.stage,
        name: trial.name,
        reason: written,
      });
      await skip(next, `dependency ${trial.stage} ${trial.name} was skipped`);
    }
  };
  const finish = async (key: string, state: TrialState) => {
    outcomes.set(key, state);
    // A trial still queued when Ctrl-C came never started, and one left running under Slurm has
    // not ended: nothing to record or to skip.
    if (state === "queued" || state === "running") return;
    options.onTrialDone?.(key);
    const trial = plan.byKey.get(key)!;
    if (state === "ok") {
      for (const next of dependents.get(key) ?? []) {
        const left = waiting.get(next)! - 1;
        waiting.set(next, left);
        if (left === 0) ready.push(next);
      }
      return;
    }
    if (FAILED.includes(state) && options.failFast) closeSlots(slots);
    // Dependents of an interrupted trial are left as they were: the next run resumes them.
    if (state === "interrupted") return;
    const reason = `dependency ${trial.stage} ${trial.name} ended ${state}`;
    await skip(key, reason);
  };
  const slots: Slots = {
    semaphore: new Semaphore(options.jobs),
    closed: false,
    stopper: new AbortController(),
  };
  // Twice as many trials as slots are under way: the extra ones get their files ready (and the
  // finished ones record theirs) while the slots run processes, so a freed slot is refilled at once.
  const lookahead = options.jobs * 2;
  while (!signal.aborted) {
    while (!slots.closed && !signal.aborted && running.size < lookahead && ready.length > 0) {
      const key = ready.shift()!;
      const task = runTrial(options, plan.byKey.get(key)!, slots)
        .then((state) => finish(key, state))
        .finally(() => running.delete(key));
      running.set(key, task);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  await Promise.all(running.values());
  const counts: Counts = {};
  for (const state of outcomes.values()) counts[state] = (counts[state] ?? 0) + 1;
  // A trial left running under Slurm (xp lost contact) has not succeeded in this run.
  const failed = [...outcomes.values()].some((s) =>
    FAILED.includes(s) || s === "skipped" || s === "running"
  );
  const status = signal.aborted ? "interrupted" : failed || slots.closed ? "failed" : "ok";
  return { status, counts, outcomes };
}

/** The execution slots, closed for good once `--fail-fast` sees a failure. */
interface Slots {
  semaphore: Semaphore;
  /** No trial takes a slot any more (`--fail-fast` after a failure). */
  closed: boolean;
  /** Aborted once closed: what an executor holds back unstarted is withdrawn. */
  stopper: AbortController;
}

function closeSlots(slots: Slots): void {
  slots.closed = true;
  slots.stopper.abort();
}

/** Runs every attempt of one trial; returns its final state. */
async function runTrial(
  options: RunPlanOptions,
  trial: PlannedTrial,
  slots: Slots,
): Promise<TrialState> {
  // Queue for a slot now, before preparing, so trials start in plan order.
  let ticket: Promise<() => void> | undefined = slots.semaphore.acquire();
  try {
    return await runTrialWith(options, trial, slots, () => {
      const taken = ticket ?? slots.semaphore.acquire();
      ticket = undefined;
      return taken;
    });
  } finally {
    // A trial that ended without using its ticket gives the slot straight back.
    ticket?.then((release) => release());
  }
}

async function runTrialWith(
  options: RunPlanOptions,
  trial: PlannedTrial,
  slots: Slots,
  takeSlot: () => Promise<() => void>,
): Promise<TrialState> {
  const dir = trialDir(options.layout, trial.key);
  const fresh = await mkdirNow(dir);
  const { context } = options;
  const lock = await acquireTrialLock(dir, { pid: context.pid, host: context.host });
  if (!lock.acquired) {
    const runHere = () => runTrialWith(options, trial, slots, takeSlot);
    return await awaitOtherRun(options, dir, runHere);
  }
  try {
    // Made just now and locked by this run: nothing can have been recorded in it.
    const previous = fresh ? undefined : await readStatus(dir);
    // Another `xp run` ran it since this one planned (it held the lock until a moment ago).
    if (previous && ranElsewhereSincePlanned(previous, options)) return previous.state;
    let next: NextAttempt = {
      attempt: (previous?.attempt ?? 0) + 1,
      archive: previous?.attempt,
      round: 0,
    };
    // A Slurm job left running by a run that detached (or died), or submitted ahead of its
    // dependencies, is followed, whatever executor this run uses: never submitted again.
    if (previous?.state === "running" && previous.slurm_job !== undefined && follower(options)) {
      const followed = await attachTrial(options, trial, dir, previous, slots, takeSlot);
      if (typeof followed === "string") return followed;
      next = followed;
    } else if (previous?.state === "running" && previous.trial_pid !== undefined) {
      // A trial left running by a killed `xp run` may still be going: stop it before starting over.
      await killOrphan(previous.trial_pid, trial.key);
    }
    let attempt = next.attempt;
    const launch = await prepareTrial(options.plan, trial, {
      dir,
      layout: options.layout,
      context,
      archive: next.archive,
    });
    const retries = launch.stage.retry;
    const startedAt = new Date();
    for (let round = next.round;; round++) {
      const status: TrialStatus = {
        state: "running",
        exit_code: null,
        signal: null,
        error: null,
        started_at: startedAt.toISOString(),
        finished_at: null,
        attempt,
        run_id: options.runId,
        pid: context.pid,
        host: context.host,
      };
      const release = once(await takeSlot());
      if (options.signal.aborted || slots.closed) {
        release();
        // Prepared ahead but never started: leave no trace of a trial that did not run.
        if (previous === undefined && round === 0) await Deno.remove(dir, { recursive: true });
        return "queued";
      }
      options.reporter.report({
        type: "trial_started",
        key: trial.key,
        stage: trial.stage,
        name: trial.name,
        attempt,
      });
      const began = performance.now();
      // `running` is recorded once the process exists, with its pid (to find it if xp dies).
      let recorded = Promise.resolve();
      let outcome: TrialOutcome;
      try {
        outcome = await options.executor.run(launch, {
          signal: options.signal,
          stop: slots.stopper.signal,
          onStart: (pid) => {
            recorded = writeStatus(dir, { ...status, trial_pid: pid });
          },
          // The next trial starts while this one's output is written and its status recorded.
          onExited: release,
          onSubmit: (job, log) => {
            recorded = writeStatus(dir, {
              ...status,
              slurm_job: job,
              ...(log === undefined ? {} : { slurm_log: log }),
            });
          },
          ...(options.kill ? { kill: options.kill } : {}),
          ...(options.stream
            ? {
              onOutput: (stream: "stdout" | "stderr", line: string) =>
                options.reporter.report({
                  type: "trial_output",
                  key: trial.key,
                  name: trial.name,
                  stream,
                  line,
                }),
            }
            : {}),
        });
        // With --fail-fast no other trial may take this slot once a failure is final.
        const final = outcome.state !== "ok" && (round >= retries || options.signal.aborted);
        if (final && FAILED.includes(outcome.state) && options.failFast) closeSlots(slots);
      } finally {
        release();
      }
      await recorded;
      // Still running under Slurm: its `running` status (with the job id) stays for the next run.
      if (outcome.detached) return "running";
      if (!retrying(options, outcome, round, retries)) {
        await finishTrial(options, trial, dir, status, outcome, performance.now() - began);
        return outcome.state;
      }
      await awaitRetry(options, trial, dir, status, outcome, round);
      await launch.archive(attempt);
      attempt++;
    }
  } finally {
    await lock.release();
  }
}

/** Where the attempts of a trial start in this run. */
interface NextAttempt {
  /** The attempt number. */
  attempt: number;
  /** The attempt whose files are still in place, to set aside first. */
  archive: number | undefined;
  /** Retries already used in this run. */
  round: number;
}

/** The executor that follows jobs submitted earlier (Slurm), if any. */
function follower(options: RunPlanOptions): Executor | undefined {
  const executor = options.follower ?? options.executor;
  return executor.attach ? executor : undefined;
}

function retrying(
  options: RunPlanOptions,
  outcome: TrialOutcome,
  round: number,
  retries: number,
): boolean {
  return outcome.state !== "ok" && outcome.state !== "interrupted" &&
    outcome.state !== "skipped" && round < retries &&
    !options.signal.aborted;
}

/** Records a failed attempt that will be retried, says so, and waits the backoff. */
async function awaitRetry(
  options: RunPlanOptions,
  trial: PlannedTrial,
  dir: string,
  status: TrialStatus,
  outcome: TrialOutcome,
  round: number,
): Promise<void> {
  const delay = Math.min(30_000, (options.retryBackoffMs ?? 500) * 2 ** round);
  options.reporter.report({
    type: "trial_retrying",
    key: trial.key,
    stage: trial.stage,
    name: trial.name,
    attempt: status.attempt + 1,
    error: outcome.error ?? outcome.state,
    delay_ms: delay,
  });
  const { slurm_job: _job, slurm_log: _log, ...rest } = status;
  await writeStatus(dir, { ...rest, ...statusOf(outcome), finished_at: new Date().toISOString() });
  await abortableDelay(delay, options.signal);
}

/**
 * Follows a trial's Slurm job submitted earlier, then records how it ended; or, when it failed
 * with retries left or can never start, says where the next attempt starts.
 */
async function attachTrial(
  options: RunPlanOptions,
  trial: PlannedTrial,
  dir: string,
  previous: TrialStatus,
  slots: Slots,
  takeSlot: () => Promise<() => void>,
): Promise<TrialState | NextAttempt> {
  const release = await takeSlot();
  let outcome: TrialOutcome;
  const status: TrialStatus = {
    ...previous,
    run_id: options.runId,
    pid: options.context.pid,
    host: options.context.host,
  };
  const began = performance.now();
  try {
    // Not followed, but its job goes on: the next run follows it.
    if (options.signal.aborted || slots.closed) return "running";
    await writeStatus(dir, status);
    options.reporter.report({
      type: "trial_started",
      key: trial.key,
      stage: trial.stage,
      name: trial.name,
      attempt: previous.attempt,
    });
    const stage = options.plan.stages.find((s) => s.stage.name === trial.stage)!.stage;
    outcome = await follower(options)!.attach!(
      {
        job: previous.slurm_job!,
        trialDir: dir,
        stage,
        ...(previous.slurm_log === undefined ? {} : { log: previous.slurm_log }),
      },
      {
        signal: options.signal,
        stop: slots.stopper.signal,
        ...(options.kill ? { kill: options.kill } : {}),
      },
    );
  } finally {
    release();
  }
  if (outcome.detached) return "running";
  // It never ran: the same attempt goes out again, now that its dependencies are done.
  if (outcome.stale) return { attempt: previous.attempt, archive: undefined, round: 0 };
  const stage = options.plan.stages.find((s) => s.stage.name === trial.stage)!.stage;
  if (retrying(options, outcome, 0, stage.retry)) {
    await awaitRetry(options, trial, dir, status, outcome, 0);
    return { attempt: previous.attempt + 1, archive: previous.attempt, round: 1 };
  }
  await finishTrial(options, trial, dir, status, outcome, performance.now() - began);
  return outcome.state;
}

function ranElsewhereSincePlanned(status: TrialStatus, options: RunPlanOptions): boolean {
  return status.run_id !== options.runId &&
    (status.state === "ok" || FAILED.includes(status.state)) &&
    status.finished_at !== null && options.plannedAt !== undefined &&
    new Date(status.finished_at) >= options.plannedAt;
}

/**
 * Kills the process group of a trial a dead `xp run` left behind, after checking through
 * /proc that the process is still that trial (a pid can be reused).
 */
async function killOrphan(pid: number, key: string): Promise<void> {
  let environ: string;
  try {
    environ = await Deno.readTextFile(`/proc/${pid}/environ`);
  } catch {
    return;
  }
  if (!environ.split("\0").includes(`XP_TRIAL_KEY=${key}`)) return;
  for (const target of [-pid, pid]) {
    try {
      Deno.kill(target, "SIGKILL");
    } catch {
      // Not a group leader, or already gone.
    }
  }
}

function statusOf(outcome: TrialOutcome) {
  return {
    state: outcome.state,
    exit_code: outcome.exitCode,
    signal: outcome.signal,
    error: outcome.error,
  };
}

async function finishTrial(
  options: RunPlanOptions,
  trial: PlannedTrial,
  dir: string,
  status: TrialStatus,
  outcome: TrialOutcome,
  elapsedMs: number,
): Promise<void> {
  const {
    pid: _pid,
    host: _host,
    trial_pid: _trialPid,
    slurm_job: _job,
    slurm_log: _log,
    ...rest
  } = status;
  await writeStatus(dir, { ...rest, ...statusOf(outcome), finished_at: new Date().toISOString() });
  const stderrPath = `${dir}/stderr.log`;
  const tail = outcome.state === "ok" ? [] : await stderrTail(stderrPath, 8);
  options.reporter.report({
    type: "trial_finished",
    key: trial.key,
    stage: trial.stage,
    name: trial.name,
    state: outcome.state,
    attempt: status.attempt,
    duration_s: elapsedMs / 1000,
    exit_code: outcome.exitCode,
    signal: outcome.signal,
    error: outcome.error,
    stderr_tail: tail,
    stderr_path: stderrPath,
  });
}

/** Another `xp run` holds the trial: wait until it ends there, or its owner dies. */
async function awaitOtherRun(
  options: RunPlanOptions,
  dir: string,
  runHere: () => Promise<TrialState>,
): Promise<TrialState> {
  while (!options.signal.aborted) {
    const status = await readStatus(dir);
    if (status && FINAL_STATES.includes(status.state) && status.run_id !== options.runId) {
      const lockGone = await Deno.stat(`${dir}/lock`).then(() => false, () => true);
      if (lockGone) return status.state;
    }
    const owner = status?.pid !== undefined && status.host !== undefined
      ? { pid: status.pid, host: status.host }
      : undefined;
    if (owner && isStale(owner, options.context.host)) return await runHere();
    const lock = await acquireTrialLock(dir, {
      pid: options.context.pid,
      host: options.context.host,
    });
    if (lock.acquired) {
      await lock.release();
      return await runHere();
    }
    await abortableDelay(options.pollMs ?? 200, options.signal);
  }
  return "interrupted";
}

async function writeSkipped(
  options: RunPlanOptions,
  trial: PlannedTrial,
  reason: string,
): Promise<string> {
  const dir = trialDir(options.layout, trial.key);
  await Deno.mkdir(dir, { recursive: true });
  writeTrialFiles(trial, dir, options.context);
  const previous = await readStatus(dir);
  // Submitted ahead with `--dependency=afterok`, its job would wait forever
  // (DependencyNeverSatisfied): cancel it.
  const job = previous?.state === "running" ? previous.slurm_job : undefined;
  const cancel = follower(options)?.cancel;
  if (job !== undefined && cancel) {
    await cancel([job]);
    reason = `${reason}; its Slurm job ${job} was cancelled`;
  }
  const now = new Date().toISOString();
  await writeStatus(dir, {
    state: "skipped",
    exit_code: null,
    signal: null,
    error: reason,
    started_at: null,
    finished_at: now,
    attempt: previous?.attempt ?? 0,
    run_id: options.runId,
  });
  return reason;
}

/** V8's crash report (GC trace, C stack) says nothing a user can act on. */
const V8_NOISE = /^(\[\d+:0x[0-9a-f]+\]|#|====|<---|\s*\/\S+\(\+0x[0-9a-f]+\))/;

async function stderrTail(path: string, lines: number): Promise<string[]> {
  const text = await readTail(path, 16 * 1024);
  return text.split("\n").map((l) => l.trimEnd()).filter((l) => l && !V8_NOISE.test(l))
    .slice(-lines);
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/** `fn` that does something on its first call only (a slot released early and in a `finally`). */
function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}

/**
 * Creates `dir` (and its parents) synchronously, as the trial's other files are written; true
 * when it did not exist.
 */
function mkdirNow(dir: string): Promise<boolean> {
  return settled(() => {
    try {
      Deno.mkdirSync(dir);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    Deno.mkdirSync(dir, { recursive: true });
    return true;
  });
}
