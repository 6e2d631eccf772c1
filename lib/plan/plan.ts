/**
 * Planning: an experiment's trials with their dependencies, effective params and keys.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { expandTrials, type Experiment } from "../config/mod.ts";
import { type DigestOptions, stageDigest } from "./digest.ts";
import { effectiveParams } from "./effective.ts";
import { type ForkSource, parentOf } from "./fork.ts";
import { matchDependencies } from "./match.ts";
import type { Plan, PlannedStage, PlannedTrial } from "./model.ts";

/** Options of {@linkcode planExperiment}. */
export interface PlanOptions extends DigestOptions {
  /** `--from`: the stored trials the planned ones fork from. */
  fork?: ForkSource | undefined;
}

/** What a trial's key is computed from. */
export interface KeyParts {
  /** The experiment's name. */
  experiment: string;
  /** The stage's name. */
  stage: string;
  /** The trial's resolved config as canonical JSON. */
  canonical: string;
  /** The stage's code digest. */
  code: string;
  /** The keys of the trials it depends on, in any order. */
  deps: readonly string[];
  /** The key of the trial it forks from (`--from`), if any. */
  parent?: string | undefined;
}

/**
 * A trial's key: the sha256 (hex) of the canonical JSON of `{ experiment, stage, config, code,
 * deps }` with `deps` sorted, and `parent` when it forks from a trial (an unforked trial's key is
 * what it was before forks existed).
 *
 * The JSON is written by hand around the config's canonical JSON, which is already at hand,
 * instead of re-serializing the config: the bytes are the same, as the tests check.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyOf } from "./plan.ts";
 * const key = keyOf({ experiment: "e", stage: "s", canonical: "{}", code: "c", deps: [] });
 * assert.match(key, /^[0-9a-f]{64}$/);
 * ```
 */
export function keyOf(parts: KeyParts): string {
  const json = `{"code":${JSON.stringify(parts.code)},"config":${parts.canonical},` +
    `"deps":${JSON.stringify([...parts.deps].sort())},` +
    `"experiment":${JSON.stringify(parts.experiment)},` +
    (parts.parent === undefined ? "" : `"parent":${JSON.stringify(parts.parent)},`) +
    `"stage":${JSON.stringify(parts.stage)}}`;
  return createHash("sha256").update(json).digest("hex");
}

/**
 * Plans `experiment`: expands its trials, digests each stage's code once, matches every trial to
 * its dependencies, and computes effective params, parents (`options.fork`) and keys, stage by
 * stage in dependency order.
 * Trials with equal keys (a sweep that lists a value twice) appear once in `trials` and `byKey`;
 * each stage's `trials` keeps every point of its sweep.
 *
 * @throws {ConfigError} when a sweep is malformed, a trial matches no or several trials of a
 * stage it depends on, a script cannot be loaded or an input is missing
 */
export async function planExperiment(experiment: Experiment, options: PlanOptions): Promise<Plan> {
  const expanded = expandTrials(experiment);
  const digests = await Promise.all(
    expanded.map(({ stage }) => stageDigest(experiment, stage, options)),
  );
  const matches = matchDependencies(experiment, expanded);
  const stageNames = expanded.map(({ stage }) => stage.name);
  const planned: PlannedTrial[][] = [];
  const stages = expanded.map(({ stage, shape, trials }, s): PlannedStage => {
    const code = digests[s]!;
    const refs = matches[s]!;
    const own = trials.map((trial, t): PlannedTrial => {
      const deps = uniqueByKey(refs[t]!.map((ref) => planned[ref.stage]![ref.trial]!));
      const depKeys = deps.map((dep) => dep.key);
      const effective = effectiveParams(trial.params, deps.map((dep) => dep.effective));
      const target = { stage: stage.name, name: trial.name, params: effective };
      const parent = options.fork && parentOf(options.fork, stageNames, target)?.key;
      return {
        key: keyOf({
          experiment: experiment.name,
          stage: stage.name,
          canonical: trial.canonical,
          code,
          deps: depKeys,
          parent,
        }),
        experiment: experiment.name,
        stage: stage.name,
        name: trial.name,
        config: trial.params,
        canonical: trial.canonical,
        effective,
        swept: Object.fromEntries(trial.swept),
        deps: depKeys,
        ...(parent === undefined ? {} : { parent }),
        gather: stage.gather,
        codeDigest: code,
        ...(stage.captureEnv === undefined ? {} : { captureEnv: stage.captureEnv }),
      };
    });
    planned.push(own);
    return { stage, shape, trials: own };
  });
  const all = uniqueByKey(planned.flat());
  return { experiment, stages, trials: all, byKey: new Map(all.map((t) => [t.key, t])) };
}

// Equal configs of one stage (a sweep can list a value twice) have one key: they are one trial,
// run and stored once, so the plan's list of trials keeps the first.
function uniqueByKey(trials: PlannedTrial[]): PlannedTrial[] {
  const seen = new Set<string>();
  return trials.filter((t) => {
    if (seen.has(t.key)) return false;
    seen.add(t.key);
    return true;
  });
}
