/**
 * Reads a {@linkcode TrialSpec} from the `XP_*` environment variables the runner sets.
 *
 * @module
 */

import type { TrialSpec } from "./trial.ts";

/** The variable behind each field of {@linkcode TrialSpec} (see {@linkcode OPTIONAL}). */
export const TRIAL_ENV = {
  trialDir: "XP_TRIAL_DIR",
  out: "XP_OUT",
  eventsFile: "XP_EVENTS",
  configFile: "XP_CONFIG",
  depsFile: "XP_DEPS",
  key: "XP_TRIAL_KEY",
  name: "XP_TRIAL_NAME",
  stage: "XP_STAGE",
  experiment: "XP_EXPERIMENT",
  experimentDir: "XP_EXPERIMENT_DIR",
  script: "XP_SCRIPT",
  parentKey: "XP_PARENT_KEY",
  parentDir: "XP_PARENT_DIR",
} as const satisfies Record<keyof TrialSpec, string>;

/** The fields a trial may lack: no dependencies file, no parent (it did not fork). */
const OPTIONAL: ReadonlySet<keyof TrialSpec> = new Set(["depsFile", "parentKey", "parentDir"]);

/**
 * The trial to run, from `env` (e.g. `(name) => Deno.env.get(name)`); throws an Error listing the
 * missing variables, since then the process was not started by xp's runner.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { specFromEnv } from "./env.ts";
 * const env: Record<string, string> = { XP_TRIAL_DIR: "/t", XP_OUT: "/t/out", XP_EVENTS: "/t/e",
 *   XP_CONFIG: "/t/c", XP_TRIAL_KEY: "k", XP_TRIAL_NAME: "n", XP_STAGE: "main",
 *   XP_EXPERIMENT: "x", XP_EXPERIMENT_DIR: "/x", XP_SCRIPT: "/x/xp.ts" };
 * assert.equal(specFromEnv((name) => env[name]).depsFile, undefined);
 * assert.equal(specFromEnv((name) => env[name]).parentDir, undefined);
 * assert.throws(() => specFromEnv(() => undefined), /XP_TRIAL_DIR/);
 * ```
 */
export function specFromEnv(env: (name: string) => string | undefined): TrialSpec {
  const spec: Partial<Record<keyof TrialSpec, string | undefined>> = {};
  const missing: string[] = [];
  for (const [field, variable] of Object.entries(TRIAL_ENV) as [keyof TrialSpec, string][]) {
    const value = env(variable);
    if (value === undefined || value === "") {
      if (!OPTIONAL.has(field)) missing.push(variable);
    } else spec[field] = value;
  }
  if (missing.length > 0) {
    throw new Error(
      `Missing environment variables ${
        missing.join(", ")
      }: trial_main.ts is started by xp's runner`,
    );
  }
  return spec as TrialSpec;
}
