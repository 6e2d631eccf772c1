/**
 * The xp command line: finds the command, loads only its module, parses, runs, and turns
 * errors into `error: …` / `hint: …` and an exit code.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import { suggest } from "../suggest.ts";
import type { AnyCommand, Deps, GlobalOptions, Stdin } from "./command.ts";
import {
  ConfigError,
  EXIT,
  exitCodeOf,
  formatPosition,
  SqlError,
  StoreLockedError,
  UsageError,
} from "../errors.ts";
import { caretLines } from "../query/caret.ts";
import { commandHelp, mainHelp } from "./help.ts";
import { GLOBAL_OPTIONS, splitGlobal } from "./global.ts";
import { type Output, paint, printError } from "./output.ts";
import { VERSION } from "../version.ts";
import { VIEW_NAMES } from "../store/schema.ts";

/** One row of the command table: what `xp --help` lists, and how to load the command. */
export interface CommandEntry {
  /** The word after `xp`. */
  name: string;
  /** One line for `xp --help`. */
  summary: string;
  /** Loads the command's module only when it runs, so `--help` stays fast. */
  load(): Promise<AnyCommand>;
}

/** Every command, in the order `xp --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "init",
    summary: "write a small runnable example experiment",
    load: () => import("./init.ts").then((m) => m.initCommand),
  },
  {
    name: "run",
    summary: "plan and run an experiment's trials",
    load: () => import("./run.ts").then((m) => m.runCommand),
  },
  {
    name: "status",
    summary: "a run's trials by state, and its Slurm jobs",
    load: () => import("./status.ts").then((m) => m.statusCommand),
  },
  {
    name: "attach",
    summary: "follow a run's Slurm jobs again after Ctrl-C detached",
    load: () => import("./attach.ts").then((m) => m.attachCommand),
  },
  {
    name: "cancel",
    summary: "cancel a run's Slurm jobs",
    load: () => import("./cancel.ts").then((m) => m.cancelCommand),
  },
  {
    name: "ls",
    summary: "list trials (or runs) as a table",
    load: () => import("./ls.ts").then((m) => m.lsCommand),
  },
  {
    name: "show",
    summary: "config, status, metrics, artifacts and stderr tail of a trial",
    load: () => import("./show.ts").then((m) => m.showCommand),
  },
  {
    name: "logs",
    summary: "a trial's stdout or stderr",
    load: () => import("./logs.ts").then((m) => m.logsCommand),
  },
  {
    name: "sql",
    summary: "read-only SQL over the index",
    load: () => import("./sql.ts").then((m) => m.sqlCommand),
  },
  {
    name: "compare",
    summary: "trials side by side, differences marked",
    load: () => import("./compare.ts").then((m) => m.compareCommand),
  },
  {
    name: "export",
    summary: "write results as csv, json or parquet",
    load: () => import("./export.ts").then((m) => m.exportCommand),
  },
  {
    name: "tag",
    summary: "set or remove tags of a trial or of a run's trials",
    load: () => import("./tag.ts").then((m) => m.tagCommand),
  },
  {
    name: "note",
    summary: "write (or print) a trial's note",
    load: () => import("./note.ts").then((m) => m.noteCommand),
  },
  {
    name: "archive",
    summary: "write trials, their blobs and runs to one .xpa file",
    load: () => import("./archive.ts").then((m) => m.archiveCommand),
  },
  {
    name: "import",
    summary: "merge an archive or another store into this one",
    load: () => import("./import.ts").then((m) => m.importCommand),
  },
  {
    name: "gc",
    summary: "report unreferenced blobs and stale attempts; --delete removes them",
    load: () => import("./gc.ts").then((m) => m.gcCommand),
  },
  {
    name: "seal",
    summary: "record the sha256 of every file of finished runs",
    load: () => import("./seal.ts").then((m) => m.sealCommand),
  },
  {
    name: "verify",
    summary: "report files changed since runs were sealed",
    load: () => import("./verify.ts").then((m) => m.verifyCommand),
  },
  {
    name: "reindex",
    summary: "rebuild the index from the trial files",
    load: () => import("./reindex.ts").then((m) => m.reindexCommand),
  },
  {
    name: "serve",
    summary: "the web viewer on 127.0.0.1:8765",
    load: () => import("./serve.ts").then((m) => m.serveCommand),
  },
];

/** What {@linkcode runCli} needs from the process. */
export interface CliEnvironment {
  /** The directory relative paths are resolved against. */
  cwd: string;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** Builds the output once `--no-color` is known. */
  output(options: { color: boolean }): Output;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Aborted on a second Ctrl-C: stop everything now. */
  kill?: AbortSignal;
  /** The process's stdin; leave it out where there is none to read. */
  stdin?: Stdin;
}

