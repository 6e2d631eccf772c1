import { notBuilt } from "./_not_built.ts";

/** `xp export`: writes results (the results view, or a query) as CSV, JSON or Parquet. */
export const exportCommand = notBuilt({
  name: "export",
  usage: "export [options]",
  description: "Writes results (the results view, or a query) as CSV, JSON or Parquet.",
  options: [
    { name: "format", kind: "string", value: "FORMAT", summary: "csv, json or parquet" },
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
});
