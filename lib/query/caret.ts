/**
 * Marking a position in a query: the line it is on and a caret under it, as `xp sql` prints
 * after a DuckDB error.
 *
 * @module
 */

/** How wide the shown part of a long line may be. */
const WINDOW = 100;

/**
 * Two lines: the line of `sql` holding `position` (0-based offset), and a `^` under it; a long
 * line is cut around the position, and a query of several lines names the line.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { caretLines } from "./caret.ts";
 * assert.deepEqual(caretLines("select * form trials", 14), ["select * form trials", "              ^"]);
 * assert.deepEqual(caretLines("select 1\nfrom x", 14), ["line 2: from x", "             ^"]);
 * ```
 */
export function caretLines(sql: string, position: number): [string, string] {
  const at = Math.max(0, Math.min(position, sql.length));
  const lineStart = sql.lastIndexOf("\n", at - 1) + 1;
  const lineEnd = sql.indexOf("\n", at) === -1 ? sql.length : sql.indexOf("\n", at);
  let line = sql.slice(lineStart, lineEnd).replaceAll("\t", " ").replace(/\r$/, "");
  let column = at - lineStart;
  if (line.length > WINDOW) {
    const from = Math.max(0, Math.min(column - WINDOW / 2, line.length - WINDOW));
    const to = from + WINDOW;
    const head = from > 0 ? "…" : "";
    line = head + line.slice(from, to) + (to < line.length ? "…" : "");
    column = column - from + head.length;
  }
  const multiline = sql.trimEnd().includes("\n");
  const prefix = multiline ? `line ${sql.slice(0, lineStart).split("\n").length}: ` : "";
  return [prefix + line, " ".repeat(prefix.length + column) + "^"];
}
