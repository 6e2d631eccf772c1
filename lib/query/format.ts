/**
 * Renders query answers: an aligned text table (truncated to the terminal, NULL shown), NDJSON,
 * CSV (RFC 4180 quoting) or a Markdown table.
 *
 * Values are those of a store's answer: `null`, booleans, numbers, strings (BIGINTs too large for
 * a number, timestamps, and non-finite doubles as "NaN", "Infinity", "-Infinity"), objects
 * (STRUCTs) and arrays (LISTs).
 *
 * @module
 */

/** The output formats of `xp sql`, `xp ls` and `xp export`. */
export type Format = "table" | "json" | "csv" | "md";

/** Options of {@linkcode renderTable}. */
export interface TableOptions {
  /** Total width to fit in; wide columns are cut with "…". @default {Infinity} */
  maxWidth?: number;
  /** How a missing value is shown. @default {"NULL"} */
  nullText?: string;
  /** Styles the header row (e.g. bold on a terminal). */
  header?: (text: string) => string;
  /** Right-align columns whose values are all numbers. @default {false} */
  alignNumbers?: boolean;
}

/**
 * An aligned table with a header; when `maxWidth` is finite the widest columns are shrunk first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTable } from "./format.ts";
 * const text = renderTable(["stage", "name"], [["train", "lr=0.1"]]);
 * assert.equal(text, "stage  name\ntrain  lr=0.1");
 * ```
 */
export function renderTable(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: TableOptions = {},
): string {
  const nullText = options.nullText ?? "NULL";
  const cells = rows.map((row) => columns.map((_, i) => cellText(row[i], nullText)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const right = columns.map((_, i) =>
    options.alignNumbers === true && rows.length > 0 &&
    rows.every((r) => r[i] === null || r[i] === undefined || isNumeric(r[i]))
  );
  fit(widths, columns, options.maxWidth ?? Infinity);
  const line = (values: readonly string[]) =>
    values.map((v, i) => {
      const text = clip(v, widths[i]!);
      if (right[i]) return text.padStart(widths[i]!);
      return i === values.length - 1 ? text : text.padEnd(widths[i]!);
    }).join("  ").trimEnd();
  const header = line(columns);
  return [options.header ? options.header(header) : header, ...cells.map(line)].join("\n");
}

/** A number, or one of the strings a non-finite double is written as. */
function isNumeric(value: unknown): boolean {
  return typeof value === "number" || value === "NaN" || value === "Infinity" ||
    value === "-Infinity";
}

/** How a value reads in a table cell: on one line, objects as JSON. */
export function cellText(value: unknown, nullText = "NULL"): string {
  if (value === null || value === undefined) return nullText;
  if (typeof value === "string") return value.replace(/\s+/g, " ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Shrinks the widest columns until the row fits, keeping every column at least 6 wide. */
function fit(widths: number[], columns: readonly string[], maxWidth: number): void {
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = 0;
    widths.forEach((w, i) => {
      if (w > widths[widest]!) widest = i;
    });
    const floor = Math.min(6, columns[widest]!.length);
    if (widths[widest]! <= floor) return;
    widths[widest] = Math.max(floor, widths[widest]! - (total() - maxWidth));
  }
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + "…";
}

/**
 * Column names made unique for JSON keys: a repeated name gets `_1`, `_2`, … (SQL allows
 * `select 1 as a, 2 as a`; an object cannot hold both).
 */
export function uniqueNames(columns: readonly string[]): string[] {
  const used = new Set<string>();
  return columns.map((name) => {
    let unique = name;
    for (let n = 1; used.has(unique); n++) unique = `${name}_${n}`;
    used.add(unique);
    return unique;
  });
}

/** Rows as objects keyed by (unique) column name. */
export function rowObjects(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Record<string, unknown>[] {
  const names = uniqueNames(columns);
  return rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])));
}

/**
 * NDJSON: one JSON object per row, keys in column order (repeated names get `_1`, …), values as
 * the store gives them (so NaN is the string "NaN"); empty for no rows.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderNdjson } from "./format.ts";
 * assert.equal(renderNdjson(["a", "b"], [[1, null], [2, "x"]]), '{"a":1,"b":null}\n{"a":2,"b":"x"}\n');
 * ```
 */
export function renderNdjson(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  return rowObjects(columns, rows).map((o) => JSON.stringify(o) + "\n").join("");
}

/**
 * CSV with a header row: fields holding a comma, a quote, CR or LF are quoted and quotes doubled
 * (RFC 4180); NULL is an empty field; objects and arrays are JSON; lines end with LF.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderCsv } from "./format.ts";
 * assert.equal(renderCsv(["a", "b"], [["x,y", null], ['say "hi"', 2]]), 'a,b\n"x,y",\n"say ""hi""",2\n');
 * ```
 */
export function renderCsv(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const line = (values: readonly unknown[]) =>
    columns.map((_, i) => csvField(values[i])).join(",") + "\n";
  return line(columns) + rows.map(line).join("");
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A GitHub-flavoured Markdown table: `|` escaped, line breaks as spaces, NULL shown, columns of
 * numbers right-aligned.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderMarkdown } from "./format.ts";
 * assert.equal(renderMarkdown(["name", "n"], [["a|b", 1]]), "| name | n |\n| --- | ---: |\n| a\\|b | 1 |\n");
 * ```
 */
export function renderMarkdown(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const cell = (value: unknown) => cellText(value).replaceAll("|", "\\|");
  const numeric = columns.map((_, i) =>
    rows.length > 0 && rows.every((r) => r[i] === null || r[i] === undefined || isNumeric(r[i]))
  );
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |\n`;
  return line(columns.map((c) => c.replaceAll("|", "\\|"))) +
    line(numeric.map((n) => (n ? "---:" : "---"))) +
    rows.map((r) => line(columns.map((_, i) => cell(r[i])))).join("");
}
