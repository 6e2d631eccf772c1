/**
 * Describes a bad argument in an error message.
 *
 * @module
 */

/**
 * A short description of a value for messages: `string "0.5"`, `undefined`, `a Map`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe } from "./describe.ts";
 * assert.equal(describe("0.5"), 'string "0.5"');
 * assert.equal(describe(new Map()), "a Map");
 * ```
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case "number":
      return `number ${value}`;
    case "bigint":
      return `BigInt ${value}n`;
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case "boolean":
      return `boolean ${value}`;
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}
