/**
 * The `Command` seam: every command is data (name, usage, options, examples; its one-line summary is in the table of `mod.ts`), a pure `parse`
 * and a `run` that returns the exit code.
 *
 * @module
 */

import type { OptionSpec } from "./args.ts";
import type { Output } from "./output.ts";

/** Options that every command accepts, before or after the command name. */
export interface GlobalOptions {
  /** `--store DIR` or `XP_STORE`; unset means `.xp/` beside the experiment file, else in cwd. */
  store: string | undefined;
  /** `-v/--verbose`: stacks on errors, more detail. */
  verbose: boolean;
  /** `-q/--quiet`: only errors and requested data. */
  quiet: boolean;
}

/** What a command may use; everything that touches the outside world comes through here. */
export interface Deps {
  /** The directory relative paths are resolved against. */
  cwd: string;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** Where lines go. */
  output: Output;
  /** The global options. */
  global: GlobalOptions;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Aborted on a second Ctrl-C: stop everything at once. */
  kill: AbortSignal;
  /** The process's stdin (`xp sql` reads a query from it); absent where there is none. */
  stdin?: Stdin;
}

/** Standard input, as much of it as commands use. */
export interface Stdin {
  /** Whether it is a terminal (then nothing is read from it). */
  isTerminal(): boolean;
  /** Reads it to the end. */
  readText(): Promise<string>;
}

/** One `xp` command. */
export interface Command<A> {
  /** The word after `xp`. */
  readonly name: string;
  /** The synopsis after `xp`, e.g. `run [FILE] [OVERRIDES…]`. */
  readonly usage: string;
  /** A paragraph for `xp CMD --help`. */
  readonly description: string;
  /** The command's own options (the global ones are added by the CLI). */
  readonly options: readonly OptionSpec[];
  /** Example command lines for the help, each with a comment. */
  readonly examples: readonly string[];
  /** Turns the arguments after the command name into typed args; throws UsageError. */
  parse(argv: readonly string[]): A;
  /** Does the work and returns the exit code. */
  run(args: A, deps: Deps): Promise<number>;
}

/** A command whose argument type is not known to the caller. */
// deno-lint-ignore no-explicit-any
export type AnyCommand = Command<any>;
