/**
 * `xp show TRIAL`: one trial in detail.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp show`. */
export interface ShowArgs {
  /** A key prefix, a trial name, or STAGE/NAME. */
  trial: string;
  /** One JSON object instead of text. */
  json: boolean;
}

/** `xp show`: shows one trial: config, status, metrics, artifacts and the tail of stderr. */
export const showCommand: Command<ShowArgs> = {
  name: "show",
  usage: "show TRIAL",
  description: [
    "Shows one trial: config, status (state, error, times, attempt), metrics, artifacts,",
    "dependencies and the last 10 lines of stderr. TRIAL is a key prefix, a trial name,",
    "or STAGE/NAME when a name is in several stages.",
  ].join("\n"),
  options: [
    { name: "json", kind: "boolean", summary: "the trial as one JSON object" },
  ],
  examples: [
    "xp show 3fa2c1        # by key prefix",
    'xp show "lr=0.1"      # by name',
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp show" });
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0 ? "Which trial?" : `Unexpected argument "${positionals[1]}"`,
        { hint: 'give one key prefix or trial name, e.g. xp show 3fa2c1; "xp ls" lists them' },
      );
    }
    return { trial: positionals[0]!, json: options.has("json") };
  },
  async run(args, deps) {
    const { showTrial } = await import("./_show_action.ts");
    return await showTrial(args, deps);
  },
};
