/**
 * Turns what a trial threw into the message, stack and hint a user reads, without the SDK's own
 * stack frames, and with the xp way of granting a permission Deno denied.
 *
 * @module
 */

/** Why a trial failed, as printed: `error: <error>`, the stack, `hint: <hint>`. */
export interface TrialFailure {
  /** One line (or a few) saying what went wrong, e.g. `TypeError: x is undefined`. */
  error: string;
  /** The stack frames (`    at …` lines) of the user's code, when there are any. */
  stack?: string;
  /** What to do about it, when xp knows. */
  hint?: string;
}

/**
 * Describes a thrown value: the message with the error's class name unless it is plain `Error`,
 * causes appended, and the stack frames minus those that mention one of `hide` (e.g. the SDK's
 * directory URL, `ext:` for Deno's internals).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeFailure } from "./failure.ts";
 * assert.equal(describeFailure(new TypeError("bad")).error, "TypeError: bad");
 * assert.equal(describeFailure("oops").error, 'the trial threw a non-Error value: "oops"');
 * ```
 */
export function describeFailure(thrown: unknown, hide: readonly string[] = []): TrialFailure {
  if (!(thrown instanceof Error)) {
    return { error: `the trial threw a non-Error value: ${preview(thrown)}` };
  }
  let error = headline(thrown);
  const hint = permissionHint(thrown);
  if (hint !== undefined) error = error.replace(/, run again with the --allow-\w+ flag/, "");
  let cause = thrown.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    error += `\ncaused by: ${cause instanceof Error ? headline(cause) : preview(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  const frames = (thrown.stack ?? "").split("\n")
    .filter((line) => /^\s+at /.test(line) && !hide.some((file) => line.includes(file)));
  const failure: TrialFailure = { error };
  if (frames.length > 0) failure.stack = frames.join("\n");
  if (hint !== undefined) failure.hint = hint;
  return failure;
}

function headline(error: Error): string {
  return error.name === "Error" ? error.message : `${error.name}: ${error.message}`;
}

/** For a permission denial (`Requires read access to "/etc/hostname"`), how to grant it in xp. */
function permissionHint(error: Error): string | undefined {
  if (!(error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied)) {
    return undefined;
  }
  const match = /Requires (read|write|net|env|run|ffi|sys) access to "([^"]*)"/.exec(error.message);
  if (match === null) return undefined;
  const [, kind, target] = match;
  return `the trial's sandbox denied it; grant it in the experiment file: permissions: { ${kind}: [${
    JSON.stringify(target)
  }] }`;
}

function preview(value: unknown): string {
  try {
    const text = typeof value === "string" ? JSON.stringify(value) : String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return typeof value;
  }
}
