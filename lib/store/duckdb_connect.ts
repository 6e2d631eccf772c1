/**
 * Opening the index with DuckDB: the one place `@duckdb/node-api` is loaded, lazily (importing
 * it costs ~100 ms, so commands that never touch the index never pay it). A file database is
 * opened per call and closed after it (ARCHITECTURE section 9: one read-write process or many
 * read-only ones, never both), with a retry on the lock error.
 *
 * @module
 */

import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { StoreLockedError } from "../errors.ts";
import type { Db } from "./db.ts";
import { appendBatch, openAppenders } from "./duckdb_append.ts";
import { toQueryResult } from "./duckdb_convert.ts";
import { refusedStatement } from "./sql_error.ts";

/** The `@duckdb/node-api` module. */
export type DuckDbModule = typeof import("@duckdb/node-api");

/** Loads `@duckdb/node-api` (the module system caches it after the first call). */
export function loadDuckDb(): Promise<DuckDbModule> {
  return import("@duckdb/node-api");
}

/** How to open a file index. */
export interface ConnectOptions {
  /** Read-only, with external access (files, network, extensions) disabled: for user SQL. */
  readOnly: boolean;
  /** Give up on a locked index after this long. */
  lockTimeoutMs: number;
  /** Checkpoint before closing whatever the WAL's size (a file about to be renamed). */
  checkpoint?: boolean;
}

/**
 * A writer checkpoints when closing only once the WAL is over this size. A checkpoint per small
 * ingest measured ~40 ms of its ~110; readers replay the WAL when they open, which costs ~15 ms
 * a MB, so it is kept small.
 */
const WAL_CHECKPOINT_BYTES = 512 * 1024;

/** Opening failed for a reason other than a lock: the file is not a usable DuckDB database. */
export class IndexOpenError extends Error {
  /** Builds the error for the index at `path`. */
  constructor(path: string, options: ErrorOptions) {
    super(`Cannot open the index ${path}: ${messageOf(options.cause)}`, options);
    this.name = "IndexOpenError";
  }
}

/** Whether an error is DuckDB's "another process holds the file" error. */
export function isLockError(error: unknown): boolean {
  return /Could not set lock on file|Conflicting lock is held/.test(messageOf(error));
}

/** Whether an error says the database's contents cannot be read (corruption, wrong format). */
export function isCorruptionError(error: unknown): boolean {
  return /not a valid DuckDB database|Corrupt|checksum|Serialization Error|INTERNAL Error|version number|database file .* is too old|storage version/i
    .test(messageOf(error));
}

/**
 * Opens the file index at `path`, runs `fn` on it and closes it whatever happens. A lock held by
 * another process is retried every 10 ms until `lockTimeoutMs`.
 *
 * Readers yield to writers: readers that open and close in a loop (a viewer polling, several
 * `xp sql`) can hold overlapping shared locks for seconds, so a writer waiting for the exclusive
 * lock announces itself in `<path>.writer` and new readers wait (up to 2 s, and not for an
 * announcement older than that) until it is done.
 *
 * @throws {StoreLockedError} when the lock is still held at the deadline
 * @throws {IndexOpenError} when the file cannot be opened for another reason
 */
export async function withFileDb<T>(
  path: string,
  options: ConnectOptions,
  fn: (db: Db) => Promise<T>,
): Promise<T> {
  const duckdb = await loadDuckDb();
  const settings: Record<string, string> = options.readOnly
    ? { access_mode: "READ_ONLY", enable_external_access: "false" }
    : { enable_external_access: "false" };
  return await whenUnlocked(
    path,
    options,
    () => duckdb.DuckDBInstance.create(path, settings),
    async (instance) => {
      try {
        const connection = await instance.connect();
        try {
          if (options.readOnly) return await fn(session(duckdb, connection));
          await connection.run("PRAGMA disable_checkpoint_on_shutdown");
          const result = await fn(session(duckdb, connection));
          if (await checkpointDue(path, options)) await connection.run("CHECKPOINT");
          return result;
        } finally {
          connection.closeSync();
        }
      } finally {
        instance.closeSync();
      }
    },
  );
}

