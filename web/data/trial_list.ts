/**
 * A page of the trials table: the index's `trials` view filtered by the `--filter` syntax,
 * sorted by the `--sort` shorthand (NaN and NULL last), paged; plus the trials that are on
 * disk but not indexed yet (running, or finished a moment ago), read from their files.
 *
 * @module
 */

import { SqlError } from "../../lib/errors.ts";
import { compileFilter, filterError, loadNameSchema } from "../../lib/query/filter.ts";
import type { NameSchema } from "../../lib/query/names.ts";
import { readLiveEvents } from "../../lib/query/live.ts";
import { readJson } from "../../lib/query/resolve.ts";
import { compileSort } from "../../lib/query/sort.ts";
import { readTags } from "../../lib/store/annotations.ts";
import { trialDir, trialFile } from "../../lib/store/layout.ts";
import { mtimes } from "../live/dir_scan.ts";
import type { Viewer } from "../viewer.ts";

/** One row of the trials table. */
export type TrialRow = Record<string, unknown> & {
  key: string;
  name: string;
  stage: string;
  status: string;
  params: unknown;
  metrics: unknown;
};

/** What `GET /api/trials` answers. */
export interface TrialPage {
  /** Indexed trials matching the filter. */
  total: number;
  /** The page of them. */
  trials: TrialRow[];
  /** Trials on disk that the index does not have yet (only without a filter). */
  pending: TrialRow[];
}

/** What to list. */
export interface TrialListQuery {
  /** A `--filter` expression. */
  filter?: string | undefined;
  /** A `--sort` spec (`-accuracy`). */
  sort?: string | undefined;
  /** Page size. */
  limit: number;
  /** Rows to skip. */
  offset: number;
  /** Only these trials (checked keys). */
  keys?: readonly string[] | undefined;
}

/** How much of a pending trial's events is read for its latest metrics: an SDK batch line is at most ~250 KB. */
const LIVE_TAIL_BYTES = 256 * 1024;

/** Most pending trials listed (the newest). */
const MAX_PENDING = 500;

/** The names a filter may use, from the index (cached with it). */
export function nameSchema(viewer: Viewer): Promise<NameSchema> {
  return viewer.cache.get("schema", () => loadNameSchema(viewer.store));
}

/**
 * One page of trials.
 *
 * @throws {SqlError} for a bad filter or sort, positioned in what the user wrote
 */
export async function listTrials(viewer: Viewer, query: TrialListQuery): Promise<TrialPage> {
  const schema = await nameSchema(viewer);
  const filter = query.filter?.trim() ? compileFilter(query.filter, schema) : undefined;
  const order = query.sort?.trim()
    ? `${compileSort(query.sort.trim(), schema).sql}, t.key`
    : "t.started_at desc nulls last, t.key";
  const head = "select count(*) over () as xp_total, t.* from trials t where (";
  // Keys are checked to be [A-Za-z0-9_-] before they get here, so they are quoted as they are.
  const only = query.keys === undefined
    ? ""
    : ` and t.key in (${query.keys.map((k) => `'${k}'`).join(", ") || "null"})`;
  // The filter comes first after `where (`, so DuckDB's error positions map back into it.
  const where = `${filter?.sql ?? "true"})${only}`;
  const sql = `${head}${where} order by ${order} limit ${query.limit} offset ${query.offset}`;
  let result;
  try {
    result = await viewer.query(sql);
  } catch (error) {
    if (error instanceof SqlError && filter !== undefined) {
      throw filterError(error, filter, head.length);
    }
    throw error;
  }
  const names = result.columns.map((c) => c.name);
  const trials = result.rows.map((row) => {
    const object: Record<string, unknown> = {};
    names.forEach((name, i) => {
      if (name !== "xp_total") object[name] = row[i];
    });
    return object as TrialRow;
  });
  let total = Number(result.rows[0]?.[0] ?? 0);
  if (trials.length === 0 && query.offset > 0) {
    const count = await viewer.query(`select count(*) from trials t where (${where}`);
    total = Number(count.rows[0]?.[0] ?? 0);
  }
  let pending = filter === undefined && query.offset === 0 ? await pendingTrials(viewer) : [];
  if (query.keys !== undefined) {
    const wanted = new Set(query.keys);
    pending = pending.filter((t) => wanted.has(t.key));
  }
  return { total, trials, pending };
}

/** Trials whose directory exists but which the index does not have. */
export async function pendingTrials(viewer: Viewer): Promise<TrialRow[]> {
  const indexed = await viewer.indexedKeys();
  let keys = [...viewer.trialKeys()].filter((key) => !indexed.has(key));
  if (keys.length > MAX_PENDING) {
    // A store that was never indexed: read only the newest directories' files.
    const times = mtimes(viewer.store.layout.trials, keys);
    keys = keys.sort((a, b) => (times.get(b) ?? 0) - (times.get(a) ?? 0)).slice(0, MAX_PENDING);
  }
  const rows = await Promise.all(keys.map((key) => pendingRow(viewer, key)));
  return rows
    .filter((row): row is TrialRow => row !== undefined)
    .sort((a, b) => String(b.started_at ?? "").localeCompare(String(a.started_at ?? "")));
}

async function pendingRow(viewer: Viewer, key: string): Promise<TrialRow | undefined> {
  const dir = trialDir(viewer.store.layout, key);
  const [meta, status, config, tags] = await Promise.all([
    readJson(trialFile(dir, "meta")),
    readJson(trialFile(dir, "status")),
    readJson(trialFile(dir, "config")),
    readTags(dir),
  ]);
  if (meta === undefined) return undefined;
  const started = Date.parse(String(status?.started_at ?? ""));
  const finished = Date.parse(String(status?.finished_at ?? ""));
  return {
    key,
    experiment: String(meta.experiment ?? ""),
    stage: String(meta.stage ?? ""),
    name: String(meta.name ?? key),
    status: String(status?.state ?? "queued"),
    run_id: status?.run_id ?? null,
    attempt: status?.attempt ?? null,
    started_at: status?.started_at ?? null,
    finished_at: status?.finished_at ?? null,
    duration_s: Number.isFinite(started) && Number.isFinite(finished)
      ? (finished - started) / 1000
      : null,
    exit_code: status?.exit_code ?? null,
    error: status?.error ?? null,
    parent: typeof meta.parent === "string" ? meta.parent : null,
    params: config ?? {},
    // The latest values, from the end of what it logged so far.
    metrics: (await readLiveEvents(dir, { tailBytes: LIVE_TAIL_BYTES })).metrics,
    tags,
    pending: true,
  };
}
