/**
 * `ctx.checkpoint(state)` and `ctx.restore()`: a trial's state in `<trial dir>/checkpoint.json`,
 * which the runner keeps across retries and resumes. A forked trial (`xp run --from`) that has
 * saved no state yet restores its parent's: it starts where the parent stopped.
 *
 * The file is `{"state": …}` plus, when the state holds NaN or ±Infinity, `"nonFinite": [path, …]`
 * (each path an array of keys and indexes): the numbers are written as the protocol's strings and
 * turned back into numbers on restore, so a state round-trips exactly.
 *
 * @module
 */

import type { Json } from "./experiment.ts";
import { toJsonValue } from "./json.ts";

/** The file name of a trial's checkpoint in its trial directory. */
export const CHECKPOINT_FILE = "checkpoint.json";

/** A trial's checkpoint functions, as on its context. */
export interface Checkpoints {
  /** Saves `state` (JSON) atomically, replacing the previous checkpoint. */
  checkpoint(state: unknown): void;
  /** The last saved state (else the parent's), or `undefined` when there is none. */
  restore<T = Json>(): T | undefined;
}

type Key = string | number;

/**
 * The checkpoint functions of the trial whose directory is `trialDir`: `checkpoint` writes
 * `checkpoint.json.tmp`, syncs it and renames it over `checkpoint.json`, so a crash leaves the old
 * or the new checkpoint, never a torn one. `restore` falls back to the checkpoint in `parentDir`,
 * the directory of the trial this one forks from.
 */
export function createCheckpoints(trialDir: string, parentDir?: string): Checkpoints {
  const path = `${trialDir}/${CHECKPOINT_FILE}`;
  const inherited = parentDir === undefined ? undefined : `${parentDir}/${CHECKPOINT_FILE}`;
  return {
    checkpoint(state: unknown): void {
      let value: Json;
      try {
        value = toJsonValue(state, "state");
      } catch (error) {
        throw new TypeError(
          `ctx.checkpoint: the state must be JSON to be saved in ${path}: ${
            (error as Error).message
          }`,
        );
      }
      const nonFinite: Key[][] = [];
      findNonFinite(value, [], nonFinite);
      const text = JSON.stringify(
        nonFinite.length === 0 ? { state: value } : { state: value, nonFinite },
        (_key, item) => typeof item === "number" && !Number.isFinite(item) ? String(item) : item,
      );
      const tmp = `${path}.tmp`;
      const file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
      try {
        let bytes = new TextEncoder().encode(text);
        while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
        // Without a sync, a power cut after the rename can leave an empty checkpoint.
        file.syncSync();
      } finally {
        file.close();
      }
      Deno.renameSync(tmp, path);
    },

    restore<T = Json>(): T | undefined {
      const found = readIfExists(path) ??
        (inherited === undefined ? undefined : readIfExists(inherited));
      if (found === undefined) return undefined;
      const [text, from] = found;
      let saved: { state?: Json; nonFinite?: Key[][] };
      try {
        saved = JSON.parse(text);
      } catch (error) {
        throw new SyntaxError(
          `ctx.restore: ${from} is not valid JSON: ${(error as Error).message}`,
        );
      }
      if (saved === null || typeof saved !== "object" || !("state" in saved)) {
        throw new TypeError(`ctx.restore: ${from} is not a checkpoint written by ctx.checkpoint()`);
      }
      let state = saved.state as Json;
      for (const keys of saved.nonFinite ?? []) state = revive(state, keys);
      return state as T;
    },
  };
}

/** The text of `path` and the path, or `undefined` when it does not exist. */
function readIfExists(path: string): [string, string] | undefined {
  try {
    return [Deno.readTextFileSync(path), path];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Collects the paths of non-finite numbers; `at` is the current path, shared and restored. */
function findNonFinite(value: Json, at: Key[], found: Key[][]): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) found.push([...at]);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const entries: Iterable<[Key, Json]> = Array.isArray(value)
    ? value.entries()
    : Object.entries(value);
  for (const [key, item] of entries) {
    at.push(key);
    findNonFinite(item, at, found);
    at.pop();
  }
}

/** Turns the string at `keys` back into its number; returns the (possibly replaced) root. */
function revive(root: Json, keys: Key[]): Json {
  if (keys.length === 0) return Number(root);
  let parent = root as Record<Key, Json>;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<Key, Json>;
  const last = keys[keys.length - 1]!;
  parent[last] = Number(parent[last]);
  return root;
}
