/**
 * JSON values flattened to dotted paths: a trial's params (`model.depth`) and the numeric leaves
 * of its result (its metrics).
 *
 * @module
 */

import { decodeNumber } from "../sdk/protocol.ts";

/** The JSON type of a param leaf, as stored in the index (`TINYINT`). */
export const LEAF_TYPE = {
  null: 0,
  boolean: 1,
  integer: 2,
  number: 3,
  string: 4,
  array: 5,
  object: 6,
} as const;

/** A param leaf. */
export interface Leaf {
  /** Dotted path (`model.depth`). */
  path: string;
  /** The value as JSON text. */
  value: string;
  /** The value when it is a number, else `null`. */
  num: number | null;
  /** Its {@linkcode LEAF_TYPE}. */
  type: number;
}

/**
 * Appends the leaves of `value` under `prefix` to `out`: objects are walked (an empty object is a
 * leaf), arrays and scalars are leaves.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { flattenLeaves } from "./flatten.ts";
 * const out: { path: string }[] = [];
 * flattenLeaves({ lr: 0.1, model: { depth: 4 } }, "", out as never);
 * assert.deepEqual(out.map((leaf) => leaf.path), ["lr", "model.depth"]);
 * ```
 */
export function flattenLeaves(value: unknown, prefix: string, out: Leaf[]): void {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length > 0 || prefix === "") {
      for (const key of keys) {
        flattenLeaves(value[key], prefix === "" ? key : `${prefix}.${key}`, out);
      }
      return;
    }
  }
  if (prefix === "") return;
  out.push(leafOf(prefix, value));
}

/** The leaf for one value. */
function leafOf(path: string, value: unknown): Leaf {
  if (value === null || value === undefined) {
    return { path, value: "null", num: null, type: LEAF_TYPE.null };
  }
  switch (typeof value) {
    case "boolean":
      return { path, value: String(value), num: null, type: LEAF_TYPE.boolean };
    case "number":
      return {
        path,
        value: Number.isFinite(value) ? String(value) : `"${value}"`,
        num: value,
        type: Number.isSafeInteger(value) ? LEAF_TYPE.integer : LEAF_TYPE.number,
      };
    case "string":
      return { path, value: JSON.stringify(value), num: null, type: LEAF_TYPE.string };
    default:
      return {
        path,
        value: JSON.stringify(value),
        num: null,
        type: Array.isArray(value) ? LEAF_TYPE.array : LEAF_TYPE.object,
      };
  }
}

/**
 * Sets the numeric leaves of `value` under `prefix` in `out` (numbers and the protocol's
 * `"NaN"`/`"Infinity"`/`"-Infinity"`); arrays are not walked. A bare number is named `prefix`,
 * or `result` when there is no prefix.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { numericLeaves } from "./flatten.ts";
 * const out = new Map<string, number>();
 * numericLeaves({ acc: 0.9, val: { loss: "NaN" }, tag: "x" }, "", out);
 * assert.deepEqual([...out], [["acc", 0.9], ["val.loss", NaN]]);
 * ```
 */
export function numericLeaves(value: unknown, prefix: string, out: Map<string, number>): void {
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      numericLeaves(value[key], prefix === "" ? key : `${prefix}.${key}`, out);
    }
    return;
  }
  const number = decodeNumber(value);
  if (number !== undefined) out.set(prefix === "" ? "result" : prefix, number);
}

/** Whether `value` is a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
