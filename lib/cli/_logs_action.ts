/**
 * What `xp logs` does: print a trial's log file, and with `-f` poll it for what is appended
 * until the trial's status is final. Polling (not file watching) works on every filesystem,
 * including the shared ones the slurm executor uses.
 *
 * @module
 */

import { join } from "node:path";
import { EXIT } from "../errors.ts";
import { resolveTrial } from "../query/resolve.ts";
import { FINAL_STATES, readStatus } from "../store/trial_files.ts";
import type { Deps } from "./command.ts";
import type { LogsArgs } from "./logs.ts";
import { withQueryStore } from "./_query_store.ts";

/** How often `-f` looks for new output and for the final status. */
const POLL_MS = 100;

/** Runs `xp logs`; returns the exit code. */
export async function printLogs(args: LogsArgs, deps: Deps): Promise<number> {
  // The store is closed before following: -f may run for hours and must hold nothing.
  const found = await withQueryStore(deps, (store) => resolveTrial(store, args.trial, "xp logs"));
  const path = join(found.dir, args.stderr ? "stderr.log" : "stdout.log");
  const decoder = new TextDecoder();
  let offset = 0;
  for (;;) {
    // Read the status before the file: whatever was written before a final status is printed.
    const status = args.follow ? await readStatus(found.dir) : undefined;
    offset = await copyFrom(path, offset, (bytes) => {
      const text = decoder.decode(bytes, { stream: true });
      if (text) deps.output.write(text);
    });
    const final = status !== undefined && FINAL_STATES.includes(status.state);
    if (!args.follow || final || deps.signal.aborted) break;
    await delay(POLL_MS, deps.signal);
  }
  const rest = decoder.decode();
  if (rest) deps.output.write(rest);
  return EXIT.ok;
}

/** Writes the bytes of `path` from `offset` on and returns the new offset (0 when it is missing). */
async function copyFrom(
  path: string,
  offset: number,
  write: (bytes: Uint8Array) => void,
): Promise<number> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return offset;
    throw error;
  }
  try {
    // A retried trial starts a fresh log: start over when the file shrank.
    const size = (await file.stat()).size;
    let at = size < offset ? 0 : offset;
    await file.seek(at, Deno.SeekMode.Start);
    const buffer = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await file.read(buffer);
      if (n === null) break;
      write(buffer.slice(0, n));
      at += n;
    }
    return at;
  } finally {
    file.close();
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
