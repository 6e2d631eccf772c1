/**
 * `xp archive`: selected trials, their blobs and runs in one `.xpa` file.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp archive`. */
export interface ArchiveArgs {
  /** SQL whose `key` column (else first column) selects the trials. */
  query: string | undefined;
  /** Runs whose trials are selected. */
  runs: string[];
  /** The archive file to write. */
  output: string;
}

/** `xp archive`: writes trials (all, a query's, or some runs') to one portable file. */
export const archiveCommand: Command<ArchiveArgs> = {
  name: "archive",
  usage: "archive [--query SQL | --run RUN …] -o FILE.xpa",
  description: [
    "Writes the selected trials' directories, the blobs they reference (once each), the",
    "runs that ran them and a manifest with the sha256 of every entry into one gzipped tar",
    "file. Without --query or --run every trial of the store is archived. --query selects",
    "the trials whose keys its `key` column (else its first column) returns. The file is",
    "written as a stream: memory stays constant whatever the store's size. Read it into",
    "any store with xp import.",
  ].join("\n"),
  options: [
    { name: "query", kind: "string", value: "SQL", summary: "archive the trials this returns" },
    {
      name: "run",
      kind: "string",
      value: "RUN",
      multiple: true,
      summary: "archive the trials of this run (repeatable)",
    },
    { name: "output", short: "o", kind: "string", value: "FILE", summary: "the .xpa file" },
  ],
  examples: [
    "xp archive -o everything.xpa",
    "xp archive --query \"select key from trials where status = 'ok'\" -o ok.xpa",
    "xp archive --run 20261123T144843123Z-1a2b -o run.xpa",
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp archive" });
    if (positionals.length > 0) {
      throw new UsageError(`Unexpected argument "${positionals[0]}"`, {
        hint: 'select trials with --query "SQL" or --run RUN, and give the file with -o FILE.xpa',
      });
    }
    const output = options.get("output") as string | undefined;
    if (output === undefined) {
      throw new UsageError("No output file", { hint: "write -o FILE.xpa" });
    }
    const query = options.get("query") as string | undefined;
    const runs = ((options.get("run") ?? []) as string[]).map(String);
    if (query !== undefined && runs.length > 0) {
      throw new UsageError("--query and --run cannot be used together", {
        hint: "select by run in the query: --query \"select key from trials where run_id = '…'\"",
      });
    }
    if (query !== undefined && query.trim() === "") {
      throw new UsageError("The query is empty", {
        hint: 'write --query "select key from trials"',
      });
    }
    return { query, runs, output };
  },
  async run(args, deps) {
    const { archiveStore } = await import("./_archive_action.ts");
    return await archiveStore(args, deps);
  },
};
