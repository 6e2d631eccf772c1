/**
 * Checks that a value is JSON before it is written (a result, a param, a Plotly spec, a
 * checkpoint), so that what JSON.stringify would silently drop or mangle fails with the path of
 * the offending value instead.
 *
 * @module
 */

import type { Json } from "./experiment.ts";

/**
 * Returns a JSON copy of `value` (after `toJSON()`, without `undefined` properties), or throws a
 * TypeError naming the path (from `root`, e.g. `result.model.weights`) of the first value JSON
 * cannot hold: a function, a symbol, a BigInt, a cycle, a class instance without `toJSON()`.
 * Non-finite numbers are kept; the protocol encodes them as strings.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { toJsonValue } from "./json.ts";
 * assert.deepEqual(toJsonValue({ a: [1, NaN], b: undefined }, "result"), { a: [1, NaN] });
 * assert.throws(
 *   () => toJsonValue({ model: { weights: () => 0 } }, "result"),
 *   /result\.model\.weights is a function/,
 * );
 * ```
 */
export function toJsonValue(value: unknown, root: string): Json {
  return walk(value, root, "", new Map()) ?? null;
}

/** Walks one value; `undefined` means "leave out" (an `undefined` property, as JSON does). */
function walk(
  value: unknown,
  path: string,
  key: string,
  parents: Map<object, string>,
): Json | undefined {
  if (
    value !== null && typeof value === "object" &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  ) {
    // As JSON.stringify does: toJSON() is called once, with the key, and its result is what counts.
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "undefined":
      return undefined;
    case "function":
      throw new TypeError(
        `${path} is a function; JSON cannot hold it (leave it out, or keep what it returns)`,
      );
    case "symbol":
      throw new TypeError(`${path} is a symbol; JSON cannot hold it (use a string)`);
    case "bigint":
      throw new TypeError(
        `${path} is a BigInt (${value}n); JSON cannot hold it (convert it with Number() or String())`,
      );
  }
  if (value === null) return null;
  const object = value as object;
  const seen = parents.get(object);
  if (seen !== undefined) {
    throw new TypeError(`${path} refers back to ${seen} (a cycle); JSON cannot hold cycles`);
  }
  parents.set(object, path);
  try {
    if (Array.isArray(object)) {
      return object.map((item, index) =>
        walk(item, `${path}[${index}]`, String(index), parents) ?? null
      );
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      if (object instanceof Number || object instanceof String || object instanceof Boolean) {
        return object.valueOf() as number | string | boolean;
      }
      throw new TypeError(
        `${path} is ${instanceDescription(object)}; JSON cannot hold it (${instanceHint(object)})`,
      );
    }
    const copy: { [key: string]: Json } = {};
    for (const name of Object.keys(object)) {
      const item = walk(
        (object as Record<string, unknown>)[name],
        childPath(path, name),
        name,
        parents,
      );
      if (item !== undefined) copy[name] = item;
    }
    return copy;
  } finally {
    parents.delete(object);
  }
}

function childPath(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function instanceDescription(object: object): string {
  const name = object.constructor?.name;
  return name ? `an instance of ${name}` : "an object with a prototype";
}

function instanceHint(object: object): string {
  if (ArrayBuffer.isView(object)) return "convert it with Array.from()";
  if (object instanceof Map) return "convert it with Object.fromEntries(map)";
  if (object instanceof Set) return "convert it with [...set]";
  return "use a plain object, or give its class a toJSON() method";
}
