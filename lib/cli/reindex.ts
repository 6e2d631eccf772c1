import { notBuilt } from "./_not_built.ts";

/** `xp reindex`: rebuilds the index (.xp/index.duckdb) from the trial files, which are the truth. */
export const reindexCommand = notBuilt({
  name: "reindex",
  usage: "reindex",
  description: "Rebuilds the index (.xp/index.duckdb) from the trial files, which are the truth.",
  options: [],
  examples: [
    "xp reindex",
  ],
});
