/**
 * Deciding what runs: each planned trial is `cached`, `todo`, `blocked`, or left out, from what
 * the store knows and the flags `--stage`, `--filter`, `--force[=STAGE]` and `--retry-failed`.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { Plan, PlannedTrial } from "./model.ts";

/** What `xp run` does with a selected trial. */
export type SelectedState = "cached" | "todo" | "blocked";

/** What the store knows of a key: its last state and attempt. */
export interface KnownTrial {
  /** A state of ARCHITECTURE section 5 (`ok`, `failed`, …). */
  state: string;
  /** Attempts made so far. */
  attempt: number;
}

/** The flags that select trials. */
export interface SelectOptions {
  /** `--stage`: only these stages' trials (and their dependencies); none means every stage. */
  stages: readonly string[];
  /** `--force` (`true`) reruns every selected trial, `--force=STAGE` that stage's. */
  force: boolean | string;
  /** `--retry-failed`: rerun only the selected trials that did not succeed. */
  retryFailed: boolean;
  /** The keys `--filter` selected, when it was given. */
  filter?: ReadonlySet<string> | undefined;
}

/** What runs: the state of each selected trial, and the trials left out. */
export interface Selection {
  /** Selected trials by key, in plan order. */
  states: Map<string, SelectedState>;
  /** The trials not selected, in plan order. */
  excluded: PlannedTrial[];
}

/** The states `--retry-failed` reruns. */
export const RETRYABLE_STATES: ReadonlySet<string> = new Set([
  "failed",
  "timeout",
  "killed",
  "interrupted",
  "skipped",
]);

/**
 * Selects the trials to run and tells which are cached.
 *
 * - The trials asked for are those of the `--stage` stages (every stage without `--stage`)
 *   whose keys `--filter` selected (all without `--filter`).
 * - Without `--retry-failed`, they and their dependencies (transitively) are selected. With it,
 *   only those asked for whose known state is failed, timeout, killed, interrupted or skipped
 *   (or that are forced) are rerun, with the dependencies they need; those asked for that are
 *   `ok` are listed as cached, and the others are left out.
 * - A selected trial is `cached` when its known state is `ok`, it is not forced (`--force`: every
 *   selected trial; `--force=STAGE`: that stage's) and none of its dependencies runs: a trial
 *   whose dependency runs again runs again too, on the new outputs.
 * - `blocked`: a trial to run with a dependency that is left out and not `ok`, or blocked itself.
 *
 * @throws {UsageError} when `--stage` or `--force=STAGE` names a stage the experiment does not have
 */
export function selectTrials(
  plan: Plan,
  known: ReadonlyMap<string, KnownTrial>,
  options: SelectOptions,
): Selection {
  const names = plan.stages.map((s) => s.stage.name);
  for (const stage of options.stages) checkStage(stage, names, "--stage");
  if (typeof options.force === "string") checkStage(options.force, names, "--force");
  const { force, filter } = options;
  const stages = new Set(options.stages);
  const isOk = (key: string) => known.get(key)?.state === "ok";
  const forced = (t: PlannedTrial) => force === true || force === t.stage;

  // Trials whose run is requested, and (with --retry-failed) the ok ones only listed as cached.
  const wanted = new Set<string>();
  const listed = new Set<string>();
  for (const t of plan.trials) {
    if ((stages.size > 0 && !stages.has(t.stage)) || (filter && !filter.has(t.key))) continue;
    const state = known.get(t.key)?.state;
    if (!options.retryFailed || forced(t) || (state !== undefined && RETRYABLE_STATES.has(state))) {
      wanted.add(t.key);
    } else if (state === "ok") {
      listed.add(t.key);
    }
  }

  // A listed trial whose dependency reruns must rerun too, and then needs its dependencies:
  // repeat until nothing more is wanted (rarely more than twice; each pass is linear).
  let states: Map<string, SelectedState>;
  for (;;) {
    const members = closure(plan.trials, wanted);
    states = new Map();
    let grew = false;
    for (const t of plan.trials) {
      const depRuns = t.deps.some((d) => states.get(d) === "todo");
      if (members.has(t.key)) {
        states.set(t.key, isOk(t.key) && !forced(t) && !depRuns ? "cached" : "todo");
      } else if (listed.has(t.key)) {
        if (depRuns) {
          wanted.add(t.key);
          grew = true;
        } else {
          states.set(t.key, "cached");
        }
      }
    }
    if (!grew) break;
  }

  for (const t of plan.trials) {
    if (states.get(t.key) !== "todo") continue;
    const stuck = t.deps.some((d) => states.get(d) === "blocked" || (!states.has(d) && !isOk(d)));
    if (stuck) states.set(t.key, "blocked");
  }
  return { states, excluded: plan.trials.filter((t) => !states.has(t.key)) };
}

/** `wanted` and every trial they depend on, transitively; trials are in dependency order. */
function closure(trials: readonly PlannedTrial[], wanted: ReadonlySet<string>): Set<string> {
  const members = new Set(wanted);
  for (let i = trials.length - 1; i >= 0; i--) {
    const t = trials[i]!;
    if (!members.has(t.key)) continue;
    for (const dep of t.deps) members.add(dep);
  }
  return members;
}

function checkStage(stage: string, names: readonly string[], flag: string): void {
  if (names.includes(stage)) return;
  throw new UsageError(`Unknown stage "${stage}" in ${flag}`, {
    hint: `stages are: ${names.join(", ")}`,
  });
}
