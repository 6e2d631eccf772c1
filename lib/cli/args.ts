/**
 * A small command-line parser: declared options only, `--name value`, `--name=value`, `-x value`,
 * bundled short booleans, `--` to end options. Errors say which option and what to do.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { suggest } from "../suggest.ts";

/** How an option takes its value. */
export type OptionKind =
  /** a flag: `--dry-run` */
  | "boolean"
  /** a required value: `--store DIR` or `--store=DIR` */
  | "string"
  /** a required non-negative integer: `-j 4` */
  | "integer"
  /** a flag with an optional attached value: `--force` or `--force=train` */
  | "optional";

/** One declared option. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `dry-run`. */
  name: string;
  /** Single-letter alias without the dash. */
  short?: string;
  /** How it takes a value. */
  kind: OptionKind;
  /** Placeholder shown in help, e.g. `N` or `STAGE`. */
  value?: string;
  /** One line for the help. */
  summary: string;
  /** May be given more than once; values are collected in order. */
  multiple?: boolean;
}

/** A parsed value: `true` for a bare flag, a string or number for a value. */
export type OptionValue = boolean | string | number;

/** What {@linkcode parseArgs} returns. */
export interface ParsedArgs {
  /** Values by long name; repeated options keep the last unless `multiple`. */
  options: Map<string, OptionValue | OptionValue[]>;
  /** Everything that is not an option, in order. */
  positionals: string[];
}

/** Options of {@linkcode parseArgs}. */
export interface ParseArgsOptions {
  /** The command the arguments belong to, for messages (`xp run`). */
  command: string;
}

/**
 * Parses `argv` against the declared options.
 *
 * @throws {UsageError} on an unknown option, a missing or malformed value
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseArgs } from "./args.ts";
 * const parsed = parseArgs(["-j", "4", "lr=0.1"], [
 *   { name: "jobs", short: "j", kind: "integer", summary: "parallel trials" },
 * ], { command: "xp run" });
 * assert.equal(parsed.options.get("jobs"), 4);
 * assert.deepEqual(parsed.positionals, ["lr=0.1"]);
 * ```
 */
export function parseArgs(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  options: ParseArgsOptions,
): ParsedArgs {
  const parsed: ParsedArgs = { options: new Map(), positionals: [] };
  const helpHint = `run "${options.command} --help" for the options`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const spec = specs.find((s) => s.name === name);
      if (spec === undefined) {
        throw new UsageError(`Unknown option "--${name}" for "${options.command}"`, {
          hint: suggest(`--${name}`, specs.map((s) => `--${s.name}`)) ?? helpHint,
        });
      }
      const attached = eq === -1 ? undefined : arg.slice(eq + 1);
      i = take(parsed, spec, `--${name}`, attached, argv, i, helpHint);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1 && !/^-\d/.test(arg)) {
      // Short options: `-j4`, `-j 4`, or bundled booleans `-vq`.
      for (let c = 1; c < arg.length; c++) {
        const letter = arg[c]!;
        const spec = specs.find((s) => s.short === letter);
        if (spec === undefined) {
          throw new UsageError(`Unknown option "-${letter}" for "${options.command}"`, {
            hint: helpHint,
          });
        }
        if (spec.kind === "boolean" || spec.kind === "optional") {
          store(parsed, spec, true);
          continue;
        }
        const rest = arg.slice(c + 1);
        i = take(parsed, spec, `-${letter}`, rest === "" ? undefined : rest, argv, i, helpHint);
        break;
      }
      continue;
    }
    parsed.positionals.push(arg);
  }
  return parsed;
}

function take(
  parsed: ParsedArgs,
  spec: OptionSpec,
  written: string,
  attached: string | undefined,
  argv: readonly string[],
  i: number,
  helpHint: string,
): number {
  if (spec.kind === "boolean") {
    if (attached !== undefined) {
      throw new UsageError(`Option "${written}" takes no value, got "${attached}"`, {
        hint: helpHint,
      });
    }
    store(parsed, spec, true);
    return i;
  }
  if (spec.kind === "optional") {
    store(parsed, spec, attached ?? true);
    return i;
  }
  let raw = attached;
  let next = i;
  if (raw === undefined) {
    const candidate = argv[i + 1];
    if (candidate === undefined || (candidate.startsWith("-") && candidate !== "-")) {
      throw new UsageError(`Option "${written}" needs a value`, {
        hint: `write ${written} ${spec.value ?? "VALUE"}`,
      });
    }
    raw = candidate;
    next = i + 1;
  }
  if (spec.kind === "integer") {
    if (!/^\d+$/.test(raw)) {
      throw new UsageError(`Option "${written}" needs a whole number, got "${raw}"`, {
        hint: `write ${written} ${spec.value ?? "N"}, e.g. ${written} 4`,
      });
    }
    store(parsed, spec, Number(raw));
  } else {
    store(parsed, spec, raw);
  }
  return next;
}

function store(parsed: ParsedArgs, spec: OptionSpec, value: OptionValue): void {
  if (!spec.multiple) {
    parsed.options.set(spec.name, value);
    return;
  }
  const list = parsed.options.get(spec.name);
  if (Array.isArray(list)) list.push(value);
  else parsed.options.set(spec.name, [value]);
}
