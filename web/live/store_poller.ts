/**
 * Live events from a store's files, for `GET /api/events`. `xp run` is another process and the
 * files are the truth, so the viewer polls them: every tick (500 ms) it looks at the index's
 * stamp, the runs and trials directories' stamps, and the files of the trials it knows are
 * active; while a run is going it also sweeps the trial directories' mtimes every few seconds,
 * to catch finished trials that a run starts again. It reads only what was appended to
 * `events.ndjson` since the last tick. It works only while someone listens.
 *
 * @module
 */

import { join } from "node:path";
import { parseEvents } from "../../lib/store/events_reader.ts";
import { runDir, type StoreLayout, trialDir, trialFile } from "../../lib/store/layout.ts";
import { FINAL_STATES, type TrialState } from "../../lib/store/trial_files.ts";
import { readJson } from "../../lib/query/resolve.ts";
import { fileSize, fileStamp, listDir, mtimes } from "./dir_scan.ts";
import { readAppendedLines } from "./file_tail.ts";
import type { LiveEvent, LiveSource } from "./live_event.ts";

/** Options of {@linkcode storePoller}. */
export interface StorePollerOptions {
  /** Time between ticks. @default {500} */
  intervalMs?: number;
  /** Shortest time between sweeps of every trial directory while a run is going. @default {2000} */
  sweepMs?: number;
  /** Told about a tick that failed (the next tick tries again). */
  onError?: (error: unknown) => void;
}

/** What the poller knows of a trial that is running (or just changed). */
interface ActiveTrial {
  statusStamp: string;
  state: TrialState | undefined;
  attempt: number;
  runId: string;
  stage: string;
  name: string;
  eventsOffset: number;
  eventsIno: string;
  logSizes: { stdout: number; stderr: number };
}

/** What the poller remembers between ticks. */
interface PollState {
  indexStamp: string;
  runsStamp: string;
  runs: Map<string, { stamp: string; status: string; startedMs: number }>;
  trialsStamp: string;
  trialKeys: Set<string>;
  active: Map<string, ActiveTrial>;
  /** Trial directory mtimes at the last sweep. */
  dirMtimes: Map<string, number>;
  lastSweep: number;
}

/** A {@linkcode LiveSource} that polls the files of the store at `layout`. */
export function storePoller(layout: StoreLayout, options: StorePollerOptions = {}): LiveSource {
  const intervalMs = options.intervalMs ?? 500;
  const sweepMs = options.sweepMs ?? 2000;
  const listeners = new Set<(event: LiveEvent) => void>();
  /** Listeners still to be told "ready" at the end of the next tick. */
  const waiting = new Set<(event: LiveEvent) => void>();
  let state: PollState | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticking = false;

  const emit = (event: LiveEvent): void => {
    for (const listener of listeners) listener(event);
  };

  async function tick(): Promise<void> {
    timer = undefined;
    if (listeners.size === 0) return;
    ticking = true;
    try {
      if (state === undefined) state = await baseline(layout);
      else await poll(layout, state, emit, sweepMs);
      for (const listener of waiting) if (listeners.has(listener)) listener({ type: "ready" });
      waiting.clear();
    } catch (error) {
      options.onError?.(error);
    } finally {
      ticking = false;
      if (listeners.size > 0) timer = setTimeout(tick, intervalMs);
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      waiting.add(listener);
      if (timer === undefined && !ticking) timer = setTimeout(tick, 0);
      return () => {
        listeners.delete(listener);
        waiting.delete(listener);
        if (listeners.size > 0) return;
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        // Nobody listens: what was seen goes stale, so the next listener starts afresh.
        state = undefined;
      };
    },
  };
}

/** The first look: remembers what is there without reporting it. */
async function baseline(layout: StoreLayout): Promise<PollState> {
  const state: PollState = {
    indexStamp: indexStamp(layout),
    runsStamp: fileStamp(layout.runs),
    runs: new Map(),
    trialsStamp: fileStamp(layout.trials),
    trialKeys: new Set(listDir(layout.trials)),
    active: new Map(),
    dirMtimes: new Map(),
    lastSweep: 0,
  };
  for (const id of listDir(layout.runs)) await readRun(layout, state, id);
  const since = runningSince(state);
  if (since !== undefined) {
    const keys = [...state.trialKeys];
    const times = mtimes(layout.trials, keys);
    state.dirMtimes = times;
    state.lastSweep = Date.now();
    for (const [key, mtime] of times) {
      if (mtime >= since) await activate(layout, state, key, { fromStart: false });
    }
    // Those already over are not news; only the running ones are followed.
    for (const [key, trial] of state.active) {
      if (isFinal(trial.state)) state.active.delete(key);
    }
  }
  return state;
}

