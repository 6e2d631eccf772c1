/**
 * DuckDB's errors for user SQL as {@linkcode SqlError}s: the message without DuckDB's `LINE n:`
 * excerpt, the 0-based offset its caret points at, and a hint (for refused statements, that xp
 * SQL is read-only; for an unknown table, the view names).
 *
 * @module
 */

import { SqlError } from "../errors.ts";
import { VIEW_NAMES } from "./schema.ts";

const REFUSED =
  /Permission Error|read-only mode|attached in read-only|disabled by configuration|Cannot change enable_external_access|Cannot enable external access|cannot be changed while the database is running|xp sql is read-only/i;

/**
 * Translates an error DuckDB threw for `sql`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { toSqlError } from "./sql_error.ts";
 * const error = toSqlError(
 *   new Error('Parser Error: syntax error at or near "form"\n\nLINE 1: select 1 form x\n                 ^'),
 *   "select 1 form x",
 * );
 * assert.equal(error.message, 'Parser Error: syntax error at or near "form"');
 * assert.equal(error.position, 9);
 * ```
 */
export function toSqlError(error: unknown, sql: string): SqlError {
  if (error instanceof SqlError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const [message, position] = splitExcerpt(raw, sql);
  const hint = hintFor(message);
  return new SqlError(message, { cause: error, sql, position, ...(hint ? { hint } : {}) });
}

/** The refusal for a statement that is not a query, in DuckDB's wording. */
export function refusedStatement(types: readonly string[], sql: string): SqlError {
  return new SqlError(
    `Permission Error: Cannot execute statement of type "${types[0]}": xp sql is read-only`,
    { sql, hint: "xp sql is read-only: only SELECT queries over the views are allowed" },
  );
}

function hintFor(message: string): string | undefined {
  if (REFUSED.test(message)) {
    return "xp sql is read-only: writes, ATTACH, COPY, INSTALL/LOAD, SET and reading files are refused";
  }
  if (/Catalog Error: Table with name/.test(message)) {
    return `the views are ${VIEW_NAMES.join(", ")}`;
  }
  return undefined;
}

/** Splits DuckDB's `…\n\nLINE n: excerpt\n   ^` into the message and the caret's offset. */
function splitExcerpt(raw: string, sql: string): [string, number | undefined] {
  const match = /\n*LINE (\d+): ([^\n]*)\n( *)\^/.exec(raw);
  if (!match) return [raw.trim(), undefined];
  const message = raw.slice(0, match.index).trim();
  const lineNumber = Number(match[1]);
  const excerpt = match[2]!;
  const caret = match[3]!.length - `LINE ${match[1]}: `.length;
  const lines = sql.split("\n");
  const line = lines[lineNumber - 1];
  if (line === undefined || caret < 0) return [message, undefined];
  let lineStart = 0;
  for (let i = 0; i < lineNumber - 1; i++) lineStart += lines[i]!.length + 1;
  // A long line is shown as a window with "..." at either end: find the window in the line.
  let shown = excerpt;
  let skipped = 0;
  if (shown.startsWith("...")) {
    shown = shown.slice(3);
    skipped = 3;
  }
  if (shown.endsWith("...")) shown = shown.slice(0, -3);
  const at = skipped === 0 ? 0 : line.indexOf(shown);
  if (at < 0) return [message, undefined];
  const column = Math.min(at + caret - skipped, line.length);
  return [message, lineStart + Math.max(column, 0)];
}
