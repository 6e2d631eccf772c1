/**
 * `xp export`: results (or a query's rows) to a CSV, JSON or Parquet file.
 *
 * @module
 */

import { extname } from "node:path";
import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";
import { suggest } from "../suggest.ts";

/** The formats `xp export` writes. */
export const EXPORT_FORMATS = ["csv", "json", "ndjson", "parquet"] as const;

/** One of {@linkcode EXPORT_FORMATS}. */
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

/** Parsed arguments of `xp export`. */
export interface ExportArgs {
  /** What to write. */
  format: ExportFormatName;
  /** The query; the default exports the `results` view. */
  query: string;
  /** The file; `undefined` writes to stdout (not for Parquet). */
  output: string | undefined;
}

/** `xp export`: writes results (the results view, or a query) as CSV, JSON or Parquet. */
export const exportCommand: Command<ExportArgs> = {
  name: "export",
  usage: "export [options]",
  description: [
    "Writes results (the results view: one row per trial, a column per param and metric,",
    "or the rows of --query) as CSV, JSON or Parquet. The format defaults to the output",
    "file's extension, else CSV. json is one JSON array of row objects; ndjson one object",
    "per line. Parquet (read by pandas, polars, DuckDB) needs -o. The query is read-only.",
  ].join("\n"),
  options: [
    {
      name: "format",
      kind: "string",
      value: "FORMAT",
      summary: "csv, json, ndjson or parquet (default: from -o's extension, else csv)",
    },
    { name: "query", kind: "string", value: "SQL", summary: "export what this query returns" },
    {
      name: "output",
      short: "o",
      kind: "string",
      value: "FILE",
      summary: "write to FILE instead of stdout",
    },
  ],
  examples: [
    "xp export --format csv -o results.csv",
    'xp export --format parquet --query "select * from scalars" -o scalars.parquet',
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp export" });
    if (positionals.length > 0) {
      throw new UsageError(`Unexpected argument "${positionals[0]}"`, {
        hint: 'give the file with -o FILE and a query with --query "SQL"',
      });
    }
    const output = options.get("output") as string | undefined;
    const given = options.get("format") as string | undefined;
    const fromExtension = output === undefined ? undefined : extname(output).slice(1).toLowerCase();
    const format = given ??
      ((EXPORT_FORMATS as readonly string[]).includes(fromExtension ?? "")
        ? fromExtension!
        : "csv");
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`Unknown export format "${format}"`, {
        hint: suggest(format, EXPORT_FORMATS) ?? `choose one of ${EXPORT_FORMATS.join(", ")}`,
      });
    }
    if (format === "parquet" && output === undefined) {
      throw new UsageError("Parquet needs a file", { hint: "write -o FILE.parquet" });
    }
    const query = (options.get("query") as string | undefined) ?? "select * from results";
    if (query.trim() === "") {
      throw new UsageError("The query is empty", { hint: 'write --query "select * from results"' });
    }
    return { format: format as ExportFormatName, query, output };
  },
  async run(args, deps) {
    const { exportRows } = await import("./_export_action.ts");
    return await exportRows(args, deps);
  },
};
