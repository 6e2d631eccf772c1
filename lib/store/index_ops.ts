/**
 * What both stores do with their index, given a way to get a session: ingest trials and runs,
 * catch up with the files, rebuild everything, answer read-only SQL. The DuckDB file store opens a
 * session per call; the in-memory store keeps one.
 *
 * @module
 */

import { type Changes, hasChanges } from "./catch_up.ts";
import type { Db } from "./db.ts";
import {
  inTransaction,
  nextIds,
  readRun,
  type RunData,
  writeRuns,
  writeTrialRows,
} from "./ingest.ts";
import type { StoreLayout } from "./layout.ts";
import { TABLES } from "./schema.ts";
import { toSqlError } from "./sql_error.ts";
import type { IngestReport, QueryResult } from "./store.ts";
import { localReader, workerReader } from "./read_pool.ts";
import {
  buildTrialRows,
  type ReadRowsOptions,
  readTrialRows,
  type TrialRows,
} from "./trial_rows.ts";
import { refreshViews } from "./views.ts";

/** How an index is reached. */
export interface Sessions {
  /** Runs `fn` with a session that may write. */
  write<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Runs `fn` with a session that refuses writes and file access (for user SQL). */
  read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
}

/** Settings of ingest. */
export interface IngestSettings {
  /** Texts longer than this many characters are cut in the index. */
  textLimit: number;
}

/** Trials per batch when many are read: bounds memory while keeping both sides busy. */
const BATCH = 500;
/** From this many trials on, workers read while this thread appends. */
const WORKER_THRESHOLD = 1000;

/** What else {@linkcode ingestTrials} writes in its transaction. */
export interface IngestExtras {
  /** Say nothing of trials that have not finished. */
  quietUnfinished?: boolean;
  /** Trials whose rows are deleted. */
  removed?: readonly string[];
  /** Runs whose records are read from `runs/<id>/run.json` and replaced. */
  runs?: readonly string[];
  /** Runs whose records are deleted. */
  removedRuns?: readonly string[];
}

/**
 * Reads `keys` (and `runs`) and replaces them in the index, in one session; unreadable trials are
 * reported as warnings, keys whose directory is gone are deleted. A few trials are read before
 * the index is opened (the lock is held only to write); many are read in batches while writing.
 */
export async function ingestTrials(
  sessions: Sessions,
  layout: StoreLayout,
  keys: readonly string[],
  settings: IngestSettings & IngestExtras,
): Promise<IngestReport> {
  const runs = await readRuns(layout, settings.runs ?? []);
  const removedRuns = settings.removedRuns ?? [];
  // Does nothing when there are none.
  const writeRunsToo = (db: Db) => writeRuns(db, runs, removedRuns);
  if (keys.length > BATCH) {
    return await sessions.write((db) =>
      inTransaction(db, async () => {
        const report = await writeMany(db, layout, keys, settings, settings.removed ?? []);
        await writeRunsToo(db);
        return report;
      })
    );
  }
  const rows = await readTrialRows(layout, keys, settings);
  rows.removed.push(...settings.removed ?? []);
  const trials = rows.keys.length > 0 || rows.removed.length > 0;
  if (!trials && runs.length === 0 && removedRuns.length === 0) {
    return { trials: 0, rows: 0, warnings: rows.warnings };
  }
  const appended = await sessions.write((db) =>
    inTransaction(db, async () => {
      const appended = trials ? await writeTrialRows(db, rows) : 0;
      await writeRunsToo(db);
      return appended;
    })
  );
  return { trials: rows.keys.length, rows: appended, warnings: rows.warnings };
}

/** Ingests what {@linkcode findChanges} found. */
export async function applyChanges(
  sessions: Sessions,
  layout: StoreLayout,
  changes: Changes,
  settings: IngestSettings,
): Promise<IngestReport> {
  if (!hasChanges(changes)) return { trials: 0, rows: 0, warnings: [] };
  return await ingestTrials(sessions, layout, changes.trials, {
    ...settings,
    quietUnfinished: true,
    removed: changes.removedTrials,
    runs: changes.runs,
    removedRuns: changes.removedRuns,
  });
}

