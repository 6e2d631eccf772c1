/**
 * Effective params (repx): a trial's own config plus what it inherits from its dependencies.
 *
 * @module
 */

import type { Json, JsonObject } from "../config/mod.ts";

/**
 * A trial's effective params: its dependencies' effective params merged in order (a later one
 * wins over an earlier one), then its own config on top.
 *
 * The merge is a plain deep merge, not lib/config's `merge`: configs are already resolved (no
 * dotted or `**` keys), and a trial's own map must not drop the keys its dependencies add
 * beside it. Maps merge key by key at every depth; any other value (a list, a scalar) replaces.
 * Inputs are not changed; unchanged subtrees are shared with them, not copied.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { effectiveParams } from "./effective.ts";
 * const train = { lr: 0.1, model: { depth: 2, width: 8 } };
 * const own = { lr: 0.5, model: { depth: 4 }, split: "val" };
 * assert.deepEqual(effectiveParams(own, [train]), {
 *   lr: 0.5,
 *   model: { depth: 4, width: 8 },
 *   split: "val",
 * });
 * ```
 */
export function effectiveParams(own: JsonObject, inherited: readonly JsonObject[]): JsonObject {
  if (inherited.length === 0) return own;
  let result = inherited[0]!;
  for (let i = 1; i < inherited.length; i++) result = deepMerge(result, inherited[i]!);
  return deepMerge(result, own);
}

function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const result: JsonObject = { ...base };
  for (const key of Object.keys(over)) {
    const value = over[key]!;
    const current = Object.hasOwn(base, key) ? base[key] : undefined;
    const merged = isMap(current) && isMap(value) ? deepMerge(current, value) : value;
    // Assigning "__proto__" would set the prototype instead of a key.
    if (key === "__proto__") {
      Object.defineProperty(result, key, {
        value: merged,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      result[key] = merged;
    }
  }
  return result;
}

function isMap(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
