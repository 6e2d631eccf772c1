/**
 * `xp reindex`: rebuilds the index from the trial files.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { withQueryStore } from "./_query_store.ts";
import { paint } from "./output.ts";

/** `xp reindex`: rebuilds the index (.xp/index.duckdb) from the trial files, which are the truth. */
export const reindexCommand: Command<null> = {
  name: "reindex",
  usage: "reindex",
  description: [
    "Rebuilds the index (.xp/index.duckdb) from the trial files, which are the truth.",
    "Prints how many trials and rows were indexed, the time it took, and each line or",
    "file that was skipped.",
  ].join("\n"),
  options: [],
  examples: [
    "xp reindex",
  ],
  parse(argv) {
    const { positionals } = parseArgs(argv, this.options, { command: "xp reindex" });
    if (positionals.length > 0) {
      throw new UsageError(`Unexpected argument "${positionals[0]}"`, {
        hint: "xp reindex takes no arguments; choose the store with --store DIR",
      });
    }
    return null;
  },
  async run(_args, deps) {
    const began = performance.now();
    const report = await withQueryStore(deps, (store) => store.reindex());
    const seconds = (performance.now() - began) / 1000;
    const { output } = deps;
    for (const warning of report.warnings) {
      output.err(`${paint(output, "yellow", "warning:")} ${warning}`);
    }
    if (!deps.global.quiet) {
      output.err(
        `reindexed ${report.trials} trial${report.trials === 1 ? "" : "s"}, ${report.rows} rows` +
          ` in ${seconds.toFixed(2)} s` +
          (report.warnings.length ? `, ${report.warnings.length} warnings` : ""),
      );
    }
    return EXIT.ok;
  },
};
