/**
 * The SQL console's query: read-only SQL on the index (the store refuses writes, ATTACH, COPY,
 * INSTALL/LOAD and file reads; this adds nothing to that), with the rows a browser table can
 * hold. A single SELECT is wrapped in `select * from (…) limit N+1` so a query over millions of
 * points is cut inside DuckDB rather than after; errors are moved back to where the user wrote.
 *
 * @module
 */

import { SqlError } from "../../lib/errors.ts";
import type { Viewer } from "../viewer.ts";

/** What `POST /api/sql` answers. */
export interface SqlAnswer {
  /** Column names, in order. */
  columns: string[];
  /** Column types (DuckDB's names). */
  types: string[];
  /** Rows of JSON values (NaN as "NaN"). */
  rows: unknown[][];
  /** Whether rows past `maxRows` were left out. */
  truncated: boolean;
}

const STARTS_QUERY = /^(select|with|from|values|table|pivot|unpivot|\()/i;

/**
 * Runs `sql`, returning at most `maxRows` rows.
 *
 * @throws {SqlError} for bad or refused SQL, positioned in `sql` as given
 */
export async function runConsoleSql(
  viewer: Viewer,
  sql: string,
  maxRows: number,
): Promise<SqlAnswer> {
  const wrap = wrapWithLimit(sql, maxRows + 1);
  let result;
  try {
    result = await viewer.query(wrap?.sql ?? sql);
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    if (wrap === undefined) throw error;
    // The wrapper itself may be what DuckDB dislikes (a statement that is no subquery): try as is.
    if (error.position === undefined || error.position < wrap.offset) {
      result = await viewer.query(sql);
    } else {
      throw new SqlError(error.message, {
        cause: error,
        sql,
        position: error.position - wrap.offset,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
      });
    }
  }
  const truncated = result.rows.length > maxRows;
  return {
    columns: result.columns.map((c) => c.name),
    types: result.columns.map((c) => c.type),
    rows: truncated ? result.rows.slice(0, maxRows) : result.rows,
    truncated,
  };
}

/** `sql` wrapped in a row limit, and where the user's text starts in it; `undefined` when not one query. */
function wrapWithLimit(sql: string, limit: number): { sql: string; offset: number } | undefined {
  const body = sql.replace(/[\s;]+$/, "");
  // Several statements are left to DuckDB as they are (the index refuses what is not a query).
  if (!STARTS_QUERY.test(body.trimStart()) || body.includes(";")) return undefined;
  const head = "select * from (";
  // The newline ends a trailing `--` comment before the closing parenthesis.
  return { sql: `${head}${body}\n) limit ${limit}`, offset: head.length };
}
