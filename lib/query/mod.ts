/**
 * Querying results from TypeScript, after repx-py's Experiment/JobCollection and pyexp's result
 * indexing: open a store, get its trials as a collection, filter them by predicate or
 * Django-style lookups, pick by position, name, regex, a dict of params or sweep axes, and read
 * their outputs and step series.
 *
 * @example Opening a store and querying its trials
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { openResults } from "./mod.ts";
 *
 * // A store as `xp run` leaves it: one directory per trial (here two, written by hand).
 * const store = await Deno.makeTempDir();
 * for (const [key, lr, acc] of [["a1", 0.1, 0.9], ["b2", 0.01, 0.7]] as const) {
 *   const dir = join(store, "trials", key);
 *   await Deno.mkdir(join(dir, "out"), { recursive: true });
 *   const params = { lr, model: { depth: 2 } };
 *   await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(params));
 *   await Deno.writeTextFile(join(dir, "meta.json"), JSON.stringify({
 *     experiment: "demo", stage: "train", name: `lr=${lr}`, key, deps: [],
 *     swept: { lr }, effective_params: params,
 *   }));
 *   await Deno.writeTextFile(join(dir, "events.ndjson"),
 *     `{"t":"scalar","name":"loss","value":1,"step":0}\n{"t":"metric","name":"acc","value":${acc}}\n`);
 *   await Deno.writeTextFile(join(dir, "status.json"), JSON.stringify({
 *     state: "ok", exit_code: 0, signal: null, error: null, attempt: 1, run_id: "r1",
 *     started_at: "2026-01-01T00:00:00Z", finished_at: "2026-01-01T00:00:01Z",
 *   }));
 *   await Deno.writeTextFile(join(dir, "out", "preds.csv"), "step,pred\n1,0.5\n");
 * }
 *
 * const results = await openResults(store);
 * const trials = results.trials();
 * assert.equal(trials.length, 2);
 * assert.equal(trials.filter({ lr__lt: 0.05 }).pick(0).name, "lr=0.01");
 * assert.equal(trials.filter({ acc__gt: 0.8, model__depth: 2 }).length, 1);
 * assert.deepEqual(trials.axes, [{ name: "lr", values: [0.01, 0.1] }]);
 * assert.equal(trials.isel({ lr: -1 }).at(0)?.key, "a1");
 * assert.deepEqual(results.effectiveParams["b2"], { lr: 0.01, model: { depth: 2 } });
 * assert.deepEqual(await results.loadCsv("a1", "preds.csv"), [{ step: 1, pred: 0.5 }]);
 * assert.equal(results.outputPath("lr=0.1", "preds.csv"), join(store, "trials", "a1", "out", "preds.csv"));
 * assert.equal((await results.scalars("loss")).length, 2);
 * await results.close();
 * await Deno.remove(store, { recursive: true });
 * ```
 *
 * @example The collection works over any trials (runnable)
 * ```ts
 * import assert from "node:assert/strict";
 * import { TrialCollection, trialOf } from "./mod.ts";
 * const trials = new TrialCollection([1, 2, 4].map((depth) =>
 *   trialOf({
 *     key: `k${depth}`,
 *     name: `depth=${depth}`,
 *     params: { lr: 0.1, model: { depth } },
 *     metrics: { accuracy: depth / 10 },
 *     swept: { "model.depth": depth },
 *   })
 * ));
 * assert.equal(trials.filter({ model__depth__gt: 1 }).length, 2);
 * assert.equal(trials.filter({ accuracy__ge: 0.2, name__startswith: "depth=" }).length, 2);
 * assert.equal(trials.pick(-1).name, "depth=4");
 * assert.deepEqual(trials.select("depth=[12]").map((t) => t.key), ["k1", "k2"]);
 * assert.deepEqual(trials.shape, [3]);
 * assert.equal(trials.isel({ "model.depth": 0 }).at(0)?.key, "k1");
 * assert.deepEqual(trials.toRows()[0], {
 *   key: "k1", experiment: "exp", stage: "main", name: "depth=1", status: "ok",
 *   lr: 0.1, "model.depth": 1, accuracy: 0.1,
 * });
 * ```
 *
 * @module
 */

import type { Store } from "../store/store.ts";
import { type Results, resultsOf } from "./results.ts";

export { TrialCollection, trialOf } from "./collection.ts";
export type { SweepAxis, TrialQuery } from "./collection.ts";
export type { Results, ScalarRow } from "./results.ts";
export type { Trial } from "./trial.ts";
export type { IngestReport, QueryResult, Store } from "../store/store.ts";
export type { StoreLayout } from "../store/layout.ts";
export type { NameRef, NameSchema } from "./names.ts";
export type { ParseCsvOptions } from "./csv_parse.ts";
export { LOOKUP_OPERATORS } from "./lookups.ts";
export type { LookupOperator, Lookups } from "./lookups.ts";
export { compileFilter, loadNameSchema } from "./filter.ts";
export { filterPlanned } from "./planned.ts";
export type { CompiledFilter, CompileOptions } from "./filter.ts";
export type { PlannedRow } from "./planned.ts";
export { compileSort } from "./sort.ts";
export type { CompiledSort } from "./sort.ts";
export { parseCsv } from "./csv_parse.ts";

/**
 * Opens the store at `storeDir` (its `.xp/` directory) and loads its trials; or wraps a store
 * that is already open (which the caller keeps owning).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { openResults } from "./mod.ts";
 * const store = await Deno.makeTempDir();
 * const results = await openResults(store);
 * assert.equal(results.trials().length, 0);
 * await results.close();
 * await Deno.remove(store, { recursive: true });
 * ```
 */
export async function openResults(storeDir: string | Store): Promise<Results> {
  if (typeof storeDir !== "string") return await resultsOf(storeDir, false);
  const { openStore } = await import("../store/duckdb_store.ts");
  return await resultsOf(await openStore(storeDir), true);
}
