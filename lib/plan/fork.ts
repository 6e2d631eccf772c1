/**
 * `xp run --from RUN_OR_TRIAL`: which stored trial each planned trial forks from (its parent).
 * The parent's key becomes part of the trial's key, so a forked trial is a trial of its own.
 *
 * @module
 */

import { canonicalJson, type Json, type JsonObject } from "../config/mod.ts";

/** A stored trial a fork can start from. */
export interface ForkCandidate {
  /** Its key. */
  key: string;
  /** Its stage. */
  stage: string;
  /** Its name. */
  name: string;
  /** Its effective params (`config.json`). */
  params: JsonObject;
}

/** What `--from` named, resolved against the store. */
export type ForkSource =
  /** one trial: the trials of its stage fork from it */
  | { kind: "trial"; trial: ForkCandidate }
  /** a run: each trial forks from the run's trial of the same stage that is most alike */
  | { kind: "run"; runId: string; trials: ForkCandidate[] };

/** The planned trial whose parent is asked for. */
export interface ForkTarget {
  /** Its stage. */
  stage: string;
  /** Its name. */
  name: string;
  /** Its effective params. */
  params: JsonObject;
}

/**
 * The parent of `target`, or `undefined` when it has none.
 *
 * - From a trial: the trials of that trial's stage fork from it. When the experiment has no
 *   stage of that name (a trial of another experiment), every trial does. Trials of the other
 *   stages have no parent: a stage that depends on a forked one runs anew on its new outputs.
 * - From a run: the run's trial of the same stage and name; else the run's trial of the same
 *   stage whose effective params differ in the fewest leaves (the first of equals, in the run's
 *   order); none when the run has no trial of that stage.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parentOf } from "./fork.ts";
 * const trials = [
 *   { key: "a", stage: "train", name: "lr=0.1", params: { lr: 0.1, depth: 2 } },
 *   { key: "b", stage: "train", name: "lr=0.01", params: { lr: 0.01, depth: 4 } },
 * ];
 * const source = { kind: "run" as const, runId: "r", trials };
 * const target = { stage: "train", name: "lr=0.5", params: { lr: 0.5, depth: 4 } };
 * assert.equal(parentOf(source, ["train"], target)?.key, "b");
 * assert.equal(parentOf(source, ["train"], { ...target, stage: "eval" }), undefined);
 * ```
 */
export function parentOf(
  source: ForkSource,
  stages: readonly string[],
  target: ForkTarget,
): ForkCandidate | undefined {
  if (source.kind === "trial") {
    const { trial } = source;
    return trial.stage === target.stage || !stages.includes(trial.stage) ? trial : undefined;
  }
  const sameStage = source.trials.filter((t) => t.stage === target.stage);
  const sameName = sameStage.find((t) => t.name === target.name);
  if (sameName !== undefined) return sameName;
  let best: ForkCandidate | undefined;
  let fewest = Infinity;
  const own = leaves(target.params);
  for (const candidate of sameStage) {
    const differ = differingLeaves(own, leaves(candidate.params));
    if (differ < fewest) {
      best = candidate;
      fewest = differ;
    }
  }
  return best;
}

/** Why a planned trial of `stage` has no parent, for the plan's output. */
export function noParentReason(source: ForkSource, stage: string): string {
  return source.kind === "run"
    ? `run ${source.runId} has no trial of stage "${stage}"`
    : `trial ${source.trial.name} (${
      source.trial.key.slice(0, 8)
    }) is of stage "${source.trial.stage}"`;
}

/** Every leaf of `value` by dotted path, as canonical JSON (an empty object or list is a leaf). */
function leaves(value: Json, prefix = "", out = new Map<string, string>()): Map<string, string> {
  const entries = value !== null && typeof value === "object"
    ? Array.isArray(value) ? [...value.entries()] : Object.entries(value)
    : [];
  if (entries.length === 0) {
    out.set(prefix, canonicalJson(value));
    return out;
  }
  for (const [key, item] of entries) {
    leaves(item, prefix === "" ? `${key}` : `${prefix}.${key}`, out);
  }
  return out;
}

/** How many paths have different values, counting a path only one side has. */
function differingLeaves(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): number {
  let n = 0;
  for (const [path, value] of a) if (b.get(path) !== value) n++;
  for (const path of b.keys()) if (!a.has(path)) n++;
  return n;
}
