/**
 * `xp logs TRIAL [--stderr] [-f]`: a trial's stdout or stderr.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp logs`. */
export interface LogsArgs {
  /** A key prefix, a trial name, or STAGE/NAME. */
  trial: string;
  /** stderr.log instead of stdout.log. */
  stderr: boolean;
  /** Keep printing until the trial ends. */
  follow: boolean;
}

/** `xp logs`: prints a trial's stdout (or stderr). */
export const logsCommand: Command<LogsArgs> = {
  name: "logs",
  usage: "logs TRIAL",
  description: [
    "Prints a trial's stdout (or stderr). With -f, keeps printing what the trial writes",
    "until its status is final (ok, failed, timeout, killed, skipped, interrupted).",
    "TRIAL is a key prefix, a trial name, or STAGE/NAME.",
  ].join("\n"),
  options: [
    { name: "stderr", kind: "boolean", summary: "stderr instead of stdout" },
    { name: "follow", short: "f", kind: "boolean", summary: "keep printing as the trial writes" },
  ],
  examples: [
    "xp logs 3fa2c1 --stderr",
    'xp logs "lr=0.1" -f',
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp logs" });
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0 ? "Which trial?" : `Unexpected argument "${positionals[1]}"`,
        { hint: 'give one key prefix or trial name, e.g. xp logs 3fa2c1; "xp ls" lists them' },
      );
    }
    return { trial: positionals[0]!, stderr: options.has("stderr"), follow: options.has("follow") };
  },
  async run(args, deps) {
    const { printLogs } = await import("./_logs_action.ts");
    return await printLogs(args, deps);
  },
};
