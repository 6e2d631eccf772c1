/**
 * Renders rows as an aligned text table (truncated to the terminal), NDJSON, CSV or Markdown.
 *
 * @module
 */

/** Options of {@linkcode renderTable}. */
export interface TableOptions {
  /** Total width to fit in; wide columns are cut with "…". @default {Infinity} */
  maxWidth?: number;
  /** How a missing value is shown. @default {"NULL"} */
  nullText?: string;
  /** Styles the header row (e.g. bold on a terminal). */
  header?: (text: string) => string;
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
  fit(widths, columns, options.maxWidth ?? Infinity);
  const line = (values: readonly string[]) =>
    values.map((v, i) => clip(v, widths[i]!).padEnd(i === values.length - 1 ? 0 : widths[i]!))
      .join("  ").trimEnd();
  const header = line(columns);
  return [options.header ? options.header(header) : header, ...cells.map(line)].join("\n");
}

function cellText(value: unknown, nullText: string): string {
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
