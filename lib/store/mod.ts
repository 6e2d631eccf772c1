/**
 * The store: per-trial files are the truth (layout, atomic writes, locks, run records); the
 * DuckDB index derived from them answers SQL (`openStore`, `memoryStore`). `@duckdb/node-api` is
 * loaded only when an index is opened.
 *
 * @module
 */

export * from "./layout.ts";
export * from "./atomic.ts";
export * from "./trial_files.ts";
export * from "./lock.ts";
export * from "./runs.ts";
export * from "./files.ts";
export { subdirectories } from "./subdirectories.ts";
export type { IngestReport, QueryResult, Store } from "./store.ts";
export { DEFAULT_TEXT_LIMIT, DuckDbStore, openStore, type StoreOptions } from "./duckdb_store.ts";
export { MemoryStore, memoryStore } from "./memory_store.ts";
