/**
 * Writing a query's answer to a file with DuckDB's COPY (Parquet, or CSV/JSON), without ever
 * opening the index read-write: an in-memory DuckDB ATTACHes the index READ_ONLY and COPYs to
 * the one output path. External access is switched off first with only the index (and its WAL)
 * and the output allowed, so the query can read no other file and write nowhere else; the
 * attached index refuses writes.
 *
 * @module
 */

import { resolve } from "node:path";
import { SqlError, StoreLockedError } from "../errors.ts";
import { isLockError, loadDuckDb } from "./duckdb_connect.ts";
import { toSqlError } from "./sql_error.ts";

/** The formats {@linkcode exportQuery} writes. */
export type ExportFormat = "parquet" | "csv" | "json";

/** Options of {@linkcode exportQuery}. */
export interface ExportOptions {
  /** Give up on a locked index after this long. @default {10000} */
  lockTimeoutMs?: number;
}

/** The attached index's name: not the name of a schema inside it, or names would be ambiguous. */
const ALIAS = "xp_export_source";

const COPY_OPTIONS: Record<ExportFormat, string> = {
  parquet: "FORMAT parquet",
  csv: "FORMAT csv, HEADER true",
  json: "FORMAT json",
};

/**
 * Runs `sql` (one SELECT over the views) on the index at `indexPath` and writes its rows to
 * `outPath`; returns how many rows were written.
 *
 * @throws {SqlError} for bad SQL or a statement that is not one query, positioned in `sql`
 * @throws {StoreLockedError} when a writer holds the index through every retry
 */
export async function exportQuery(
  indexPath: string,
  sql: string,
  format: ExportFormat,
  outPath: string,
  options: ExportOptions = {},
): Promise<{ rows: number }> {
  const query = sql.trim().replace(/;\s*$/, "");
  const index = resolve(indexPath);
  const out = resolve(outPath);
  const duckdb = await loadDuckDb();
  const instance = await duckdb.DuckDBInstance.create(":memory:");
  try {
    const connection = await instance.connect();
    try {
      const allowed = [index, `${index}.wal`, out].map(literal).join(", ");
      await connection.run(`SET allowed_paths = [${allowed}]`);
      await connection.run("SET enable_external_access = false");
      await attachWithRetry(connection, index, options.lockTimeoutMs ?? 10_000);
      await connection.run(`USE ${ALIAS}`);
      await checkOneQuery(duckdb, connection, query);
      const prefix = "COPY (";
      const copy = `${prefix}${query}\n) TO ${literal(out)} (${COPY_OPTIONS[format]})`;
      let rows: unknown;
      try {
        const reader = await connection.runAndReadAll(copy);
        rows = reader.getRows()[0]?.[0];
      } catch (error) {
        const translated = toSqlError(error, copy);
        throw new SqlError(translated.message, {
          cause: error,
          sql: query,
          ...(translated.position !== undefined && translated.position >= prefix.length &&
              translated.position <= prefix.length + query.length
            ? { position: translated.position - prefix.length }
            : {}),
          ...(translated.hint !== undefined ? { hint: translated.hint } : {}),
        });
      }
      return { rows: Number(rows ?? 0) };
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

type Connection = Awaited<
  ReturnType<InstanceType<Awaited<ReturnType<typeof loadDuckDb>>["DuckDBInstance"]>["connect"]>
>;

async function attachWithRetry(
  connection: Connection,
  index: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await connection.run(`ATTACH ${literal(index)} AS ${ALIAS} (READ_ONLY)`);
      return;
    } catch (error) {
      if (!isLockError(error)) throw error;
      if (performance.now() >= deadline) {
        throw new StoreLockedError(index, {
          cause: error,
          hint: "another xp process is writing the index; retry when it is done",
        });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Refuses anything but exactly one SELECT, so nothing can follow the COPY's closing parenthesis. */
async function checkOneQuery(
  duckdb: Awaited<ReturnType<typeof loadDuckDb>>,
  connection: Connection,
  sql: string,
): Promise<void> {
  let extracted;
  try {
    extracted = await connection.extractStatements(sql);
  } catch (error) {
    // node-api prefixes the parser's message; the user wrote no "extract".
    const message = error instanceof Error ? error.message : String(error);
    throw toSqlError(new Error(message.replace(/^Failed to extract statements: /, "")), sql);
  }
  if (extracted.count !== 1) {
    throw new SqlError(`Export takes one query, got ${extracted.count} statements`, {
      sql,
      hint: 'write one SELECT, e.g. --query "select * from results"',
    });
  }
  let prepared;
  try {
    prepared = await extracted.prepare(0);
  } catch (error) {
    throw toSqlError(error, sql);
  }
  const type = prepared.statementType;
  prepared.destroySync();
  if (type !== duckdb.StatementType.SELECT) {
    throw new SqlError(
      `Permission Error: Cannot export a statement of type "${
        duckdb.StatementType[type]
      }": only a query`,
      { sql, hint: "export takes a SELECT over the views; writes are refused" },
    );
  }
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
