/**
 * What `xp export` does: CSV and JSON are rendered from the store's read-only query; Parquet is
 * written by DuckDB itself (lib/store/export.ts) from the index attached read-only.
 *
 * @module
 */

import { resolve } from "node:path";
import { EXIT } from "../errors.ts";
import { renderCsv, renderNdjson, rowObjects } from "../query/format.ts";
import type { Deps } from "./command.ts";
import type { ExportArgs } from "./export.ts";
import { withQueryStore } from "./_query_store.ts";

/** Runs `xp export`; returns the exit code. */
export function exportRows(args: ExportArgs, deps: Deps): Promise<number> {
  return withQueryStore(deps, async (store) => {
    const path = args.output === undefined ? undefined : resolve(deps.cwd, args.output);
    let rows: number;
    if (args.format === "parquet") {
      // DuckDB writes Parquet itself, from the index attached read-only (see lib/store/export.ts).
      const { exportQuery } = await import("../store/export.ts");
      rows = (await exportQuery(store.layout.index, args.query, "parquet", path!)).rows;
    } else {
      const result = await store.query(args.query);
      const columns = result.columns.map((c) => c.name);
      const text = args.format === "csv"
        ? renderCsv(columns, result.rows)
        : args.format === "ndjson"
        ? renderNdjson(columns, result.rows)
        : jsonArray(rowObjects(columns, result.rows));
      rows = result.rows.length;
      if (path === undefined) deps.output.write(text);
      else await Deno.writeTextFile(path, text);
    }
    if (path !== undefined && !deps.global.quiet) {
      deps.output.err(
        `wrote ${rows} row${rows === 1 ? "" : "s"} to ${args.output} (${args.format})`,
      );
    }
    return EXIT.ok;
  });
}

/** A JSON array with one row object per line: valid JSON that still diffs and greps by row. */
function jsonArray(rows: readonly Record<string, unknown>[]): string {
  return rows.length === 0 ? "[]\n" : `[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`;
}
