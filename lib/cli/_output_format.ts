/**
 * The `--json`, `--csv`, `--md` flags shared by the query commands, and printing rows in the
 * chosen format.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import {
  type Format,
  renderCsv,
  renderMarkdown,
  renderNdjson,
  renderTable,
} from "../query/format.ts";
import type { ParsedArgs } from "./args.ts";
import { type Output, paint } from "./output.ts";

/**
 * The format the flags ask for (`table` when none).
 *
 * @throws {UsageError} when more than one is given
 */
export function formatOption(
  options: ParsedArgs["options"],
  allowed: readonly Exclude<Format, "table">[],
): Format {
  const given = allowed.filter((f) => options.has(f));
  if (given.length > 1) {
    throw new UsageError(`Options ${given.map((f) => `--${f}`).join(" and ")} exclude each other`, {
      hint: "choose one output format",
    });
  }
  return given[0] ?? "table";
}

/** Prints rows as a table (fitted to the terminal, numbers right-aligned), NDJSON, CSV or Markdown. */
export function printRows(
  output: Output,
  format: Format,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): void {
  switch (format) {
    case "json":
      output.write(renderNdjson(columns, rows));
      return;
    case "csv":
      output.write(renderCsv(columns, rows));
      return;
    case "md":
      output.write(renderMarkdown(columns, rows));
      return;
    case "table":
      output.out(renderTable(columns, rows, {
        maxWidth: output.columns,
        alignNumbers: true,
        header: (h) => paint(output, "bold", h),
      }));
  }
}
