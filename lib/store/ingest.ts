/**
 * Writing trials and runs into the index: in one transaction, the old rows of each key are
 * deleted and the new ones appended (Appender, column batches built by `trial_rows.ts`), then
 * the `trials`/`results` views are refreshed; a failure rolls all of it back.
 *
 * @module
 */

import { join } from "node:path";
import type { Appenders, Db, TableBatch } from "./db.ts";
import type { StoreLayout } from "./layout.ts";
import type { RunRecord } from "./runs.ts";
import { RUN_COUNTS, TABLES } from "./schema.ts";
import { tableBatches, type TrialRows } from "./trial_rows.ts";
import { refreshViews, shapeOf } from "./views.ts";

/** Runs `fn` in a transaction on `db`, rolled back if it throws. */
export async function inTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  await db.exec("BEGIN TRANSACTION");
  try {
    const result = await fn();
    await db.exec("COMMIT");
    return result;
  } catch (error) {
    await db.exec("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** The next free trial and series ids, carried from batch to batch of one transaction. */
export interface NextIds {
  /** Next trial id. */
  tid: number;
  /** Next series id. */
  series: number;
}

/** Options of {@linkcode writeTrialRows}. */
export interface WriteOptions {
  /** Rebuild the `trials`/`results` views afterwards if needed. @default {true} */
  refreshViews?: boolean;
  /** The index holds none of these keys (a rebuild): skip looking for old rows. */
  fresh?: boolean;
  /**
   * The next free ids, when several batches are written in one transaction: asking the index
   * each time measured ~15 ms a batch, as it scans the uncommitted rows. Updated in place.
   */
  ids?: NextIds;
  /** Appenders shared by the batches of one transaction (their rows show when closed). */
  appenders?: Appenders;
}

/** The next free ids in the index. */
export async function nextIds(db: Db): Promise<NextIds> {
  const [tid, series] = (await db.query(
    `SELECT coalesce(max(tid), 0), (SELECT coalesce(max(series_id), 0) FROM ${TABLES}.series)
     FROM ${TABLES}.trial`,
  )).rows[0] as [number, number];
  return { tid: tid + 1, series: series + 1 };
}

/**
 * Replaces the rows of the trials in `rows` (and deletes those of `rows.removed`), in the
 * caller's transaction, giving them trial and series ids after the largest in use. Returns the
 * rows appended. `rows`' id columns are shifted in place.
 */
export async function writeTrialRows(
  db: Db,
  rows: TrialRows,
  options: WriteOptions = {},
): Promise<number> {
  const refresh = options.refreshViews ?? true;
  const keys = [...rows.keys, ...rows.removed];
  let deleted = false;
  if (keys.length > 0 && !options.fresh) {
    const existing = await db.query(
      `SELECT tid FROM ${TABLES}.trial WHERE key IN (SELECT unnest(?::VARCHAR[]))`,
      [keys],
    );
    const tids = existing.rows.map(([tid]) => tid as number);
    if (tids.length > 0) await deleteTrials(db, tids);
    deleted = tids.length > 0;
  }
  let tids: [number, number] | undefined;
  if (rows.keys.length > 0) {
    const ids = options.ids ?? await nextIds(db);
    tids = [ids.tid, ids.tid + rows.trial.rows - 1];
    for (
      const batch of [
        rows.trial,
        rows.param,
        rows.metric,
        rows.text,
        rows.artifact,
        rows.dep,
        rows.tag,
        rows.note,
      ]
    ) {
      shift(batch, 0, ids.tid);
    }
    shift(rows.series, 0, ids.series);
    shift(rows.series, 1, ids.tid);
    shift(rows.point, 0, ids.series);
    shift(rows.pointLod, 0, ids.series);
    ids.tid += rows.trial.rows;
    ids.series += rows.series.rows;
  }
  let appended = 0;
  for (const batch of tableBatches(rows)) {
    await (options.appenders ?? db).append(batch);
    appended += batch.rows;
  }
  if (refresh) {
    const added = shapeOf(
      rows.param.columns[1] as string[],
      rows.param.columns[4] as number[],
      rows.metric.columns[1] as string[],
    );
    await refreshViews(db, { deleted, added, tids });
  }
  return appended;
}

/** Adds `by` to the batch-local numbers of a column. */
function shift(batch: TableBatch, column: number, by: number): void {
  const values = batch.columns[column] as Int32Array;
  for (let i = 0; i < values.length; i++) values[i]! += by;
}

async function deleteTrials(db: Db, tids: readonly number[]): Promise<void> {
  const list = `(SELECT unnest([${tids.join(",")}]::INTEGER[]))`;
  await db.exec(
    `DELETE FROM ${TABLES}.point WHERE series_id IN
       (SELECT series_id FROM ${TABLES}.series WHERE tid IN ${list});
     DELETE FROM ${TABLES}.point_lod WHERE series_id IN
       (SELECT series_id FROM ${TABLES}.series WHERE tid IN ${list});
     DELETE FROM ${TABLES}.series WHERE tid IN ${list};
     DELETE FROM ${TABLES}.param WHERE tid IN ${list};
     DELETE FROM ${TABLES}.metric WHERE tid IN ${list};
     DELETE FROM ${TABLES}.text WHERE tid IN ${list};
     DELETE FROM ${TABLES}.artifact WHERE tid IN ${list};
     DELETE FROM ${TABLES}.dep WHERE tid IN ${list};
     DELETE FROM ${TABLES}.tag WHERE tid IN ${list};
     DELETE FROM ${TABLES}.note WHERE tid IN ${list};
     DELETE FROM ${TABLES}.wide WHERE tid IN ${list};
     DELETE FROM ${TABLES}.trial WHERE tid IN ${list};`,
  );
}

/** A run record read from `runs/<id>/run.json`, with the file's modification time. */
export interface RunData {
  /** The record. */
  record: RunRecord;
  /** `run.json`'s modification time (ms). */
  mtime: number;
}

/** Reads `runs/<id>/run.json`; `undefined` when it is missing or not valid. */
export async function readRun(layout: StoreLayout, id: string): Promise<RunData | undefined> {
  const path = join(layout.runs, id, "run.json");
  try {
    const mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
    const record = JSON.parse(await Deno.readTextFile(path));
    if (typeof record?.run_id !== "string") return undefined;
    return { record, mtime };
  } catch {
    return undefined;
  }
}

/** Replaces the rows of these runs (and deletes `removed` ids), in the caller's transaction. */
export async function writeRuns(
  db: Db,
  runs: readonly RunData[],
  removed: readonly string[] = [],
): Promise<number> {
  const ids = [...runs.map((run) => run.record.run_id), ...removed];
  if (ids.length === 0) return 0;
  await db.query(`DELETE FROM ${TABLES}.run WHERE run_id IN (SELECT unnest(?::VARCHAR[]))`, [ids]);
  const time = (iso: unknown) => {
    const ms = typeof iso === "string" ? Date.parse(iso) : NaN;
    return Number.isNaN(ms) ? null : ms;
  };
  const text = (value: unknown) => typeof value === "string" ? value : null;
  const count = (value: unknown) => Number.isSafeInteger(value) ? value as number : 0;
  const batch: TableBatch = {
    table: `${TABLES}.run`,
    types: [
      "VARCHAR",
      "TIMESTAMP",
      "TIMESTAMP",
      "VARCHAR[]",
      "VARCHAR",
      "VARCHAR",
      "VARCHAR",
      "VARCHAR",
      "DOUBLE",
      ...RUN_COUNTS.map(() => "INTEGER" as const),
    ],
    columns: [
      runs.map((run) => run.record.run_id),
      runs.map((run) => time(run.record.started_at)),
      runs.map((run) => time(run.record.finished_at)),
      runs.map((run) =>
        Array.isArray(run.record.argv) ? run.record.argv.filter((a) => typeof a === "string") : []
      ),
      runs.map((run) => text(run.record.status)),
      runs.map((run) => text(run.record.experiment)),
      runs.map((run) => text(run.record.host)),
      runs.map((run) => text(run.record.cwd)),
      runs.map((run) => run.mtime),
      ...RUN_COUNTS.map((name) => runs.map((run) => count(run.record.counts?.[name]))),
    ],
    rows: runs.length,
  };
  await db.append(batch);
  return runs.length;
}
