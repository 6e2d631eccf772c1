/**
 * Runs for the Runs page, from their `runs/<id>/run.json` (the files are the truth, and a run
 * that is going is not in the index). A running run's record is only rewritten at its end, so
 * its progress is counted from the `status.json` of the trial directories it touched since it
 * started.
 *
 * @module
 */

import { readJson } from "../../lib/query/resolve.ts";
import { type StoreLayout, trialDir, trialFile } from "../../lib/store/layout.ts";
import { FINAL_STATES, type TrialState } from "../../lib/store/trial_files.ts";
import { HttpError } from "../http_error.ts";
import { listDir, mtimes } from "../live/dir_scan.ts";
import type { Viewer } from "../viewer.ts";

/** A run as the Runs page lists it. */
export interface RunSummary {
  /** The run id (sorts by start time). */
  run_id: string;
  /** The experiment's name. */
  experiment: string;
  /** The command line after `xp`. */
  argv: string[];
  /** running, ok, failed or interrupted. */
  status: string;
  /** ISO 8601. */
  started_at: string | null;
  /** ISO 8601, once it ended. */
  finished_at: string | null;
  /** The host it ran on. */
  host: string;
  /** The plan: trials, cached, todo, blocked, excluded. */
  plan: Record<string, number>;
  /** Outcomes, once it ended. */
  counts: Record<string, number>;
  /** While running: trials of this run that ended, and are running, out of `todo`. */
  progress?: { done: number; running: number; todo: number; states: Record<string, number> };
}

/** A run with the outcome of each of its trials. */
export interface RunDetail extends RunSummary {
  /** Each trial's outcome, by key. */
  trials: Record<string, { stage: string; name: string; outcome: string }>;
}

/** The newest `limit` runs, newest first. */
export async function listRuns(viewer: Viewer, limit: number): Promise<RunSummary[]> {
  const layout = viewer.store.layout;
  const ids = listDir(layout.runs).sort().reverse().slice(0, limit);
  const runs = await Promise.all(ids.map((id) => readRun(viewer, id)));
  const found = runs.filter((r): r is RunDetail => r !== undefined);
  return await Promise.all(found.map(async ({ trials: _trials, ...run }) => {
    if (run.status !== "running") return run;
    return { ...run, progress: await runProgress(layout, run) };
  }));
}

/**
 * The run `id` with its trials.
 *
 * @throws {HttpError} 400 for a malformed id, 404 when there is no such run
 */
export async function runDetail(viewer: Viewer, id: string): Promise<RunDetail> {
  const layout = viewer.store.layout;
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(id) || id.includes("..")) {
    throw new HttpError(400, `Not a run id: "${id.slice(0, 80)}"`);
  }
  const run = await readRun(viewer, id);
  if (run === undefined) throw new HttpError(404, `No run ${id} in ${layout.root}`);
  if (run.status !== "running") return run;
  return { ...run, progress: await runProgress(layout, run) };
}

async function readRun(viewer: Viewer, id: string): Promise<RunDetail | undefined> {
  const record = await viewer.runJson(id);
  if (record === undefined) return undefined;
  return {
    run_id: id,
    experiment: String(record.experiment ?? "?"),
    argv: Array.isArray(record.argv) ? record.argv.map(String) : [],
    status: String(record.status ?? "?"),
    started_at: (record.started_at ?? null) as string | null,
    finished_at: (record.finished_at ?? null) as string | null,
    host: String(record.host ?? ""),
    plan: (record.plan ?? {}) as Record<string, number>,
    counts: (record.counts ?? {}) as Record<string, number>,
    trials: (record.trials ?? {}) as RunDetail["trials"],
  };
}

/** Counts the states of the trials this run wrote since it started. */
async function runProgress(
  layout: StoreLayout,
  run: RunSummary,
): Promise<NonNullable<RunSummary["progress"]>> {
  // Directory mtimes are coarse on some filesystems: look a second before the start.
  const since = (Date.parse(run.started_at ?? "") || 0) - 1000;
  const touched = [...mtimes(layout.trials, listDir(layout.trials))]
    .filter(([, mtime]) => mtime >= since)
    .map(([key]) => key);
  const states: Record<string, number> = {};
  const statuses = await Promise.all(
    touched.map((key) => readJson(trialFile(trialDir(layout, key), "status"))),
  );
  for (const status of statuses) {
    if (status?.run_id !== run.run_id) continue;
    const state = String(status.state);
    states[state] = (states[state] ?? 0) + 1;
  }
  const done = Object.entries(states)
    .filter(([state]) => FINAL_STATES.includes(state as TrialState))
    .reduce((sum, [, n]) => sum + n, 0);
  return { done, running: states.running ?? 0, todo: Number(run.plan.todo ?? 0), states };
}
