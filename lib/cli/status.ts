/**
 * `xp status [RUN]`: how far a run has got, with the Slurm state of its running trials.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp status`. */
export interface StatusArgs {
  /** The run id; `undefined` for the newest run. */
  run: string | undefined;
  /** One JSON object on stdout. */
  json: boolean;
}

/** `xp status [RUN]`: a run's trials by state; queued and running Slurm jobs by Slurm state. */
export const statusCommand: Command<StatusArgs> = {
  name: "status",
  usage: "status [RUN]",
  description: [
    "Shows a run's trials by state, read from their status files; for trials running under",
    "Slurm, the job's own state (PENDING, RUNNING, …) from squeue. RUN is a run id (see",
    "`xp ls --runs`); the default is the newest run in the store.",
  ].join("\n"),
  options: [{ name: "json", kind: "boolean", summary: "one JSON object on stdout" }],
  examples: ["xp status", "xp status --json"],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp status" });
    if (positionals.length > 1) {
      throw new UsageError(`Unexpected argument "${positionals[1]}"`, {
        hint: "give one run id, or none for the newest run",
      });
    }
    return { run: positionals[0], json: options.has("json") };
  },
  async run(args, deps) {
    const { showStatus } = await import("./_status_action.ts");
    return await showStatus(args, deps);
  },
};
