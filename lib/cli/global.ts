/**
 * The global options, accepted before or after the command name.
 *
 * @module
 */

import type { OptionSpec } from "./args.ts";

/** Every global option, for parsing and for the help. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: "store",
    kind: "string",
    value: "DIR",
    summary: "the store (or XP_STORE); default .xp/ beside the experiment file, else in cwd",
  },
  { name: "verbose", short: "v", kind: "boolean", summary: "more detail; stacks on errors" },
  { name: "quiet", short: "q", kind: "boolean", summary: "print only errors and requested data" },
  { name: "no-color", kind: "boolean", summary: "no ANSI colours (also NO_COLOR=1)" },
  { name: "help", short: "h", kind: "boolean", summary: "show help" },
  { name: "version", kind: "boolean", summary: "print the version" },
];

/** The global options found in an argument list, and the arguments left for the command. */
export interface SplitArgs {
  /** Global options by long name. */
  global: Map<string, string | true>;
  /** The command name, when one was given. */
  command: string | undefined;
  /** The command's own arguments, in order. */
  rest: string[];
}

/**
 * Takes the global options out of `argv` wherever they are and finds the command name (the first
 * word that is not an option). A global `--store` without a value is left for the parser to report.
 */
export function splitGlobal(argv: readonly string[]): SplitArgs {
  const split: SplitArgs = { global: new Map(), command: undefined, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      split.rest.push(...argv.slice(i));
      break;
    }
    const long = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const spec = long ? GLOBAL_OPTIONS.find((s) => s.name === long[1]) : undefined;
    if (long && spec) {
      if (spec.kind === "boolean") {
        if (long[2] !== undefined) split.rest.push(arg);
        else split.global.set(spec.name, true);
        continue;
      }
      const value = long[2] ?? argv[i + 1];
      if (value === undefined || (long[2] === undefined && value.startsWith("-"))) {
        split.rest.push(arg);
        continue;
      }
      split.global.set(spec.name, value);
      if (long[2] === undefined) i++;
      continue;
    }
    const letters = /^-([a-zA-Z]+)$/.exec(arg)?.[1];
    if (letters !== undefined) {
      const specs = [...letters].map((l) => GLOBAL_OPTIONS.find((s) => s.short === l));
      if (specs.every((s) => s !== undefined)) {
        for (const s of specs) split.global.set(s!.name, true);
        continue;
      }
    }
    if (split.command === undefined && !arg.startsWith("-")) {
      split.command = arg;
      continue;
    }
    split.rest.push(arg);
  }
  return split;
}
