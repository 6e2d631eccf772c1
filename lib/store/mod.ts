/**
 * The store: per-trial files are the truth (layout, atomic writes, locks, run records).
 *
 * @module
 */

export * from "./layout.ts";
export * from "./atomic.ts";
export * from "./trial_files.ts";
export * from "./lock.ts";
export * from "./runs.ts";
export * from "./files.ts";
export type { IngestReport, QueryResult, Store } from "./store.ts";
