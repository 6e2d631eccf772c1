/**
 * The entry point the runner spawns for a TS trial (`deno run … lib/sdk/trial_main.ts`): reads the
 * trial from `XP_*`, runs it, and exits 0, or prints `error: …`, the user's stack frames and a
 * hint to stderr and exits 1. The trial's own console output is left alone.
 *
 * @module
 */

import { specFromEnv } from "./env.ts";
import type { TrialFailure } from "./failure.ts";
import { runTrial, type TrialSpec } from "./trial.ts";

/** Runs the trial the environment describes and returns the process's exit code. */
export async function main(): Promise<number> {
  let spec: TrialSpec;
  try {
    spec = specFromEnv((name) => Deno.env.get(name));
  } catch (error) {
    return fail({ error: (error as Error).message });
  }
  const result = await runTrial(spec);
  return result.ok ? 0 : fail(result);
}

function fail(failure: TrialFailure): number {
  let text = `error: ${failure.error}\n`;
  if (failure.stack) text += `${failure.stack}\n`;
  if (failure.hint) text += `hint: ${failure.hint}\n`;
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(Deno.stderr.writeSync(bytes));
  return 1;
}

if (import.meta.main) {
  // Exit explicitly: a timer or server the trial left open must not keep a finished trial alive.
  Deno.exit(await main());
}
