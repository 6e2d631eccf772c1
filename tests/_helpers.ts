/**
 * Helpers shared by tests: temp dirs that are always removed, and the CLI run as a real process.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** Runs `fn` with a fresh temp dir, removed afterwards whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "xp_test_" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** What a CLI process did. */
export interface CliResult {
  /** Exit code. */
  code: number;
  /** Everything on stdout. */
  stdout: string;
  /** Everything on stderr. */
  stderr: string;
}

/** The repository's `main.ts`. */
export const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

/** Options of {@linkcode xp}. */
export interface XpOptions {
  /** Working directory of the process. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Text written to stdin. */
  stdin?: string;
}

/** Spawns `deno run -A main.ts ...args` as a user would, and collects the result. */
export async function xp(args: readonly string[], options: XpOptions = {}): Promise<CliResult> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    cwd: options.cwd ?? Deno.cwd(),
    env: { NO_COLOR: "1", ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** Runs the CLI in this process with a recording output (fast; no colour, not a terminal). */
export async function xpInProcess(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const { runCli } = await import("../lib/cli/mod.ts");
  const { memoryOutput } = await import("../lib/cli/output.ts");
  const output = memoryOutput();
  const code = await runCli(args, {
    cwd: options.cwd ?? Deno.cwd(),
    env: (name) => options.env?.[name],
    output: () => output,
    signal: new AbortController().signal,
  });
  return { code, stdout: output.stdout, stderr: output.stderr };
}

/** Calls `fn`, asserts it throws an instance of `type`, and returns that error for more checks. */
export function thrown<E extends Error>(
  fn: () => unknown,
  type: abstract new (...args: never[]) => E,
): E {
  try {
    fn();
  } catch (error) {
    if (error instanceof type) return error;
    throw new Error(`expected a ${type.name}, got ${error}`, { cause: error });
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

/** Awaits `promise`, asserts it rejects with an instance of `type`, and returns that error. */
export async function rejected<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw new Error(`expected a ${type.name}, got ${error}`, { cause: error });
  }
  throw new Error(`expected a ${type.name}, but nothing was rejected`);
}
