/**
 * The narrow database seam the index code is written against, so that schema, ingest and views
 * never name `@duckdb/node-api` (only `duckdb_*.ts` files do): run a statement, read a result,
 * append columns.
 *
 * @module
 */

import type { QueryResult } from "./store.ts";

/** A column type the index's tables use. */
export type ColumnType =
  | "VARCHAR"
  | "DOUBLE"
  | "DOUBLE_NAN_NULL"
  | "INTEGER"
  | "BIGINT"
  | "TINYINT"
  | "BOOLEAN"
  | "TIMESTAMP"
  | "VARCHAR[]";

/**
 * One column of a batch, column-major. DOUBLE columns may be a `Float64Array` (no NULLs: the
 * fast path); `DOUBLE_NAN_NULL` is a DOUBLE column given as a `Float64Array` whose NaNs are stored
 * as NULL (scalar times, which are never NaN); INTEGER columns may be an `Int32Array`; TIMESTAMP
 * values are milliseconds since the epoch; `null` is SQL NULL everywhere else.
 */
export type ColumnValues =
  | Float64Array
  | Int32Array
  | readonly (number | null)[]
  | readonly (string | null)[]
  | readonly (boolean | null)[]
  | readonly (readonly string[] | null)[];

/** Rows for one table, column by column, in the table's column order. */
export interface TableBatch {
  /** Qualified table name (`xp_store.point`). */
  table: string;
  /** The columns' types, in order. */
  types: readonly ColumnType[];
  /** One array per column, each `rows` long. */
  columns: readonly ColumnValues[];
  /** How many rows. */
  rows: number;
}

/**
 * Appenders kept open across many batches; rows appended are not visible to queries until
 * `close()`.
 */
export interface Appenders {
  /** Appends rows to the batch's table. */
  append(batch: TableBatch): Promise<void>;
  /** Flushes and closes every appender. */
  close(): Promise<void>;
}

/** An open database session; it lives for one call and is closed by its opener. */
export interface Db {
  /** Runs statements that return nothing of interest. */
  exec(sql: string): Promise<void>;
  /** Runs one query and converts its answer (see {@linkcode QueryResult}). */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** Appends rows with the DuckDB Appender, in chunks; visible when it returns. */
  append(batch: TableBatch): Promise<void>;
  /** Opens appenders for many batches (a reindex). */
  appenders(): Appenders;
}
