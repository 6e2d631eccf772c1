/**
 * Reading a CSV file a trial wrote (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into
 * records, for `Results.loadCsv`.
 *
 * @module
 */

/** Options of {@linkcode parseCsv}. */
export interface ParseCsvOptions {
  /** The field separator. @default {","} */
  separator?: string;
  /** Turn fields that read as numbers into numbers, and empty fields into `null`. @default {true} */
  convert?: boolean;
}

/**
 * The records of `text`, keyed by the header row.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCsv } from "./csv_parse.ts";
 * assert.deepEqual(parseCsv('step,loss,note\n1,0.5,"a, b"\n2,,x\n'), [
 *   { step: 1, loss: 0.5, note: "a, b" },
 *   { step: 2, loss: null, note: "x" },
 * ]);
 * ```
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): Record<string, unknown>[] {
  const rows = csvRows(text, options.separator ?? ",");
  const header = rows.shift() ?? [];
  const convert = options.convert !== false;
  return rows.map((row) =>
    Object.fromEntries(header.map((name, i) => {
      const field = row[i] ?? "";
      return [name, convert ? convertField(field) : field];
    }))
  );
}

function convertField(field: string): unknown {
  if (field === "") return null;
  const trimmed = field.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/^[+-]?(inf|infinity)$/i.test(trimmed)) return trimmed.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(trimmed)) return NaN;
  return field;
}

/** Splits CSV text into rows of fields; a trailing newline adds no empty row. */
export function csvRows(text: string, separator = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
    } else if (c === separator) {
      endField();
    } else if (c === "\n" || c === "\r") {
      endField();
      rows.push(row);
      row = [];
      if (c === "\r" && text[i + 1] === "\n") i++;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== "" || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}
