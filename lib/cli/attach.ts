/**
 * `xp attach [RUN]`: follows a run's Slurm jobs again after Ctrl-C detached from them.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp attach`. */
export interface AttachArgs {
  /** The run id; `undefined` for the newest run. */
  run: string | undefined;
}

/** `xp attach [RUN]`: the run's `xp run` again, from its directory: it follows, not resubmits. */
export const attachCommand: Command<AttachArgs> = {
  name: "attach",
  usage: "attach [RUN]",
  description: [
    "Runs a run's `xp run` command line again in its directory: trials still running under",
    "Slurm are followed to their end (not submitted again), their results ingested, and what",
    "the run had left to do is submitted. RUN defaults to the newest run in the store.",
  ].join("\n"),
  options: [],
  examples: ["xp attach", "xp attach 20261123T161335566Z-0d05"],
  parse(argv) {
    const { positionals } = parseArgs(argv, this.options, { command: "xp attach" });
    if (positionals.length > 1) {
      throw new UsageError(`Unexpected argument "${positionals[1]}"`, {
        hint: "give one run id, or none for the newest run",
      });
    }
    return { run: positionals[0] };
  },
  async run(args, deps) {
    const { attachRun } = await import("./_attach_action.ts");
    return await attachRun(args, deps);
  },
};
