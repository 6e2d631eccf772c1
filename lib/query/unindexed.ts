/**
 * Trials that have a directory but are not in the index: running or queued ones (the index holds
 * finished trials), listed by `xp ls` from their files so a run in progress is visible.
 *
 * @module
 */

import { join } from "node:path";
import type { Store } from "../store/store.ts";
import { readLiveEvents } from "./live.ts";
import { readJson } from "./resolve.ts";

/** A trial as `xp ls --json` prints it. */
export interface TrialRow {
  /** sha256 hex. */
  key: string;
  /** The experiment. */
  experiment: string | null;
  /** The stage. */
  stage: string | null;
  /** The trial's name. */
  name: string | null;
  /** Its state. */
  status: string;
  /** The run that ran it. */
  run_id: string | null;
  /** 1 for the first attempt. */
  attempt: number | null;
  /** ISO 8601. */
  started_at: string | null;
  /** ISO 8601. */
  finished_at: string | null;
  /** Seconds it ran (so far, while running). */
  duration_s: number | null;
  /** The process's exit code. */
  exit_code: number | null;
  /** What went wrong. */
  error: string | null;
  /** The resolved config. */
  params: Record<string, unknown>;
  /** Final (or, while running, latest) metrics. */
  metrics: Record<string, unknown>;
}

/**
 * The trials of `store` that have a directory but no row in the index, newest first: running,
 * queued, or finished since the store was opened. Metrics are read from their events.
 */
export async function unindexedTrials(
  store: Pick<Store, "query" | "layout">,
  now: Date = new Date(),
): Promise<TrialRow[]> {
  const indexed = new Set(
    (await store.query("select key from trials")).rows.map((r) => String(r[0])),
  );
  const keys: string[] = [];
  try {
    for await (const entry of Deno.readDir(store.layout.trials)) {
      if (entry.isDirectory && !indexed.has(entry.name)) keys.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const rows = await Promise.all(keys.map(async (key): Promise<TrialRow | undefined> => {
    const dir = join(store.layout.trials, key);
    const [meta, status, config] = await Promise.all([
      readJson(join(dir, "meta.json")),
      readJson(join(dir, "status.json")),
      readJson(join(dir, "config.json")),
    ]);
    // A directory being created has no meta.json yet; it is not a trial to show.
    if (meta === undefined) return undefined;
    const started = typeof status?.started_at === "string" ? status.started_at : null;
    const finished = typeof status?.finished_at === "string" ? status.finished_at : null;
    const end = finished === null ? now.getTime() : Date.parse(finished);
    const duration = started === null ? null : (end - Date.parse(started)) / 1000;
    return {
      key,
      experiment: stringOr(meta.experiment),
      stage: stringOr(meta.stage),
      name: stringOr(meta.name),
      status: stringOr(status?.state) ?? "queued",
      run_id: stringOr(status?.run_id),
      attempt: typeof status?.attempt === "number" ? status.attempt : null,
      started_at: started,
      finished_at: finished,
      duration_s: duration !== null && Number.isFinite(duration) ? duration : null,
      exit_code: typeof status?.exit_code === "number" ? status.exit_code : null,
      error: stringOr(status?.error),
      params: config ?? {},
      metrics: (await readLiveEvents(dir)).metrics,
    };
  }));
  return rows.filter((r) => r !== undefined)
    .sort((a, b) =>
      (b.started_at ?? "~").localeCompare(a.started_at ?? "~") || a.key.localeCompare(b.key)
    );
}

function stringOr(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
