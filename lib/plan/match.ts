/**
 * Trial-level dependency matching (repx, pyexp): a trial of stage B depends, for each stage A it
 * names in `depends_on`, on the trials of A whose values agree with it on the params both stages
 * sweep. Without `gather` exactly one trial of A must agree; with `gather` every agreeing trial
 * is a dependency (all of A when the two stages sweep nothing in common).
 *
 * @module
 */

import {
  canonicalJson,
  type Experiment,
  type Json,
  type StageTrials,
  type SweepShape,
  type TrialConfig,
} from "../config/mod.ts";
import { ConfigError } from "../errors.ts";

/** A trial of an expansion: the index of its stage in the expansion and its index in the stage. */
export interface TrialRef {
  /** Index into the `StageTrials[]` that was matched. */
  stage: number;
  /** Index into that stage's trials. */
  trial: number;
}

/**
 * The params a stage sweeps, as dotted paths into its config (`**model` → `model`), in axis
 * order.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweptPaths } from "./match.ts";
 * const axes = [{ path: "lr", values: [1], dim: 0 }, { path: "**model", values: [{}], dim: 1 }];
 * const shape = { grids: [{ axes, dims: [1, 1] }] };
 * assert.deepEqual(sweptPaths(shape), ["lr", "model"]);
 * ```
 */
export function sweptPaths(shape: SweepShape): string[] {
  const paths = new Set<string>();
  for (const grid of shape.grids) {
    for (const axis of grid.axes) paths.add(normalizePath(axis.path));
  }
  return [...paths];
}

/**
 * Finds each trial's dependencies: `result[s][t]` lists the trials that trial `t` of `stages[s]`
 * depends on, in stage order (the order of `stages`), then sweep order.
 *
 * `stages` is the output of `expandTrials`: every stage after the stages it depends on.
 *
 * @throws {ConfigError} located at the stage's `depends_on` when, without `gather`, a trial agrees
 * with no trial or with several trials of a stage it depends on, or (with `gather`) with none
 */
export function matchDependencies(
  experiment: Experiment,
  stages: readonly StageTrials[],
): TrialRef[][][] {
  const position = new Map(stages.map((s, i) => [s.stage.name, i]));
  const paths = stages.map((s) => sweptPaths(s.shape));
  return stages.map((b, bi) => {
    const targets = b.stage.dependsOn
      .map((name) => position.get(name))
      .filter((i): i is number => i !== undefined)
      .sort((x, y) => x - y);
    const result: TrialRef[][] = b.trials.map(() => []);
    const bPaths = new Set(paths[bi]);
    for (const ai of targets) {
      const a = stages[ai]!;
      const shared = paths[ai]!.filter((p) => bPaths.has(p));
      const index = indexTrials(a.trials, shared, ai);
      b.trials.forEach((trial, t) => {
        const found = index.get(tupleOf(trial, shared)) ?? [];
        if (found.length !== 1 && !(b.stage.gather && found.length > 1)) {
          throw mismatch(experiment, { a, b, trial, shared, found, aPaths: paths[ai]!, bPaths });
        }
        const refs = result[t]!;
        for (const ref of found) refs.push(ref);
      });
    }
    return result;
  });
}

/** `**key` and `a.**b` as the config path they reach: `key`, `a.b`. */
function normalizePath(path: string): string {
  return path.split(".").map((s) => s.startsWith("**") ? s.slice(2) : s).join(".");
}

/** Trials of one stage by the tuple of their values at `paths`: one pass, so matching is linear. */
function indexTrials(
  trials: readonly TrialConfig[],
  paths: readonly string[],
  stage: number,
): Map<string, TrialRef[]> {
  const index = new Map<string, TrialRef[]>();
  trials.forEach((trial, i) => {
    const tuple = tupleOf(trial, paths);
    const list = index.get(tuple);
    if (list === undefined) index.set(tuple, [{ stage, trial: i }]);
    else list.push({ stage, trial: i });
  });
  return index;
}

// Canonical JSON never contains a raw NUL (JSON escapes control characters), so joining on it
// cannot make two different tuples equal; a value that is absent is spelled apart from `null`.
function tupleOf(trial: TrialConfig, paths: readonly string[]): string {
  let tuple = "";
  for (const path of paths) {
    const value = valueAt(trial.params, path);
    tuple += (value === undefined ? "-" : canonicalJson(value)) + "\u0000";
  }
  return tuple;
}

function valueAt(config: Json, path: string): Json | undefined {
  let node: Json | undefined = config;
  for (const segment of path.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
    node = node[segment];
  }
  return node;
}

interface Mismatch {
  a: StageTrials;
  b: StageTrials;
  trial: TrialConfig;
  shared: readonly string[];
  found: readonly TrialRef[];
  aPaths: readonly string[];
  bPaths: ReadonlySet<string>;
}

function mismatch(experiment: Experiment, m: Mismatch): ConfigError {
  const aName = m.a.stage.name;
  const bName = m.b.stage.name;
  const who = `${bName} trial "${m.trial.name}"`;
  const at = experiment.locate([...m.b.stage.path, "depends_on"]);
  if (m.found.length === 0) {
    // With nothing shared every trial agrees, so none agreeing means the stage has none.
    const hint = m.shared.length === 0
      ? `stage ${aName} has no trials`
      : `the values of ${m.shared.join(", ")} in ${who} match no trial of ${aName}`;
    return new ConfigError(
      `Cannot match trial "${m.trial.name}" of stage "${bName}": no trial of stage ` +
        `"${aName}" agrees with it`,
      { at, hint },
    );
  }
  const apart = m.aPaths.filter((p) => !m.bPaths.has(p));
  const params = apart.length === 0 ? "none: their swept values are equal" : apart.join(", ");
  return new ConfigError(
    `Cannot match trial "${m.trial.name}" of stage "${bName}": ${m.found.length} trials of ` +
      `stage "${aName}" agree with it`,
    {
      at,
      hint: `${m.found.length} trials of ${aName} match ${who}; add gather: true, or sweep the ` +
        `params that tell them apart (${params})`,
    },
  );
}
