/**
 * Which job arrays a Slurm run submits at once: the trials that are ready now, one array per stage
 * (split at Slurm's MaxArraySize), and the trials of later stages whose inputs are all in those
 * arrays, submitted with a dependency so the cluster starts them without xp:
 *
 * - `aftercorr` when each trial waits on exactly one trial of one upstream array (train → eval,
 *   matched trial by trial): the dependent array reuses the upstream task ids, so task i waits
 *   on upstream task i only;
 * - `afterok` when the trials wait on the same set of upstream trials (a whole stage feeding a
 *   `gather:` trial, or a one-trial stage feeding a sweep), written as whole arrays where it can.
 *
 * Trials whose dependencies fit neither (several upstream trials that differ trial by trial)
 * are left out: they are submitted when their inputs have finished, by the run that follows.
 *
 * @module
 */

import type { PlannedTrial } from "../plan/mod.ts";

/** One array task: a trial and its task id. */
export interface PlannedTask {
  /** The trial's key. */
  key: string;
  /** `SLURM_ARRAY_TASK_ID`. */
  task: number;
}

/** What an array waits for: tasks of arrays planned before it (by index in the plan). */
export type ArrayDependency =
  | { kind: "aftercorr"; array: number }
  | { kind: "afterok"; on: { array: number; tasks: number[] | "all" }[] };

/** One job array to submit. */
export interface PlannedArray {
  /** The stage of every trial in it. */
  stage: string;
  /** Its tasks, ascending by task id. */
  tasks: PlannedTask[];
  /** What it waits for, when it does not start at once. */
  after?: ArrayDependency;
}

/** A trial waiting on `open`, dependencies placed in arrays before it. */
interface Waiting {
  key: string;
  open: string[];
}

/** What {@linkcode planArrays} needs. */
export interface WaveInput {
  /** Every trial of the plan, dependencies before dependents. */
  trials: readonly PlannedTrial[];
  /** The trials to submit now if their dependencies allow (to run, and not under Slurm already). */
  eligible: ReadonlySet<string>;
  /** The trials that are done (cached): a dependency on them is met. */
  done: ReadonlySet<string>;
  /** Slurm's MaxArraySize: task ids are below it. */
  maxArraySize: number;
}

/**
 * More `afterok` sets than this in one stage is a trial-by-trial pattern: as many tiny arrays as
 * trials would lose what arrays are for, so such trials wait for their inputs instead.
 */
const MAX_GROUPS_PER_STAGE = 8;
/** Longest list of single tasks in one `--dependency` (whole arrays count as one). */
const MAX_DEPENDENCY_TASKS = 256;

/**
 * The arrays to submit, in an order where every array comes after those it depends on.
 *
 * @example A sweep of 3 trials feeding one gathering trial
 * ```ts
 * import assert from "node:assert/strict";
 * import type { PlannedTrial } from "../plan/mod.ts";
 * import { planArrays } from "./slurm_waves.ts";
 * const t = (key: string, stage: string, deps: string[] = []) =>
 *   ({ key, stage, deps }) as unknown as PlannedTrial;
 * const trials = [t("a", "train"), t("b", "train"), t("c", "train"), t("s", "sum", ["a", "b", "c"])];
 * const arrays = planArrays({
 *   trials,
 *   eligible: new Set(["a", "b", "c", "s"]),
 *   done: new Set(),
 *   maxArraySize: 1001,
 * });
 * assert.deepEqual(arrays.map((a) => [a.stage, a.tasks.length]), [["train", 3], ["sum", 1]]);
 * assert.deepEqual(arrays[1]!.after, { kind: "afterok", on: [{ array: 0, tasks: "all" }] });
 * ```
 */
