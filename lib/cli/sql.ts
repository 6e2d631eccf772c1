import { notBuilt } from "./_not_built.ts";

/** `xp sql`: runs read-only SQL on the index (views: trials, results, params, metrics, scalars, */
export const sqlCommand = notBuilt({
  name: "sql",
  usage: "sql [QUERY]",
  description:
    "Runs read-only SQL on the index (views: trials, results, params, metrics, scalars,\ntexts, artifacts, runs, deps). Reads the query from stdin when none is given.",
  options: [
    { name: "json", kind: "boolean", summary: "NDJSON, one object per row" },
    { name: "csv", kind: "boolean", summary: "CSV with a header row" },
    { name: "md", kind: "boolean", summary: "a Markdown table" },
  ],
  examples: [
    'xp sql "select name, metrics.accuracy from trials order by 2 desc limit 5"',
    'echo "select count(*) from scalars" | xp sql --csv',
  ],
});
