/**
 * pyexp's merge rules: a plain key replaces the value at that key, `**key` merges that subtree
 * deeply, and a dotted key (`model.depth`) reaches one nested value.
 *
 * @module
 */

import type { Json, JsonObject } from "./model.ts";

/** Whether `value` is a JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Returns `base` updated by `update` with the merge rules; neither input is changed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { merge } from "./merge.ts";
 * const base = { model: { width: 32, depth: 2 } };
 * assert.deepEqual(merge(base, { model: { width: 64 } }), { model: { width: 64 } });
 * assert.deepEqual(merge(base, { "**model": { width: 64 } }), { model: { width: 64, depth: 2 } });
 * assert.deepEqual(merge(base, { "model.width": 64 }), { model: { width: 64, depth: 2 } });
 * ```
 */
export function merge(base: JsonObject, update: JsonObject): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(update)) assign(result, key, value);
  return result;
}

/** Applies one `key: value` of an update to `target` in place, with the merge rules. */
export function assign(target: JsonObject, key: string, value: Json): void {
  const segments = splitPath(key);
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const child = node[segment];
    // Copy on the way down so the caller's nested objects are never changed.
    const copy: JsonObject = isObject(child) ? { ...child } : {};
    node[segment] = copy;
    node = copy;
  }
  const last = segments[segments.length - 1]!;
  if (last.startsWith("**")) {
    const name = last.slice(2);
    const current = node[name];
    node[name] = isObject(current) && isObject(value) ? merge(current, value) : normalize(value);
    return;
  }
  node[last] = normalize(value);
}

/** Removes the value at a dotted path from `target` in place; returns whether it was there. */
export function remove(target: JsonObject, path: string): boolean {
  const segments = splitPath(path);
  let node: JsonObject = target;
  for (const segment of segments.slice(0, -1)) {
    const child = node[segment];
    if (!isObject(child)) return false;
    const copy = { ...child };
    node[segment] = copy;
    node = copy;
  }
  const last = segments[segments.length - 1]!;
  if (!(last in node)) return false;
  delete node[last];
  return true;
}

/** The value at a dotted path, or `undefined` when there is none. */
export function getPath(target: JsonObject, path: string): Json | undefined {
  let node: Json | undefined = target;
  for (const segment of splitPath(path)) {
    if (!isObject(node)) return undefined;
    node = node[segment];
  }
  return node;
}

/** Splits a dotted key into segments (`a.**b` → `a`, `**b`). */
export function splitPath(key: string): string[] {
  return key.split(".");
}

/** A value as it will be stored: objects have their dotted and `**` keys applied. */
function normalize(value: Json): Json {
  if (!isObject(value)) return value;
  let plain = true;
  for (const key in value) {
    if (key.includes(".") || key.startsWith("**") || isObject(value[key])) {
      plain = false;
      break;
    }
  }
  return plain ? value : merge({}, value);
}