export function planArrays(input: WaveInput): PlannedArray[] {
  const arrays: PlannedArray[] = [];
  const placed = new Map<string, { array: number; task: number }>();
  const add = (stage: string, tasks: PlannedTask[], after?: ArrayDependency) => {
    const index = arrays.length;
    arrays.push(after === undefined ? { stage, tasks } : { stage, tasks, after });
    for (const { key, task } of tasks) placed.set(key, { array: index, task });
  };
  const dense = (stage: string, keys: string[], after?: ArrayDependency) => {
    for (let i = 0; i < keys.length; i += input.maxArraySize) {
      const chunk = keys.slice(i, i + input.maxArraySize).map((key, task) => ({ key, task }));
      add(stage, chunk, after);
    }
  };

  for (const [stage, trials] of byStage(input.trials)) {
    const ready: string[] = [];
    const waiting: Waiting[] = [];
    for (const trial of trials) {
      if (!input.eligible.has(trial.key)) continue;
      const open = trial.deps.filter((dep) => !input.done.has(dep));
      if (open.length === 0) ready.push(trial.key);
      else if (open.every((dep) => placed.has(dep))) waiting.push({ key: trial.key, open });
    }
    dense(stage, ready);

    // Trial by trial on one upstream array: the same task ids, `aftercorr`.
    const rest: Waiting[] = [];
    const corr = new Map<number, (Waiting & { task: number })[]>();
    for (const trial of waiting) {
      const at = trial.open.length === 1 ? placed.get(trial.open[0]!)! : undefined;
      if (at === undefined) rest.push(trial);
      else (corr.get(at.array) ?? corr.set(at.array, []).get(at.array)!).push({ ...trial, ...at });
    }
    const corrGroups: [number, PlannedTask[]][] = [];
    for (const [array, trials] of corr) {
      // Two trials on the same upstream trial cannot both take its task id.
      if (new Set(trials.map((t) => t.task)).size < trials.length) rest.push(...trials);
      else corrGroups.push([array, trials.map(({ key, task }) => ({ key, task }))]);
    }

    // The same upstream trials for every trial of a group: `afterok` on them.
    const groups = new Map<string, { keys: string[]; open: string[] }>();
    for (const trial of rest) {
      const signature = [...trial.open].sort().join(",");
      const group = groups.get(signature) ?? groups.set(signature, { keys: [], open: trial.open })
        .get(signature)!;
      group.keys.push(trial.key);
    }
    for (const [array, tasks] of corrGroups) {
      add(stage, tasks.sort((a, b) => a.task - b.task), { kind: "aftercorr", array });
    }
    if (groups.size > MAX_GROUPS_PER_STAGE) continue;
    for (const { keys, open } of groups.values()) {
      const after = afterOk(open, placed, arrays);
      if (after) dense(stage, keys, after);
    }
  }
  return arrays;
}

/** `afterok` on the arrays (whole, or some of their tasks) that hold `open`. */
function afterOk(
  open: string[],
  placed: ReadonlyMap<string, { array: number; task: number }>,
  arrays: readonly PlannedArray[],
): ArrayDependency | undefined {
  const byArray = new Map<number, number[]>();
  for (const key of open) {
    const { array, task } = placed.get(key)!;
    (byArray.get(array) ?? byArray.set(array, []).get(array)!).push(task);
  }
  const on = [...byArray].map(([array, tasks]) => ({
    array,
    tasks: tasks.length === arrays[array]!.tasks.length
      ? "all" as const
      : tasks.sort((a, b) => a - b),
  }));
  const single = on.reduce((n, d) => n + (d.tasks === "all" ? 0 : d.tasks.length), 0);
  return single > MAX_DEPENDENCY_TASKS ? undefined : { kind: "afterok", on };
}

/** The trials grouped by stage, stages in the order they first appear. */
function byStage(trials: readonly PlannedTrial[]): Map<string, PlannedTrial[]> {
  const stages = new Map<string, PlannedTrial[]>();
  for (const trial of trials) {
    (stages.get(trial.stage) ?? stages.set(trial.stage, []).get(trial.stage)!).push(trial);
  }
  return stages;
}
