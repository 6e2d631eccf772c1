/**
 * Why a trial attempt ended as it did, in one line a user can act on: the exit code or signal, a
 * sandbox denial with the `permissions:` line that would grant it, out of memory, the time limit.
 *
 * @module
 */

import { readFileTail } from "../store/tail.ts";
import type { TrialLaunch, TrialOutcome } from "./executor.ts";
import { WRAPPER } from "./sandbox.ts";

/** What is known when a trial process has ended. */
export interface Ending {
  /** The attempt. */
  launch: TrialLaunch;
  /** Its exit code, when it exited. */
  exitCode: number | null;
  /** The signal that ended it, if one did. */
  signal: string | null;
  /** Set when xp stopped it. */
  stoppedFor: "timeout" | "interrupted" | undefined;
  /** The stderr log. */
  stderrPath: string;
}

const DENIAL = /NotCapable: Requires (\w+) access to "?([^",]*)"?/;
const DENIAL_SHORT = /NotCapable: Requires (\w+) access/;
const V8_OOM = /JavaScript heap out of memory|Fatal JavaScript out of memory|Reached heap limit/;
const SHELL_OOM = /Cannot allocate memory|MemoryError|std::bad_alloc/;
/** The `sh` in front of the trial's program could not start it (dash, then bash wording). */
const NOT_STARTED = new RegExp(`^${WRAPPER}: (?:line )?\\d+: exec: (.+): not found$`, "m");

/** Maps an ending to a trial outcome (ARCHITECTURE section 5 states). */
export async function explainFailure(ending: Ending): Promise<TrialOutcome> {
  const { exitCode, signal, stoppedFor, launch } = ending;
  const base = { exitCode, signal };
  if (stoppedFor === "interrupted") {
    return { ...base, state: "interrupted", error: "interrupted (Ctrl-C)" };
  }
  if (stoppedFor === "timeout") {
    const limit = (launch.stage.timeoutMs ?? 0) / 1000;
    return {
      ...base,
      state: "timeout",
      error: `timed out after ${limit}s (timeout: in stage "${launch.stage.name}")`,
    };
  }
  if (exitCode === 0) return { ...base, state: "ok", error: null };
  const tail = await readTail(ending.stderrPath, 64 * 1024);
  if (V8_OOM.test(tail) || (launch.stage.memoryBytes !== undefined && SHELL_OOM.test(tail))) {
    const limit = launch.stage.memoryBytes === undefined
      ? ""
      : ` (memory: ${Math.round(launch.stage.memoryBytes / 2 ** 20)}M)`;
    return { ...base, state: "killed", error: `out of memory${limit}` };
  }
  if (signal) {
    const hint = signal === "SIGKILL" ? " (possibly out of memory)" : "";
    return { ...base, state: "killed", error: `killed by ${signal}${hint}` };
  }
  const denial = DENIAL.exec(tail) ?? DENIAL_SHORT.exec(tail);
  if (denial) {
    const [, permission, target] = denial;
    const what = target ? `${permission} access to "${target}"` : `${permission} access`;
    const grant = target ? `[${JSON.stringify(target)}]` : "true";
    return {
      ...base,
      state: "failed",
      error: `sandbox denied ${what}; grant it with permissions: { ${permission}: ${grant} } ` +
        `in stage "${launch.stage.name}"`,
    };
  }
  const missing = exitCode === 127 ? NOT_STARTED.exec(tail) : null;
  if (missing) {
    return { ...base, state: "failed", error: `cannot start ${missing[1]}: not found on PATH` };
  }
  // The shell reports a child killed by a signal as 128 + its number.
  if (exitCode !== null && exitCode > 128 && exitCode <= 128 + 31) {
    const name = SIGNALS[exitCode - 128] ?? `signal ${exitCode - 128}`;
    return { ...base, state: "killed", error: `killed by ${name}` };
  }
  const message = lastErrorLine(tail);
  return {
    ...base,
    state: "failed",
    error: `exited with code ${exitCode}${message ? `: ${message}` : ""}`,
  };
}

const SIGNALS: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  6: "SIGABRT",
  9: "SIGKILL",
  11: "SIGSEGV",
  15: "SIGTERM",
};

/** The line a user most wants: the SDK's `error: …`, else the last non-empty line of stderr. */
function lastErrorLine(tail: string): string | undefined {
  const lines = tail.split("\n").map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => /^(error|Error|\w+Error)\b:?/.test(l));
  const line = error ?? lines[lines.length - 1];
  return line === undefined ? undefined : line.replace(/^error: /, "").slice(0, 300);
}

/** The last `bytes` of a file as text ("" when it cannot be read). */
export async function readTail(path: string, bytes: number): Promise<string> {
  try {
    return (await readFileTail(path, bytes)).text;
  } catch {
    return "";
  }
}