/**
 * Empties the index and reads every trial and run back, in one transaction: a failure (or a
 * kill) leaves the index as it was. `fresh` says the index is new and empty.
 */
export async function rebuildIndex(
  db: Db,
  layout: StoreLayout,
  settings: IngestSettings,
  options: { fresh?: boolean } = {},
): Promise<IngestReport> {
  const keys = listDirs(layout.trials);
  const ids = listDirs(layout.runs);
  return await inTransaction(db, async () => {
    if (!options.fresh) {
      for (
        const table of [
          "point",
          "point_lod",
          "series",
          "param",
          "metric",
          "text",
          "artifact",
          "dep",
          "tag",
          "note",
          "wide",
        ]
      ) {
        await db.exec(`DELETE FROM ${TABLES}.${table}`);
      }
      await db.exec(`DELETE FROM ${TABLES}.trial; DELETE FROM ${TABLES}.run`);
    }
    const report = await writeMany(db, layout, keys, { ...settings, quietUnfinished: true }, [], {
      fresh: true,
    });
    await writeRuns(db, await readRuns(layout, ids));
    return report;
  });
}

/**
 * Reads `keys` in batches (in workers when there are many) and writes each batch as it comes,
 * in the caller's transaction, through appenders kept open throughout; the views are rebuilt
 * once at the end. Old rows of the keys (and of `removed`) are deleted first.
 */
async function writeMany(
  db: Db,
  layout: StoreLayout,
  keys: readonly string[],
  options: ReadRowsOptions,
  removed: readonly string[],
  write: { fresh?: boolean } = {},
): Promise<IngestReport> {
  if (!write.fresh) {
    // Delete up front: rows still in the appenders would not be seen by a DELETE.
    await writeTrialRows(db, emptyRows([...keys, ...removed]), { refreshViews: false });
  }
  // This thread appends and waits on the workers about half the time, so as many workers as
  // cores (up to 4) keep every core busy.
  const workers = Math.max(1, Math.min(4, navigator.hardwareConcurrency ?? 1));
  const reader = keys.length >= WORKER_THRESHOLD
    ? workerReader(layout, options, workers)
    : localReader(layout, options);
  const report: IngestReport = { trials: 0, rows: 0, warnings: [] };
  const ids = await nextIds(db);
  const appenders = db.appenders();
  try {
    const batches: (readonly string[])[] = [];
    for (let start = 0; start < keys.length; start += BATCH) {
      batches.push(keys.slice(start, start + BATCH));
    }
    // Two batches per worker in flight keep the workers busy while this thread appends.
    const inFlight: Promise<TrialRows>[] = [];
    let next = 0;
    const fill = () => {
      while (next < batches.length && inFlight.length < 2 * workers) {
        const read = reader.read(batches[next++]!);
        // Awaited in order below; until then a failure must not count as unhandled.
        read.catch(() => {});
        inFlight.push(read);
      }
    };
    fill();
    while (inFlight.length > 0) {
      const rows = await inFlight.shift()!;
      fill();
      report.rows += await writeTrialRows(db, rows, {
        refreshViews: false,
        fresh: true,
        ids,
        appenders,
      });
      report.trials += rows.keys.length;
      report.warnings.push(...rows.warnings);
    }
  } finally {
    reader.close();
    await appenders.close();
  }
  await refreshViews(db);
  return report;
}

function emptyRows(removed: string[]): TrialRows {
  const rows = buildTrialRows([]);
  rows.removed = removed;
  return rows;
}

/** Answers read-only SQL; DuckDB's errors become {@linkcode SqlError}s. */
export async function queryIndex(
  sessions: Sessions,
  sql: string,
  params?: readonly unknown[],
): Promise<QueryResult> {
  return await sessions.read(async (db) => {
    try {
      return await db.query(sql, params);
    } catch (error) {
      throw toSqlError(error, sql);
    }
  });
}

async function readRuns(layout: StoreLayout, ids: readonly string[]): Promise<RunData[]> {
  const runs = await Promise.all(ids.map((id) => readRun(layout, id)));
  return runs.filter((run) => run !== undefined);
}

function listDirs(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
