/**
 * The DuckDB file store: `.xp/index.duckdb`, derived from the trial files. No connection is held
 * between calls: each ingest opens the file read-write for one short transaction, each query
 * opens it read-only with external access disabled, both retrying while another process holds
 * the lock (ARCHITECTURE section 9).
 *
 * Opening checks the index: a missing, corrupt (not a DuckDB file, or failing to open or read) or
 * older-format index is rebuilt from the files, with a notice; trials that finished while no xp
 * was ingesting (xp was killed) and runs written since are ingested.
 *
 * @module
 */

import {
  type Changes,
  findChanges,
  type IndexedState,
  readIndexedState,
  readScanMarks,
  sameMarks,
  type ScanMarks,
  scanMarks,
  writeScanMarks,
} from "./catch_up.ts";
import type { Db } from "./db.ts";
import {
  type AttachHost,
  IndexOpenError,
  isCorruptionError,
  openAttachHost,
  withFileDb,
} from "./duckdb_connect.ts";
import {
  applyChanges,
  ingestTrials,
  queryIndex,
  rebuildIndex,
  type Sessions,
} from "./index_ops.ts";
import { type StoreLayout, storeLayout } from "./layout.ts";
import { SCHEMA_VERSION, TABLES, VIEW_NAMES } from "./schema.ts";
import { createIndexSql } from "./views.ts";
import type { IngestReport, QueryResult, Store } from "./store.ts";

/** Options of {@linkcode openStore} and {@linkcode memoryStore}. */
export interface StoreOptions {
  /** Ingest trials that finished but are not in the index yet. @default {true} */
  catchUp?: boolean;
  /** Texts longer than this many characters are cut in the index. @default {65536} */
  textLimit?: number;
  /** How long to retry while another process holds the index. @default {5000} */
  lockTimeoutMs?: number;
  /**
   * The run this process is (`xp run`): its own trials, caught up when the index opens after
   * some finished, are no news to report.
   */
  ownRun?: string;
  /**
   * Keep one DuckDB instance until {@linkcode DuckDbStore.close} for the store's own sessions
   * (not user SQL), the index attached to it per session: for `xp run`, which writes every
   * second or so. The index's lock is still held only while a session lasts.
   */
  keepInstance?: boolean;
}

/** The default of {@linkcode StoreOptions.textLimit}. */
export const DEFAULT_TEXT_LIMIT = 65536;

/**
 * Opens the store at `root` (a `.xp/` directory; created if missing) with its DuckDB index,
 * creating, repairing or catching up the index as needed. What that did is in `notices`; lines
 * skipped while ingesting are in `warnings`.
 *
 * @throws {StoreLockedError} when another process holds the index through every retry
 */
