/**
 * `xp cancel [RUN]`: cancels the Slurm jobs a run left running.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp cancel`. */
export interface CancelArgs {
  /** The run id; `undefined` for the newest run. */
  run: string | undefined;
}

/** `xp cancel [RUN]`: scancels the run's Slurm jobs; their trials end `killed`. */
export const cancelCommand: Command<CancelArgs> = {
  name: "cancel",
  usage: "cancel [RUN]",
  description: [
    "Cancels (scancel) the Slurm jobs of a run's trials that are still running, e.g. after",
    "Ctrl-C detached from `xp run --executor slurm`. Their trials end `killed`. RUN is a run",
    "id (see `xp ls --runs`); the default is the newest run in the store.",
  ].join("\n"),
  options: [],
  examples: ["xp cancel", "xp cancel 20261123T161335566Z-0d05"],
  parse(argv) {
    const { positionals } = parseArgs(argv, this.options, { command: "xp cancel" });
    if (positionals.length > 1) {
      throw new UsageError(`Unexpected argument "${positionals[1]}"`, {
        hint: "give one run id, or none for the newest run",
      });
    }
    return { run: positionals[0] };
  },
  async run(args, deps) {
    const { cancelRun } = await import("./_cancel_action.ts");
    return await cancelRun(args, deps);
  },
};
