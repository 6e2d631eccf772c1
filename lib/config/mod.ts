/**
 * Experiment files: load (`xp.yaml`, `xp.ts`), imports, merge, overrides, sweep expansion,
 * validation with `file:line:column`.
 *
 * @module
 */

export * from "./model.ts";
export { EXPERIMENT_FILES, findExperimentFile, loadExperiment, type LoadOptions } from "./load.ts";
export { merge } from "./merge.ts";
export { applyOverrides, type Override, parseOverride } from "./overrides.ts";
export { canonicalJson } from "./canonical.ts";
export { expandTrials, type StageTrials, type TrialConfig } from "./trials.ts";
export type { SweepShape } from "./sweep.ts";
export { type StageNode, type StageOrder, stageOrder } from "./stage_order.ts";
