/**
 * Expands an experiment into its trial configs, stage by stage: the experiment's params, the
 * stage's params merged over them, then each point of the (experiment × stage) sweep.
 *
 * @module
 */

import { stageOrder } from "./stage_order.ts";
import { canonicalJson } from "./canonical.ts";
import { assign, merge } from "./merge.ts";
import type { Experiment, JsonObject, Stage } from "./model.ts";
import { trialNames } from "./name.ts";
import {
  type Assignment,
  type ExpandedSweep,
  expandSweep,
  productSweeps,
  type SweepShape,
} from "./sweep.ts";

/** One config of one stage. */
export interface TrialConfig {
  /** The stage it belongs to. */
  stage: string;
  /** Derived from the swept values; unique within the stage. */
  name: string;
  /** The resolved config. */
  params: JsonObject;
  /** `params` as canonical JSON: the same config always gives the same bytes. */
  canonical: string;
  /** The swept values that made this trial, in axis order. */
  swept: Assignment[];
  /** Its position in the sweep's shape. */
  index: number[];
}

/** A stage with its expanded trials. */
export interface StageTrials {
  /** The stage. */
  stage: Stage;
  /** The sweep's axes and values, so results can be indexed like a tensor. */
  shape: SweepShape;
  /** The stage's trials in sweep order. */
  trials: TrialConfig[];
}

/**
 * Expands every stage of `experiment` into trial configs, stages in dependency order. A stage's
 * trials are the experiment's sweep crossed with its own; a `gather` stage has only its own (one
 * trial when it sweeps nothing), and depends on every trial it gathers.
 *
 * @throws {ConfigError} when a sweep is malformed or a config cannot be written as JSON
 */
export function expandTrials(experiment: Experiment): StageTrials[] {
  const top = expandSweep(experiment.sweep, experiment.locate);
  const order = stageOrder(experiment.stages);
  const names = order.ok ? order.order : experiment.stages.map((s) => s.name);
  return names.map((name) => {
    const stage = experiment.stages.find((s) => s.name === name)!;
    return expandStage(experiment, stage, top);
  });
}

function expandStage(experiment: Experiment, stage: Stage, top: ExpandedSweep): StageTrials {
  const base = merge(experiment.params, stage.params);
  const own = expandSweep(stage.sweep, (path) => experiment.locate([...stage.path, ...path]));
  // A gather stage collects the sweep rather than following it: only its own sweep makes trials.
  const sweep = stage.gather ? own : stage.sweep === undefined ? top : productSweeps(top, own);
  const names = trialNames(sweep.points);
  const trials = sweep.points.map((point, i): TrialConfig => {
    const params: JsonObject = { ...base };
    for (const [path, value] of point.assignments) assign(params, path, value);
    return {
      stage: stage.name,
      name: names[i]!,
      params,
      canonical: canonicalJson(params),
      swept: point.assignments,
      index: point.index,
    };
  });
  return { stage, shape: sweep.shape, trials };
}