export async function openStore(root: string, options: StoreOptions = {}): Promise<DuckDbStore> {
  const host = options.keepInstance ? await openAttachHost() : undefined;
  const store = new DuckDbStore(storeLayout(root), options, host);
  try {
    await store.prepare(options.catchUp ?? true);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Why the index must be rebuilt, or (when it may miss something) what it holds. */
type Inspection = { rebuild: string } | { state: IndexedState | undefined; marks: ScanMarks };

/** The DuckDB file store (see {@linkcode openStore}). */
export class DuckDbStore implements Store {
  /** Where the files are. */
  readonly layout: StoreLayout;
  /** What opening did to the index (rebuilt, caught up), one line each. */
  readonly notices: string[] = [];
  /** Lines and files skipped while ingesting on open, each naming file and line. */
  readonly warnings: string[] = [];
  readonly #textLimit: number;
  readonly #ownRun: string | undefined;
  readonly #lockTimeoutMs: number;
  readonly #sessions: Sessions;
  /** Reads of the store's own (not user SQL): through the kept instance, if any. */
  readonly #look: Sessions["read"];
  readonly #host: AttachHost | undefined;

  /**
   * A store over `layout`, whose own sessions (all but user SQL) go through `host` if given (it
   * is closed with the store); call {@linkcode DuckDbStore.prepare} (or use `openStore`).
   */
  constructor(layout: StoreLayout, options: StoreOptions = {}, host?: AttachHost) {
    this.layout = layout;
    this.#textLimit = options.textLimit ?? DEFAULT_TEXT_LIMIT;
    this.#ownRun = options.ownRun;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    this.#host = host;
    const connect = { lockTimeoutMs: this.#lockTimeoutMs };
    const write = <T>(fn: (db: Db) => Promise<T>) => async (db: Db) => {
      // The file may have been deleted since opening: a new one gets the tables, and the next
      // open catches up with the rest.
      if (await schemaVersion(db) === undefined) await db.exec(recreateIndexSql());
      return await fn(db);
    };
    const writing = { ...connect, readOnly: false };
    const reading = { ...connect, readOnly: true };
    this.#sessions = {
      write: (fn) =>
        host
          ? host.session(layout.index, writing, write(fn))
          : withFileDb(layout.index, writing, write(fn)),
      read: (fn) => withFileDb(layout.index, reading, fn),
    };
    this.#look = host ? (fn) => host.session(layout.index, reading, fn) : this.#sessions.read;
  }

  /**
   * Checks the index, rebuilds it if unusable and (with `catchUp`) ingests what it misses, looking
   * at each trial only when the scan marks say something changed since the last look.
   */
  async prepare(catchUp: boolean): Promise<void> {
    await Deno.mkdir(this.layout.root, { recursive: true });
    const inspection = await this.#inspect(catchUp ? "changed" : "never");
    if ("rebuild" in inspection) await this.#rebuild(inspection.rebuild);
    else if (inspection.state) await this.#catchUp(inspection.state, inspection.marks);
  }

  /**
   * Ingests the trials and runs the index misses (finished since, removed, re-run), looking at
   * every trial.
   */
  async catchUp(): Promise<IngestReport> {
    const inspection = await this.#inspect("always");
    if ("rebuild" in inspection) return await this.#rebuild(inspection.rebuild);
    return await this.#catchUp(inspection.state!, inspection.marks);
  }

  /**
   * (Re)indexes these trials and runs, in one write; a key with no finished trial on disk is
   * removed from the index.
   */
  ingest(keys: readonly string[], runs: readonly string[] = []): Promise<IngestReport> {
    return this.#repairing(() =>
      ingestTrials(this.#sessions, this.layout, keys, { textLimit: this.#textLimit, runs })
    );
  }

  /**
   * Read-only SQL over the views.
   *
   * @throws {SqlError} on bad SQL or a refused statement
   */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
    return this.#repairing(() => queryIndex(this.#sessions, sql, params));
  }

  /**
   * Rebuilds the index from every file into a new file, then swaps it in: readers and writers
   * keep using the old index meanwhile, and the new file is compact. Trials that finish during
   * the rebuild are caught up after the swap.
   */
  async reindex(): Promise<IngestReport> {
    const report = await this.#build();
    await this.prepare(true);
    return report;
  }

  /** Closes the instance kept for writes, if any; no connection is held between calls. */
  close(): Promise<void> {
    this.#host?.close();
    return Promise.resolve();
  }

  /** Runs `fn`; if the index cannot be opened (deleted or damaged since), repairs it once. */
  async #repairing<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof IndexOpenError)) throw error;
      await this.prepare(false);
      return await fn();
    }
  }

  /** Checks the index and reads what it holds when `scan` (and the marks) ask for it. */
  async #inspect(scan: "always" | "changed" | "never"): Promise<Inspection> {
    try {
      await Deno.stat(this.layout.index);
    } catch {
      return { rebuild: "missing" };
    }
    // Taken before anything is read, so a change during the scan shows at the next open.
    const marks = scanMarks(this.layout);
    try {
      return await this.#look(async (db): Promise<Inspection> => {
        const version = await schemaVersion(db);
        if (version !== SCHEMA_VERSION) {
          return { rebuild: version === undefined ? "of an older format" : `of format ${version}` };
        }
        const look = scan === "always" ||
          scan === "changed" && !sameMarks(await readScanMarks(db), marks);
        return { state: look ? await readIndexedState(db) : undefined, marks };
      });
    } catch (error) {
      const cause = error instanceof IndexOpenError ? error.cause : error;
      if (isCorruptionError(cause)) return { rebuild: `corrupt (${firstLine(cause)})` };
      throw error;
    }
  }

  /** Replaces an unusable index with one built from the files, with a notice. */
  async #rebuild(why: string): Promise<IngestReport> {
    const report = await this.#build();
    if (why !== "missing" || report.trials > 0) {
      this.notices.push(
        `the index ${this.layout.index} was ${why}: rebuilt from ${report.trials} trial${
          report.trials === 1 ? "" : "s"
        }`,
      );
    }
    return report;
  }

  /** Builds a new index from the files in a temp file and swaps it in. */
  async #build(): Promise<IngestReport> {
    const temp = `${this.layout.index}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    const marks = scanMarks(this.layout);
    let report: IngestReport;
    try {
      // Checkpointed: a file renamed into place must not leave its WAL behind.
      const build = { readOnly: false, lockTimeoutMs: 0, checkpoint: true };
      report = await withFileDb(temp, build, async (db) => {
        // One transaction: a commit per statement measured ~2× the time.
        await db.exec(`BEGIN TRANSACTION;\n${createIndexSql()}\nCOMMIT;`);
        const built = await rebuildIndex(db, this.layout, { textLimit: this.#textLimit }, {
          fresh: true,
        });
        await writeScanMarks(db, marks);
        return built;
      });
      await this.#swap(temp);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      await Deno.remove(`${temp}.wal`).catch(() => {});
      throw error;
    }
    this.warnings.push(...report.warnings);
    return report;
  }

  /**
   * Renames `temp` over the index. The old index is held read-write meanwhile (no one else has
   * it open) and checkpointed first, so its WAL is empty: DuckDB would replay a stale WAL into
   * the new file.
   */
  async #swap(temp: string): Promise<void> {
    const { index } = this.layout;
    const exists = await Deno.stat(index).then(() => true, () => false);
    if (exists) {
      try {
        await withFileDb(
          index,
          { readOnly: false, lockTimeoutMs: this.#lockTimeoutMs },
          async (db) => {
            await db.exec("CHECKPOINT");
            await Deno.rename(temp, index);
          },
        );
        return;
      } catch (error) {
        if (!(error instanceof IndexOpenError)) throw error;
      }
    }
    // Missing or unreadable: nothing in a derived file (or its WAL) is worth keeping.
    await Deno.remove(`${index}.wal`).catch(() => {});
    await Deno.rename(temp, index);
  }

  /** How many of the indexed trials `keys` another run than `runId` ran. */
  async #countOtherRuns(keys: readonly string[], runId: string): Promise<number> {
    const result = await this.#look((db) =>
      db.query(
        `SELECT count(*) FROM ${TABLES}.trial
         WHERE key IN (SELECT unnest(?::VARCHAR[])) AND run_id IS DISTINCT FROM ?`,
        [[...keys], runId],
      )
    );
    return Number(result.rows[0]?.[0] ?? 0);
  }

  async #catchUp(state: IndexedState, marks: ScanMarks): Promise<IngestReport> {
    const changes: Changes = findChanges(this.layout, state);
    let report: IngestReport;
    try {
      report = await applyChanges(this.#sessions, this.layout, changes, {
        textLimit: this.#textLimit,
      });
      await this.#sessions.write((db) => writeScanMarks(db, marks));
    } catch (error) {
      // A store the user may only read (a shared results directory) still answers queries.
      if (!(error instanceof IndexOpenError) || isCorruptionError(error.cause)) throw error;
      this.notices.push(`the index could not be updated, so it may miss trials: ${error.message}`);
      return { trials: 0, rows: 0, warnings: [] };
    }
    this.warnings.push(...report.warnings);
    const others = report.trials > 0 && this.#ownRun !== undefined
      ? await this.#countOtherRuns(changes.trials, this.#ownRun)
      : report.trials;
    if (others > 0) {
      this.notices.push(
        `indexed ${others} finished trial${others === 1 ? "" : "s"} that ${
          others === 1 ? "was" : "were"
        } not in the index yet`,
      );
    }
    return report;
  }
}

/** The index's schema version, or `undefined` when it has none (an empty or older index). */
async function schemaVersion(db: Db): Promise<number | undefined> {
  const tables = await db.query(
    `SELECT count(*) FROM duckdb_tables() WHERE schema_name = '${TABLES}' AND table_name = 'info'`,
  );
  if (tables.rows[0]?.[0] === 0) return undefined;
  const version = await db.query(
    `SELECT value FROM ${TABLES}.info WHERE name = 'schema_version'`,
  );
  const value = Number(version.rows[0]?.[0]);
  return Number.isInteger(value) ? value : undefined;
}

/** Drops every table and view xp made, of any version, and creates the current ones. */
function recreateIndexSql(): string {
  const views = VIEW_NAMES.map((view) => `DROP VIEW IF EXISTS ${view};`).join("\n");
  return `DROP SCHEMA IF EXISTS ${TABLES} CASCADE;\n${views}\n${createIndexSql()}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!;
}
