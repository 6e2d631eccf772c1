/**
 * The `Store` seam: per-trial files are the truth; the index answers SQL over them. The DuckDB
 * store keeps `.xp/index.duckdb`; the in-memory store (for tests of other layers) keeps the same
 * tables in a DuckDB `:memory:` database. One contract suite runs against both.
 *
 * @module
 */

import type { StoreLayout } from "./layout.ts";

/** A SQL answer: column names and types, and rows of JSON-safe values. */
export interface QueryResult {
  /** Columns in order: name and DuckDB type (`DOUBLE`, `VARCHAR`, `STRUCT(...)`, …). */
  columns: { name: string; type: string }[];
  /**
   * Rows in order. Values: `null`, booleans, numbers (BIGINT as a number when safe, else a
   * string; DECIMAL as a number), strings, timestamps as ISO 8601 strings (TIMESTAMP is UTC),
   * dates as `YYYY-MM-DD`, STRUCTs as objects, LISTs as arrays, MAPs with text keys as objects,
   * and non-finite doubles as the strings "NaN", "Infinity", "-Infinity".
   */
  rows: unknown[][];
}

/** What an ingest or reindex did. */
export interface IngestReport {
  /** Trials written to the index. */
  trials: number;
  /** Rows appended over all tables. */
  rows: number;
  /** Lines or files skipped, each naming file and line. */
  warnings: string[];
}

/** A store's index over its files. */
export interface Store {
  /** Where the files are. */
  readonly layout: StoreLayout;
  /**
   * What opening did to the index, one line each for the user (`the index … was corrupt: rebuilt
   * from 12 trials`, `indexed 3 finished trials that were not in the index yet`).
   */
  readonly notices: readonly string[];
  /** Lines and files skipped by the ingests done while opening, each naming file and line. */
  readonly warnings: readonly string[];
  /**
   * (Re)indexes these trials from their files, and the records of these runs from
   * `runs/<id>/run.json`, in one write; a trial or run already indexed is replaced.
   */
  ingest(keys: readonly string[], runs?: readonly string[]): Promise<IngestReport>;
  /**
   * Ingests what the index misses: trials whose `status.json` is final and new or changed since
   * they were indexed (xp was killed before ingesting them), runs written since, and removes
   * trials and runs whose directories are gone. Opening a store does this once.
   */
  catchUp(): Promise<IngestReport>;
  /**
   * Read-only SQL over the views of ARCHITECTURE section 8.
   *
   * @throws {SqlError} on bad SQL or a refused statement
   */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** Rebuilds the index from every file. */
  reindex(): Promise<IngestReport>;
  /** Releases what the store holds (it holds no connection between calls). */
  close(): Promise<void>;
}