/**
 * A DuckDB instance a process keeps for its many short sessions (`xp run` ingesting as trials
 * finish): each session attaches the file, runs and detaches it, which releases the lock as
 * closing would, without creating and tearing down an instance each time (measured ~30 ms of a
 * ~85 ms ingest batch; an attach and detach ~6 ms). It runs only xp's own SQL, never a user's:
 * external access is not disabled, as ATTACH needs it.
 */
export interface AttachHost {
  /** {@linkcode withFileDb}, with the file attached to the kept instance (read-only or not). */
  session<T>(path: string, options: ConnectOptions, fn: (db: Db) => Promise<T>): Promise<T>;
  /** Closes the instance. */
  close(): void;
}

/** The name the file is attached under: the session's default database while attached. */
const ATTACHED = "xp_file";

/** Opens an {@linkcode AttachHost}: an in-memory instance to attach files to. */
export async function openAttachHost(): Promise<AttachHost> {
  const duckdb = await loadDuckDb();
  // One thread: its sessions are small batches, for which waking DuckDB's pool of threads cost
  // 40% more CPU (measured), taken from the trials running beside them.
  const instance = await duckdb.DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await instance.connect();
  // Applies to the attached file when it is detached: checkpoints follow checkpointDue.
  await connection.run("PRAGMA disable_checkpoint_on_shutdown");
  return {
    session(path, options, fn) {
      const mode = options.readOnly ? " (READ_ONLY)" : "";
      const attach = () => connection.run(`ATTACH ${sqlString(path)} AS ${ATTACHED}${mode}`);
      return whenUnlocked(path, options, attach, async () => {
        try {
          await connection.run(`USE ${ATTACHED}`);
          const result = await fn(session(duckdb, connection));
          if (!options.readOnly && await checkpointDue(path, options)) {
            await connection.run(`CHECKPOINT ${ATTACHED}`);
          }
          return result;
        } finally {
          await connection.run("USE memory");
          await connection.run(`DETACH ${ATTACHED}`);
        }
      });
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Runs `open` until it gets past the file's lock, every 10 ms until `lockTimeoutMs`, then `use`
 * on what it opened. A writer kept waiting announces itself in `<path>.writer` until `use` is
 * done; readers wait while one has (see {@linkcode withFileDb}).
 */
async function whenUnlocked<O, T>(
  path: string,
  options: { readOnly?: boolean; lockTimeoutMs: number },
  open: () => Promise<O>,
  use: (opened: O) => Promise<T>,
): Promise<T> {
  const deadline = performance.now() + options.lockTimeoutMs;
  const intent = `${path}.writer`;
  let announced = -Infinity;
  try {
    for (;;) {
      if (options.readOnly) await waitForWriter(intent, deadline);
      let opened: O;
      try {
        opened = await open();
      } catch (error) {
        if (!isLockError(error)) throw new IndexOpenError(path, { cause: error });
        if (performance.now() >= deadline) {
          throw new StoreLockedError(path, {
            cause: error,
            hint: "another xp process is using the index; retry when it is done",
          });
        }
        if (!options.readOnly && performance.now() - announced > INTENT_REFRESH_MS) {
          announced = performance.now();
          await Deno.writeTextFile(intent, `${Deno.pid}\n`).catch(() => {});
        }
        await sleep(10);
        continue;
      }
      return await use(opened);
    }
  } finally {
    if (announced > -Infinity) await Deno.remove(intent).catch(() => {});
  }
}

/** Whether a writer should checkpoint before letting go of the file. */
async function checkpointDue(path: string, options: { checkpoint?: boolean }): Promise<boolean> {
  if (options.checkpoint) return true;
  const wal = await Deno.stat(`${path}.wal`).then((info) => info.size, () => 0);
  return wal > WAL_CHECKPOINT_BYTES;
}

/** `text` as a SQL string literal. */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** How often a waiting writer renews its announcement. */
const INTENT_REFRESH_MS = 500;
/** An announcement older than this is from a writer that died: readers ignore it. */
const INTENT_STALE_MS = 2000;

/** Waits while a writer has announced itself (recently), but not past `deadline`. */
async function waitForWriter(intent: string, deadline: number): Promise<void> {
  for (;;) {
    let mtime: number;
    try {
      mtime = (await Deno.stat(intent)).mtime?.getTime() ?? 0;
    } catch {
      return;
    }
    if (Date.now() - mtime > INTENT_STALE_MS || performance.now() >= deadline) return;
    await sleep(5);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A database held open for the life of its owner: the in-memory index of tests. */
export interface HeldDb {
  /** The session, for ingest. */
  db: Db;
  /**
   * The same database for user SQL: external access is disabled for the whole instance, and as
   * an in-memory database cannot be opened read-only, statements other than SELECT and EXPLAIN
   * are refused by type before they run.
   */
  readDb: Db;
  /** Closes it. */
  close(): void;
}

/** Opens an in-memory DuckDB database (external access disabled) that stays open until closed. */
export async function openMemoryDb(): Promise<HeldDb> {
  const duckdb = await loadDuckDb();
  const instance = await duckdb.DuckDBInstance.create(":memory:", {
    enable_external_access: "false",
  });
  const connection = await instance.connect();
  const db = session(duckdb, connection);
  const refuse = (): Promise<never> => Promise.reject(new Error("The session is read-only"));
  return {
    db,
    readDb: {
      exec: refuse,
      append: refuse,
      appenders: () => ({ append: refuse, close: refuse }),
      async query(sql, params) {
        const refused = await refusedStatementTypes(duckdb, connection, sql);
        if (refused.length > 0) throw refusedStatement(refused, sql);
        return await db.query(sql, params);
      },
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The types of the statements of `sql` that are not queries (`INSERT`, `SET`, …). */
async function refusedStatementTypes(
  duckdb: DuckDbModule,
  connection: DuckDBConnection,
  sql: string,
): Promise<string[]> {
  let extracted: Awaited<ReturnType<DuckDBConnection["extractStatements"]>>;
  try {
    extracted = await connection.extractStatements(sql);
  } catch {
    // Bad SQL: running it gives DuckDB's usual error, with the position.
    return [];
  }
  const refused: string[] = [];
  for (let i = 0; i < extracted.count; i++) {
    let prepared;
    try {
      prepared = await extracted.prepare(i);
    } catch {
      // A statement that does not bind (unknown column, …): let the run report it.
      return [];
    }
    const type = prepared.statementType;
    if (type !== duckdb.StatementType.SELECT && type !== duckdb.StatementType.EXPLAIN) {
      refused.push(duckdb.StatementType[type] ?? String(type));
    }
    prepared.destroySync();
  }
  return refused;
}

function session(duckdb: DuckDbModule, connection: DuckDBConnection): Db {
  return {
    async exec(sql) {
      await connection.run(sql);
    },
    async query(sql, params) {
      const values = params?.map((value) => toDuckDbValue(duckdb, value));
      const reader = await connection.runAndReadAll(sql, values);
      return toQueryResult(duckdb, reader);
    },
    append(batch) {
      return appendBatch(duckdb, connection, batch);
    },
    appenders() {
      return openAppenders(duckdb, connection);
    },
  };
}

/** Binds a JS value as a statement parameter. */
function toDuckDbValue(duckdb: DuckDbModule, value: unknown): DuckDBValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return duckdb.listValue(value.map((v) => toDuckDbValue(duckdb, v)));
  if (
    typeof value === "string" || typeof value === "number" || typeof value === "boolean" ||
    typeof value === "bigint"
  ) return value;
  return JSON.stringify(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
