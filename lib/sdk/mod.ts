/**
 * The trial-side SDK, imported as `"xp"` in experiment files and trial scripts: `experiment()` and
 * the types of a trial's config and context. It imports no npm package and nothing else of xp,
 * and does no work on import, so importing it costs a trial almost nothing (measured: under
 * 1 ms). The runtime that calls a trial (`trial.ts`, `trial_main.ts`) is not exported here.
 *
 * @module
 */

export * from "./experiment.ts";