async function poll(
  layout: StoreLayout,
  state: PollState,
  emit: (event: LiveEvent) => void,
  sweepMs: number,
): Promise<void> {
  const index = indexStamp(layout);
  if (index !== state.indexStamp) {
    state.indexStamp = index;
    emit({ type: "index" });
  }
  await pollRuns(layout, state, emit);
  const trialsStamp = fileStamp(layout.trials);
  if (trialsStamp !== state.trialsStamp) {
    state.trialsStamp = trialsStamp;
    for (const key of listDir(layout.trials)) {
      if (state.trialKeys.has(key)) continue;
      state.trialKeys.add(key);
      const trial = await activate(layout, state, key, { fromStart: true });
      if (trial.state !== undefined) emit(trialEvent(key, trial));
    }
  }
  const since = runningSince(state);
  if (since !== undefined && Date.now() - state.lastSweep >= sweepMs) {
    await sweep(layout, state, since, emit);
  }
  for (const [key, trial] of state.active) await pollTrial(layout, state, key, trial, emit);
}

/** New runs and runs whose `run.json` changed. */
async function pollRuns(
  layout: StoreLayout,
  state: PollState,
  emit: (event: LiveEvent) => void,
): Promise<void> {
  const stamp = fileStamp(layout.runs);
  if (stamp !== state.runsStamp) {
    state.runsStamp = stamp;
    for (const id of listDir(layout.runs)) {
      if (state.runs.has(id)) continue;
      const run = await readRun(layout, state, id);
      if (run !== undefined) emit({ type: "run", run_id: id, status: run.status });
    }
  }
  for (const [id, run] of state.runs) {
    if (run.status !== "running") continue;
    if (fileStamp(join(runDir(layout, id), "run.json")) === run.stamp) continue;
    const now = await readRun(layout, state, id);
    if (now !== undefined && now.status !== "running") {
      emit({ type: "run", run_id: id, status: now.status });
    }
  }
}

/** Trials whose directory changed since the last sweep (a run started one again). */
async function sweep(
  layout: StoreLayout,
  state: PollState,
  since: number,
  emit: (event: LiveEvent) => void,
): Promise<void> {
  const times = mtimes(layout.trials, [...state.trialKeys]);
  state.lastSweep = Date.now();
  for (const [key, mtime] of times) {
    if (mtime === state.dirMtimes.get(key) || mtime < since || state.active.has(key)) continue;
    const trial = await activate(layout, state, key, { fromStart: true });
    if (trial.state !== undefined) emit(trialEvent(key, trial));
  }
  for (const [key, mtime] of times) state.dirMtimes.set(key, mtime);
}

/** Starts following the trial `key`; `fromStart` reports its events from the first line. */
async function activate(
  layout: StoreLayout,
  state: PollState,
  key: string,
  options: { fromStart: boolean },
): Promise<ActiveTrial> {
  const dir = trialDir(layout, key);
  const events = trialFile(dir, "events");
  const trial: ActiveTrial = {
    statusStamp: "",
    state: undefined,
    attempt: 0,
    runId: "",
    stage: "?",
    name: "?",
    eventsOffset: options.fromStart ? 0 : Math.max(0, fileSize(events)),
    eventsIno: inode(fileStamp(events)),
    logSizes: {
      stdout: Math.max(0, fileSize(trialFile(dir, "stdout"))),
      stderr: Math.max(0, fileSize(trialFile(dir, "stderr"))),
    },
  };
  await refreshStatus(dir, trial);
  state.active.set(key, trial);
  return trial;
}

/** Reads what a followed trial appended and whether its state changed. */
async function pollTrial(
  layout: StoreLayout,
  state: PollState,
  key: string,
  trial: ActiveTrial,
  emit: (event: LiveEvent) => void,
): Promise<void> {
  const dir = trialDir(layout, key);
  await readEvents(dir, key, trial, emit);
  for (const stream of ["stdout", "stderr"] as const) {
    const size = fileSize(trialFile(dir, stream));
    if (size >= 0 && size !== trial.logSizes[stream]) {
      trial.logSizes[stream] = size;
      emit({ type: "log", key, stream, size });
    }
  }
  const before = `${trial.state}/${trial.attempt}`;
  const changed = await refreshStatus(dir, trial);
  if (changed && `${trial.state}/${trial.attempt}` !== before) emit(trialEvent(key, trial));
  if (!isFinal(trial.state)) return;
  // The trial wrote its last events before it exited and xp wrote its status.
  await readEvents(dir, key, trial, emit);
  state.active.delete(key);
  // Its status write changed the directory's mtime: the next sweep must not take that as news.
  for (const [name, mtime] of mtimes(layout.trials, [key])) state.dirMtimes.set(name, mtime);
  const run = state.runs.get(trial.runId);
  if (run?.status === "running") emit({ type: "run", run_id: trial.runId, status: "running" });
}

