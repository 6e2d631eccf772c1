/**
 * Planning: the stage DAG, trial-level dependency matching, effective params, code digests,
 * cache keys, what runs (cached, todo, blocked) and the trial graph.
 *
 * @module
 */

export type { Plan, PlannedStage, PlannedTrial } from "./model.ts";
export { matchDependencies, sweptPaths, type TrialRef } from "./match.ts";
export { effectiveParams } from "./effective.ts";
export { type DigestOptions, stageDigest } from "./digest.ts";
export {
  type ForkCandidate,
  type ForkSource,
  type ForkTarget,
  noParentReason,
  parentOf,
} from "./fork.ts";
export { keyOf, type KeyParts, planExperiment, type PlanOptions } from "./plan.ts";
export {
  type KnownTrial,
  RETRYABLE_STATES,
  type SelectedState,
  type Selection,
  type SelectOptions,
  selectTrials,
} from "./select.ts";
export { renderGraph, TEXT_TRIAL_LIMIT } from "./graph.ts";
