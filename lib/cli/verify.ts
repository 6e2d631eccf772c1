/**
 * `xp verify`: checks sealed runs against their seals.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";

/** Parsed arguments of `xp verify`. */
export interface VerifyArgs {
  /** Run ids; empty checks every sealed run. */
  runs: string[];
}

/** `xp verify [RUN…]`: reports files changed since `xp seal`; exit 1 when any did. */
export const verifyCommand: Command<VerifyArgs> = {
  name: "verify",
  usage: "verify [RUN…]",
  description: [
    "Checks the trials of sealed runs (all of them, or the RUNs given) against their",
    "seals (xp seal) and lists each file changed, missing or added since. Exits 0 when",
    "everything matches, 1 when anything differs.",
  ].join("\n"),
  options: [],
  examples: [
    "xp verify",
    "xp verify 20261123T144843123Z-1a2b",
  ],
  parse(argv) {
    const { positionals } = parseArgs(argv, this.options, { command: "xp verify" });
    return { runs: positionals };
  },
  async run(args, deps) {
    const { verifyRuns } = await import("./_seal_action.ts");
    return await verifyRuns(args, deps);
  },
};
