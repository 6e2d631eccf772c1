/**
 * Helpers of the query command tests: a temp project with a fixture store, and the CLI run in
 * this process with an optional stdin and terminal width.
 *
 * @module
 */

import { join } from "node:path";
import { openStore } from "../../lib/store/mod.ts";
import type { CliResult } from "../_helpers.ts";
import { type FixtureTrial, standardTrials, writeFixtureStore } from "../query/_fixtures.ts";

/** A temp project directory with `.xp/` written from fixture trials. */
export interface FixtureProject {
  /** The project directory (cwd of the commands). */
  dir: string;
  /** Its `.xp/`. */
  store: string;
  /** The trial keys, in the order of the fixture trials. */
  keys: string[];
}

/** Options of {@linkcode withFixtureProject}. */
export interface FixtureOptions {
  /** Leave the index unbuilt (the first command builds it, with a note). @default {false} */
  noIndex?: boolean;
}

/**
 * Runs `fn` in a temp project whose store holds `trials` (default: the standard fixture), with
 * the index built from the files as `xp run` would have left it.
 */
export async function withFixtureProject<T>(
  fn: (project: FixtureProject) => Promise<T>,
  trials: readonly FixtureTrial[] = standardTrials(),
  options: FixtureOptions = {},
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "xp_query_" });
  try {
    const store = join(dir, ".xp");
    const keys = await writeFixtureStore(store, trials);
    if (!options.noIndex) await (await openStore(store)).close();
    return await fn({ dir, store, keys });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Options of {@linkcode xpRun}. */
export interface XpRunOptions {
  /** Working directory. */
  cwd: string;
  /** Environment variables. */
  env?: Record<string, string>;
  /** Text on stdin (not a terminal); without it stdin is a terminal. */
  stdin?: string;
  /** Pretend stdout is a terminal this wide. */
  columns?: number;
  /** Aborted to stop a command (`logs -f`). */
  signal?: AbortSignal;
}

/** Runs the CLI in this process, like `xpInProcess`, with a stdin and a terminal width. */
export async function xpRun(args: readonly string[], options: XpRunOptions): Promise<CliResult> {
  const { runCli } = await import("../../lib/cli/mod.ts");
  const { memoryOutput } = await import("../../lib/cli/output.ts");
  const output = memoryOutput(options.columns === undefined ? {} : { columns: options.columns });
  const stdin = options.stdin;
  const code = await runCli(args, {
    cwd: options.cwd,
    env: (name) => options.env?.[name],
    output: () => output,
    signal: options.signal ?? new AbortController().signal,
    stdin: {
      isTerminal: () => stdin === undefined,
      readText: () => Promise.resolve(stdin ?? ""),
    },
  });
  return { code, stdout: output.stdout, stderr: output.stderr };
}

/** Parses NDJSON text. */
export function ndjson(text: string): Record<string, unknown>[] {
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}
