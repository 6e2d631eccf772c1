/**
 * The trial-side SDK, imported as `"xp"` in experiment files and trial scripts. It imports no npm
 * package and nothing else of xp, so importing it costs a trial almost nothing.
 *
 * @module
 */

export * from "./experiment.ts";
