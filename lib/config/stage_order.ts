/**
 * The stage graph: a stable topological order, and the cycle named when there is one.
 *
 * @module
 */

/** What the graph needs of a stage. */
export interface StageNode {
  /** Unique stage name. */
  name: string;
  /** Names of the stages it depends on (already resolved, no patterns). */
  dependsOn: readonly string[];
}

/** The result of {@linkcode stageOrder}: the order, or the first cycle found. */
export type StageOrder =
  | { ok: true; order: string[] }
  | { ok: false; cycle: string[] };

/**
 * Orders stages so each comes after its dependencies, keeping the written order where free.
 * A cycle is returned as the stage names along it, first name repeated at the end.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { stageOrder } from "./stage_order.ts";
 * const order = stageOrder([
 *   { name: "eval", dependsOn: ["train"] },
 *   { name: "train", dependsOn: [] },
 * ]);
 * assert.deepEqual(order, { ok: true, order: ["train", "eval"] });
 * ```
 */
export function stageOrder(stages: readonly StageNode[]): StageOrder {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const trail: string[] = [];
  let cycle: string[] | undefined;
  const visit = (name: string): void => {
    if (cycle) return;
    const seen = state.get(name);
    if (seen === "done") return;
    if (seen === "visiting") {
      cycle = [...trail.slice(trail.indexOf(name)), name];
      return;
    }
    state.set(name, "visiting");
    trail.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) visit(dep);
    trail.pop();
    state.set(name, "done");
    order.push(name);
  };
  for (const stage of stages) visit(stage.name);
  return cycle ? { ok: false, cycle } : { ok: true, order };
}