/**
 * Runs `xp` with `argv` and returns the exit code; never throws for a user's mistake.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCli } from "./mod.ts";
 * import { memoryOutput } from "./output.ts";
 * const output = memoryOutput();
 * const code = await runCli(["--version"], {
 *   cwd: ".", env: () => undefined, output: () => output, signal: new AbortController().signal,
 * });
 * assert.equal(code, 0);
 * assert.match(output.stdout, /^xp \d+\.\d+\.\d+/);
 * ```
 */
export async function runCli(
  argv: readonly string[],
  environment: CliEnvironment,
): Promise<number> {
  const split = splitGlobal(argv);
  const output = environment.output({ color: !split.global.has("no-color") });
  const global: GlobalOptions = {
    store: stringOption(split.global.get("store")) ?? environment.env("XP_STORE"),
    verbose: split.global.has("verbose"),
    quiet: split.global.has("quiet"),
  };
  try {
    if (split.command === undefined) {
      if (split.global.has("version")) {
        output.out(`xp ${VERSION} (deno ${Deno.version.deno})`);
        return EXIT.ok;
      }
      if (split.rest.length > 0) parseArgs(split.rest, GLOBAL_OPTIONS, { command: "xp" });
      output.out(mainHelp(COMMANDS.map((c) => ({ ...c, usage: c.name })), VERSION));
      return EXIT.ok;
    }
    const entry = COMMANDS.find((c) => c.name === split.command);
    if (entry === undefined) {
      throw new UsageError(`Unknown command "${split.command}"`, {
        hint: suggest(split.command, COMMANDS.map((c) => c.name)) ??
          'run "xp --help" for the list of commands',
      });
    }
    const command = await entry.load();
    if (split.global.has("help")) {
      output.out(commandHelp(command));
      return EXIT.ok;
    }
    const args = command.parse(split.rest);
    const deps: Deps = {
      cwd: environment.cwd,
      env: environment.env,
      output,
      global,
      signal: environment.signal,
      kill: environment.kill ?? new AbortController().signal,
      ...(environment.stdin ? { stdin: environment.stdin } : {}),
    };
    return await command.run(args, deps);
  } catch (error) {
    return report(error, output, global.verbose);
  }
}

function stringOption(value: string | true | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function report(error: unknown, output: Output, verbose: boolean): number {
  if (error instanceof Deno.errors.BrokenPipe) return EXIT.ok;
  if (error instanceof ConfigError) {
    const where = error.at ? `${formatPosition(error.at)}: ` : "";
    printError(output, where + error.message, error.hint);
  } else if (error instanceof UsageError || error instanceof StoreLockedError) {
    printError(output, error.message, error.hint);
  } else if (error instanceof SqlError) {
    reportSql(error, output);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    printError(output, message, verbose ? undefined : "run again with --verbose for details");
  }
  if (verbose && error instanceof Error && error.stack) output.err(error.stack);
  return exitCodeOf(error);
}

/** `error: <DuckDB's message>`, the query line with a caret under the position, and the hint. */
function reportSql(error: SqlError, output: Output): void {
  // DuckDB appends its own "LINE 1: …" excerpt; the caret below replaces it.
  const message = error.position === undefined
    ? error.message.trim()
    : error.message.replace(/\n\s*LINE \d+:[\s\S]*$/, "").trim();
  printError(output, message);
  if (error.position !== undefined && error.sql !== "") {
    for (const line of caretLines(error.sql, error.position)) output.err(`  ${line}`);
  }
  const hint = error.hint ?? `the views are ${VIEW_NAMES.join(", ")}; see "xp sql --help"`;
  output.err(`${paint(output, "cyan", "hint:")} ${hint}`);
}
