/**
 * Planning: the stage DAG (and, with the runner, dependency matching and cache keys).
 *
 * @module
 */

export * from "./dag.ts";
