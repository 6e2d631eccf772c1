/**
 * `xp compare TRIAL TRIAL…`: trials side by side.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp compare`. */
export interface CompareArgs {
  /** Key prefixes, names or STAGE/NAMEs, in column order. */
  trials: string[];
  /** Write a self-contained HTML report here instead of printing. */
  html: string | undefined;
}

/** `xp compare`: shows params and metrics of several trials side by side, differences marked. */
export const compareCommand: Command<CompareArgs> = {
  name: "compare",
  usage: "compare TRIAL TRIAL...",
  description: [
    "Shows params and metrics of several trials side by side; rows whose values differ",
    "are marked with *. --html FILE writes one self-contained HTML file instead (no",
    "network needed to open it) with the tables and each scalar series that more than",
    "one of the trials logged, overlaid in a chart.",
  ].join("\n"),
  options: [
    {
      name: "html",
      kind: "string",
      value: "FILE",
      summary: "write a self-contained HTML report with charts",
    },
  ],
  examples: [
    "xp compare 3fa2 91bc",
    "xp compare 3fa2 91bc --html report.html",
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp compare" });
    if (positionals.length === 0) {
      throw new UsageError("Which trials?", {
        hint:
          'give two or more key prefixes or names, e.g. xp compare 3fa2 91bc; "xp ls" lists them',
      });
    }
    return { trials: positionals, html: options.get("html") as string | undefined };
  },
  async run(args, deps) {
    const { compareCommandAction } = await import("./_compare_action.ts");
    return await compareCommandAction(args, deps);
  },
};
