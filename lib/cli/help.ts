/**
 * Help texts, built from the command specs so they cannot drift from what is parsed.
 *
 * @module
 */

import type { OptionSpec } from "./args.ts";
import type { AnyCommand } from "./command.ts";
import { GLOBAL_OPTIONS } from "./global.ts";

/** The help of one command: usage, description, options, global options, examples. */
export function commandHelp(command: AnyCommand): string {
  const lines = [`Usage: xp ${command.usage}`, "", command.description, ""];
  if (command.options.length > 0) {
    lines.push("Options:", ...optionLines(command.options), "");
  }
  lines.push("Global options:", ...optionLines(GLOBAL_OPTIONS), "");
  if (command.examples.length > 0) {
    lines.push("Examples:", ...command.examples.map((e) => `  ${e}`), "");
  }
  lines.push("Exit codes: 0 ok, 1 a trial failed, 2 usage/config/SQL error, 130 interrupted");
  return lines.join("\n");
}

/** One summary row of the main help. */
export interface CommandSummary {
  /** The command name. */
  name: string;
  /** Its synopsis after `xp`. */
  usage: string;
  /** One line. */
  summary: string;
}

/** The help of `xp` itself. */
export function mainHelp(commands: readonly CommandSummary[], version: string): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    `xp ${version}: run experiment sweeps and keep their results`,
    "",
    "Usage: xp <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    "",
    "Global options:",
    ...optionLines(GLOBAL_OPTIONS),
    "",
    'Run "xp <command> --help" for a command\'s options and examples.',
    "Exit codes: 0 ok, 1 a trial failed, 2 usage/config/SQL error, 130 interrupted",
  ].join("\n");
}

function optionLines(options: readonly OptionSpec[]): string[] {
  const heads = options.map((o) => {
    const short = o.short ? `-${o.short}, ` : "    ";
    const value = o.kind === "optional"
      ? `[=${o.value ?? "VALUE"}]`
      : o.kind === "boolean"
      ? ""
      : ` ${o.value ?? "VALUE"}`;
    return `${short}--${o.name}${value}`;
  });
  const width = Math.max(...heads.map((h) => h.length));
  return heads.map((h, i) => `  ${h.padEnd(width)}  ${options[i]!.summary}`);
}
