/**
 * Canonical JSON: the one spelling of a config that keys, hashes and comparisons rely on.
 *
 * @module
 */

import type { Json } from "./model.ts";

/**
 * Writes `value` as canonical JSON: object keys sorted by UTF-16 code units at every depth, no
 * whitespace, numbers in JavaScript's shortest round-trip form, `-0` as `0`.
 *
 * @throws {TypeError} naming the path of a non-finite number, `undefined`, a function, a bigint, a
 * symbol, an object that is not a plain object or array, or a reference cycle
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJson } from "./canonical.ts";
 * const json = canonicalJson({ b: [1, -0], a: { d: 0.1, c: "x" } });
 * assert.equal(json, '{"a":{"c":"x","d":0.1},"b":[1,0]}');
 * ```
 */
export function canonicalJson(value: Json): string {
  const sorted = sortedCopy(value, 0);
  return sorted === FALLBACK ? write(value, [], []) : JSON.stringify(sorted);
}

/**
 * Rounds a generated float to 15 significant digits, so that `0.1 * 3` is written as `0.3`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { roundGenerated } from "./canonical.ts";
 * assert.equal(roundGenerated(0.1 * 3), 0.3);
 * ```
 */
export function roundGenerated(x: number): number {
  return Number(x.toPrecision(15));
}

/** Returned by {@linkcode sortedCopy} for what only {@linkcode write} handles. */
const FALLBACK: unique symbol = Symbol("fallback");

/** Deeper than this, {@linkcode write} runs instead, to tell a cycle from deep nesting. */
const MAX_FAST_DEPTH = 500;

// The fast path: a copy whose keys are inserted in sorted order, written by the engine's own
// JSON.stringify (several times faster than concatenating strings). Anything it cannot get right
// by construction (a bad value, a key that JavaScript would reorder or treat specially, very deep
// nesting) makes it give up, and the slower writer below produces the output or the error.
function sortedCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : FALLBACK;
    case "object": {
      if (value === null) return null;
      if (depth > MAX_FAST_DEPTH) return FALLBACK;
      if (Array.isArray(value)) {
        const copy = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          // A hole reads as undefined and so falls back too.
          const item = sortedCopy(value[i], depth + 1);
          if (item === FALLBACK) return FALLBACK;
          copy[i] = item;
        }
        return copy;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return FALLBACK;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      const copy: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        // Objects list integer-like keys first whatever the insertion order, and assigning
        // "__proto__" would set the prototype instead of a key.
        const first = key.charCodeAt(0);
        if ((first >= 0x30 && first <= 0x39) || key === "__proto__") return FALLBACK;
        const item = sortedCopy(record[key], depth + 1);
        if (item === FALLBACK) return FALLBACK;
        copy[key] = item;
      }
      return copy;
    }
    default:
      return FALLBACK;
  }
}

// `path` and `parents` are stacks shared by the whole walk (push/pop) so that the common case
// allocates nothing beyond the output; the path is only formatted when something is wrong.
function write(value: unknown, path: (string | number)[], parents: object[]): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw invalid(path, String(value));
      return value === 0 ? "0" : String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (parents.includes(value)) throw invalid(path, "a reference to one of its own parents");
      parents.push(value);
      let out: string;
      if (Array.isArray(value)) {
        out = "[";
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ",";
          path.push(i);
          out += write(value[i], path, parents);
          path.pop();
        }
        out += "]";
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const name = typeof proto?.constructor === "function" ? proto.constructor.name : "";
          throw invalid(path, name === "" ? "not a plain object" : `a ${name}`);
        }
        const record = value as Record<string, unknown>;
        // The default sort compares UTF-16 code units, which is exactly the canonical order.
        const keys = Object.keys(record).sort();
        out = "{";
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          if (i > 0) out += ",";
          path.push(key);
          out += JSON.stringify(key) + ":" + write(record[key], path, parents);
          path.pop();
        }
        out += "}";
      }
      parents.pop();
      return out;
    }
    case "undefined":
      throw invalid(path, "undefined");
    case "function":
      throw invalid(path, "a function");
    case "bigint":
      throw invalid(path, "a bigint");
    default:
      throw invalid(path, `a ${typeof value}`);
  }
}

function invalid(path: readonly (string | number)[], what: string): TypeError {
  const where = path.length === 0 ? "the value" : `"${formatPath(path)}"`;
  return new TypeError(`Cannot write config as JSON: ${where} is ${what}`);
}

function formatPath(path: readonly (string | number)[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? part : `.${part}`;
  }
  return text;
}
