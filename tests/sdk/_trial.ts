/**
 * Helpers of the SDK tests: a trial laid out as the runner lays it out, and its events read back.
 *
 * @module
 */

import { join } from "node:path";
import type { TrialSpec } from "../../lib/sdk/trial.ts";

/** The SDK's entry module as a URL, for trial scripts run in this process (no import map here). */
export const SDK_MOD = new URL("../../lib/sdk/mod.ts", import.meta.url).href;

/** What {@linkcode makeTrial} writes besides the script. */
export interface TrialSetup {
  /** The trial's config. */
  config?: Record<string, unknown>;
  /** The lines of the dependencies file. */
  deps?: unknown[];
  /** The stage. */
  stage?: string;
}

/**
 * Lays out `<dir>/exp/` with the script `source` as `trial.ts`, and `<dir>/trial/` with
 * config.json, deps.json and out/; returns the trial's spec.
 */
export async function makeTrial(
  dir: string,
  source: string,
  setup: TrialSetup = {},
): Promise<TrialSpec> {
  const experimentDir = join(dir, "exp");
  const trialDir = join(dir, "trial");
  await Deno.mkdir(experimentDir, { recursive: true });
  await Deno.mkdir(join(trialDir, "out"), { recursive: true });
  await Deno.writeTextFile(join(experimentDir, "trial.ts"), source);
  await Deno.writeTextFile(join(trialDir, "config.json"), JSON.stringify(setup.config ?? {}));
  await Deno.writeTextFile(join(trialDir, "deps.json"), JSON.stringify(setup.deps ?? []));
  return {
    trialDir,
    out: join(trialDir, "out"),
    eventsFile: join(trialDir, "events.ndjson"),
    configFile: join(trialDir, "config.json"),
    depsFile: join(trialDir, "deps.json"),
    key: "k123",
    name: "lr=0.1",
    stage: setup.stage ?? "main",
    experiment: "demo",
    experimentDir,
    script: join(experimentDir, "trial.ts"),
  };
}

/** The events of a trial, parsed; an absent file has none. */
export async function readEvents(file: string): Promise<Record<string, unknown>[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}
