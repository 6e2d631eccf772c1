/**
 * What planning produces: every trial with its key, dependencies and effective params.
 *
 * @module
 */

import type { Experiment, JsonObject, Stage, SweepShape } from "../config/mod.ts";

/** One trial of the plan: one config of one stage, identified by its key. */
export interface PlannedTrial {
  /**
   * sha256 (hex) over experiment name, stage name, canonical config, code digest, dependency keys
   * and the parent's key.
   */
  key: string;
  /** The experiment's name. */
  experiment: string;
  /** The stage's name. */
  stage: string;
  /** Derived from swept values; unique within the stage. */
  name: string;
  /** The trial's own resolved config. */
  config: JsonObject;
  /** `config` as canonical JSON. */
  canonical: string;
  /** The config plus the params inherited from its dependencies (its own values win). */
  effective: JsonObject;
  /** The swept values that made it, by path as written (`lr`, `model.depth`). */
  swept: Record<string, unknown>;
  /** Keys of the trials it depends on, in stage order, then sweep order. */
  deps: string[];
  /** The key of the stored trial it forks from (`xp run --from`), when it has one. */
  parent?: string;
  /** Whether it gathers every trial of its dependency stages. */
  gather: boolean;
  /** The stage's code digest (sha256 hex). */
  codeDigest: string;
  /** The stage's `capture_env:` names, when it has any. */
  captureEnv?: string[];
}

/** A stage of the plan. */
export interface PlannedStage {
  /** The stage as loaded. */
  stage: Stage;
  /** Its sweep's axes and values. */
  shape: SweepShape;
  /** Its trials, in sweep order. */
  trials: PlannedTrial[];
}

/** The plan of one experiment. */
export interface Plan {
  /** The experiment, overrides applied. */
  experiment: Experiment;
  /** Stages in dependency order. */
  stages: PlannedStage[];
  /** Every trial, dependencies before dependents (stage order, then sweep order), each key once. */
  trials: PlannedTrial[];
  /** Trials by key. */
  byKey: Map<string, PlannedTrial>;
}
