/**
 * `xp seal`: records the sha256 of every file of a finished run's trials.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp seal`. */
export interface SealArgs {
  /** Run ids. */
  runs: string[];
}

/** `xp seal RUN…`: makes finished runs checkable by `xp verify`. */
export const sealCommand: Command<SealArgs> = {
  name: "seal",
  usage: "seal RUN…",
  description: [
    "Seals finished runs: the sha256 of every file of their trials (but tags.json and",
    "notes.md, which stay editable) goes to .xp/runs/<run>/seal.json. xp verify then",
    "reports any file changed, missing or added since. Sealing again replaces the seal.",
  ].join("\n"),
  options: [],
  examples: [
    "xp seal 20261123T144843123Z-1a2b",
    "xp verify",
  ],
  parse(argv) {
    const { positionals } = parseArgs(argv, this.options, { command: "xp seal" });
    if (positionals.length === 0) {
      throw new UsageError("No run given", {
        hint: 'write xp seal RUN; "xp ls --runs" lists the runs',
      });
    }
    return { runs: positionals };
  },
  async run(args, deps) {
    const { sealRuns } = await import("./_seal_action.ts");
    return await sealRuns(args, deps);
  },
};
