import { notBuilt } from "./_not_built.ts";

/** `xp ls`: lists trials (or runs with --runs) as a table, newest first. */
export const lsCommand = notBuilt({
  name: "ls",
  usage: "ls [options]",
  description: "Lists trials (or runs with --runs) as a table, newest first.",
  options: [
    { name: "runs", kind: "boolean", summary: "list runs instead of trials" },
    {
      name: "status",
      kind: "string",
      value: "STATE",
      summary: "only trials in this state (ok, failed, running, ...)",
    },
    {
      name: "filter",
      kind: "string",
      value: "EXPR",
      summary: "a SQL boolean expression; bare names are params, then metrics",
    },
    {
      name: "sort",
      kind: "string",
      value: "[-]NAME",
      summary: "sort by a column, param or metric; a leading - sorts descending",
    },
    { name: "limit", kind: "integer", value: "N", summary: "at most N rows" },
    { name: "json", kind: "boolean", summary: "NDJSON, one object per row" },
    { name: "csv", kind: "boolean", summary: "CSV with a header row" },
  ],
  examples: [
    "xp ls --status failed                 # what failed",
    'xp ls --filter "lr < 0.05" --sort -accuracy --limit 5',
  ],
});
