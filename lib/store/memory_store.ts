/**
 * The in-memory store, for tests of other layers: the same tables and views as the file index,
 * in a DuckDB `:memory:` database built from the trial files when created and held until
 * `close()`. Calls are serialised (one connection). User SQL cannot be opened read-only in
 * memory, so statements other than SELECT/EXPLAIN are refused by type, and external access
 * (files, ATTACH, extensions) is disabled for the whole database.
 *
 * @module
 */

import { findChanges, readIndexedState } from "./catch_up.ts";
import type { Db } from "./db.ts";
import { openMemoryDb } from "./duckdb_connect.ts";
import { DEFAULT_TEXT_LIMIT, type StoreOptions } from "./duckdb_store.ts";
import {
  applyChanges,
  ingestTrials,
  queryIndex,
  rebuildIndex,
  type Sessions,
} from "./index_ops.ts";
import { type StoreLayout, storeLayout } from "./layout.ts";
import { createIndexSql } from "./views.ts";
import type { IngestReport, QueryResult, Store } from "./store.ts";

/** Creates an in-memory store over the files at `root`, indexing what is there. */
export async function memoryStore(root: string, options: StoreOptions = {}): Promise<MemoryStore> {
  const held = await openMemoryDb();
  const store = new MemoryStore(storeLayout(root), held, options);
  await held.db.exec(createIndexSql());
  const report = await rebuildIndex(held.db, store.layout, {
    textLimit: options.textLimit ?? DEFAULT_TEXT_LIMIT,
  });
  store.warnings.push(...report.warnings);
  return store;
}

/** The in-memory store (see {@linkcode memoryStore}). */
export class MemoryStore implements Store {
  /** Where the files are. */
  readonly layout: StoreLayout;
  /** Always empty: a memory index is built fresh, never repaired. */
  readonly notices: string[] = [];
  /** Lines and files skipped while building the index, each naming file and line. */
  readonly warnings: string[] = [];
  readonly #held: { db: Db; readDb: Db; close(): void };
  readonly #textLimit: number;
  readonly #sessions: Sessions;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** A store over `layout` in the database `held` (use {@linkcode memoryStore}). */
  constructor(
    layout: StoreLayout,
    held: { db: Db; readDb: Db; close(): void },
    options: StoreOptions = {},
  ) {
    this.layout = layout;
    this.#held = held;
    this.#textLimit = options.textLimit ?? DEFAULT_TEXT_LIMIT;
    this.#sessions = {
      write: (fn) => this.#serialised(() => fn(this.#held.db)),
      read: (fn) => this.#serialised(() => fn(this.#held.readDb)),
    };
  }

  /** Ingests the trials and runs the index misses. */
  async catchUp(): Promise<IngestReport> {
    const state = await this.#sessions.write(readIndexedState);
    return await applyChanges(this.#sessions, this.layout, findChanges(this.layout, state), {
      textLimit: this.#textLimit,
    });
  }

  /**
   * (Re)indexes these trials and runs; a key with no finished trial on disk is removed from the
   * index.
   */
  ingest(keys: readonly string[], runs: readonly string[] = []): Promise<IngestReport> {
    return ingestTrials(this.#sessions, this.layout, keys, { textLimit: this.#textLimit, runs });
  }

  /**
   * Read-only SQL over the views.
   *
   * @throws {SqlError} on bad SQL or a refused statement
   */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
    return queryIndex(this.#sessions, sql, params);
  }

  /** Rebuilds the index from every file. */
  reindex(): Promise<IngestReport> {
    return this.#sessions.write((db) =>
      rebuildIndex(db, this.layout, { textLimit: this.#textLimit })
    );
  }

  /** Closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => {});
    this.#held.close();
  }

  /** Runs `fn` after every earlier call: one connection runs one transaction at a time. */
  #serialised<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error("The store is closed"));
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }
}
