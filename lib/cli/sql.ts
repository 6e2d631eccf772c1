/**
 * `xp sql [QUERY]`: read-only SQL over the index.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT, UsageError } from "../errors.ts";
import type { Format } from "../query/format.ts";
import { formatOption, printRows } from "./_output_format.ts";
import { withQueryStore } from "./_query_store.ts";

/** Parsed arguments of `xp sql`. */
export interface SqlArgs {
  /** The query; `undefined` reads it from stdin. */
  query: string | undefined;
  /** How rows are printed. */
  format: Format;
}

/** `xp sql`: runs read-only SQL on the index (views: trials, results, params, metrics, scalars, …). */
export const sqlCommand: Command<SqlArgs> = {
  name: "sql",
  usage: "sql [QUERY]",
  description: [
    "Runs read-only SQL on the index (views: trials, results, params, metrics, scalars,",
    "texts, artifacts, runs, deps, tags, notes, lineage). Reads the query from stdin when",
    "none is given.",
    "Output: an aligned table (cut to the terminal's width on a TTY; NULL shown),",
    "--json prints NDJSON (one object per row; a repeated column name gets _1, _2),",
    "--csv RFC 4180 CSV with a header, --md a Markdown table. Writes, ATTACH, COPY,",
    "INSTALL/LOAD, SET and reading files are refused. DuckDB sorts NaN above every",
    "number: write `order by isnan(x), x desc` to put NaN last (xp ls --sort does).",
  ].join("\n"),
  options: [
    { name: "json", kind: "boolean", summary: "NDJSON, one object per row" },
    { name: "csv", kind: "boolean", summary: "CSV with a header row" },
    { name: "md", kind: "boolean", summary: "a Markdown table" },
  ],
  examples: [
    'xp sql "select name, metrics.accuracy from trials order by 2 desc limit 5"',
    'echo "select count(*) from scalars" | xp sql --csv',
    'xp sql "select name, depth, ancestor_name from lineage where depth <= 2"',
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp sql" });
    // `xp sql select 1` without quotes still means one query.
    const query = positionals.length > 0 ? positionals.join(" ") : undefined;
    return { query, format: formatOption(options, ["json", "csv", "md"]) };
  },
  async run(args, deps) {
    let query = args.query;
    if (query === undefined) {
      if (deps.stdin === undefined || deps.stdin.isTerminal()) {
        throw new UsageError("No query given", {
          hint: 'write xp sql "select …", or pipe the query to xp sql',
        });
      }
      query = await deps.stdin.readText();
    }
    if (query.trim() === "") {
      throw new UsageError("The query is empty", {
        hint: 'write xp sql "select count(*) from trials"',
      });
    }
    const result = await withQueryStore(deps, (store) => store.query(query));
    printRows(deps.output, args.format, result.columns.map((c) => c.name), result.rows);
    if (args.format === "table" && deps.output.isTerminal && !deps.global.quiet) {
      deps.output.err(`(${result.rows.length} row${result.rows.length === 1 ? "" : "s"})`);
    }
    return EXIT.ok;
  },
};