/** Re-reads `status.json` when it changed; `true` when it did. */
async function refreshStatus(dir: string, trial: ActiveTrial): Promise<boolean> {
  if (trial.stage === "?") {
    const meta = await readJson(trialFile(dir, "meta"));
    if (meta !== undefined) {
      trial.stage = String(meta.stage ?? "?");
      trial.name = String(meta.name ?? "?");
    }
  }
  const stamp = fileStamp(trialFile(dir, "status"));
  if (stamp === trial.statusStamp) return false;
  const status = await readJson(trialFile(dir, "status"));
  trial.statusStamp = stamp;
  if (status === undefined) return false;
  trial.state = status.state as TrialState;
  trial.attempt = Number(status.attempt ?? 0);
  trial.runId = String(status.run_id ?? "");
  return true;
}

/** `"t":"scalar"` or `"t":"scalars"`, as any JSON writer may space them. */
const SCALAR_TYPE = /"t"\s*:\s*"scalars?"/;

/** Emits the scalar points appended to the trial's `events.ndjson`. */
async function readEvents(
  dir: string,
  key: string,
  trial: ActiveTrial,
  emit: (event: LiveEvent) => void,
): Promise<void> {
  const path = trialFile(dir, "events");
  const stamp = fileStamp(path);
  // A new attempt starts a new file (the old one is archived): read it from the start.
  const ino = inode(stamp);
  if (ino !== trial.eventsIno) {
    trial.eventsIno = ino;
    trial.eventsOffset = 0;
  }
  const size = fileSize(path);
  if (size >= 0 && size < trial.eventsOffset) trial.eventsOffset = 0;
  const { lines, offset } = await readAppendedLines(path, trial.eventsOffset);
  trial.eventsOffset = offset;
  const scalarLines = lines.filter((line) => SCALAR_TYPE.test(line));
  if (scalarLines.length === 0) return;
  const parsed = parseEvents(scalarLines.join("\n"), path);
  const bySeries = parsed.series.map(() => ({
    step: [] as number[],
    value: [] as (number | null)[],
    time: [] as (number | null)[],
  }));
  for (let i = 0; i < parsed.pointSeries.length; i++) {
    const points = bySeries[parsed.pointSeries.at(i)]!;
    const value = parsed.values.at(i);
    const time = parsed.times.at(i);
    points.step.push(parsed.steps.at(i));
    points.value.push(Number.isFinite(value) ? value : null);
    points.time.push(Number.isFinite(time) ? time : null);
  }
  parsed.series.forEach((series, i) => {
    emit({ type: "scalars", key, name: series.name, context: series.context, ...bySeries[i]! });
  });
}

async function readRun(
  layout: StoreLayout,
  state: PollState,
  id: string,
): Promise<{ status: string } | undefined> {
  const path = join(runDir(layout, id), "run.json");
  const stamp = fileStamp(path);
  const record = await readJson(path);
  if (record === undefined) return undefined;
  const run = {
    stamp,
    status: String(record.status ?? "?"),
    startedMs: Date.parse(String(record.started_at ?? "")) || 0,
  };
  state.runs.set(id, run);
  return run;
}

/** The start of the earliest run still going, or `undefined` when none is. */
function runningSince(state: PollState): number | undefined {
  let since: number | undefined;
  for (const run of state.runs.values()) {
    if (run.status === "running") since = Math.min(since ?? Infinity, run.startedMs);
  }
  // Directory mtimes have coarse resolution on some filesystems: look a second earlier.
  return since === undefined ? undefined : since - 1000;
}

function trialEvent(key: string, trial: ActiveTrial): LiveEvent {
  return {
    type: "trial",
    key,
    stage: trial.stage,
    name: trial.name,
    state: trial.state!,
    attempt: trial.attempt,
    run_id: trial.runId,
  };
}

function isFinal(state: TrialState | undefined): boolean {
  return state !== undefined && FINAL_STATES.includes(state);
}

function inode(stamp: string): string {
  return stamp.split(":")[2] ?? "";
}

function indexStamp(layout: StoreLayout): string {
  return `${fileStamp(layout.index)}/${fileStamp(`${layout.index}.wal`)}`;
}
