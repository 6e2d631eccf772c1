/**
 * Django-style lookups for {@linkcode TrialCollection.filter}: `{ lr: 0.1 }`, `lr__lt`, `__le`,
 * `__gt`, `__ge`, `__ne`, `__in`, `__startswith`, `__endswith`, `__contains`, `__isnull`, and
 * `__` between the parts of a nested param (`model__depth__gt`).
 *
 * @module
 */

import { closest } from "./closest.ts";
import { jsonEqual, leafPaths, lookupValue, toNumber, type Trial, TRIAL_FIELDS } from "./trial.ts";

/** Lookups by `name[__part…][__op]`, all of which must hold. */
export type Lookups = Record<string, unknown>;

/** The operators a lookup may end with. */
export const LOOKUP_OPERATORS = [
  "exact",
  "lt",
  "le",
  "lte",
  "gt",
  "ge",
  "gte",
  "ne",
  "in",
  "startswith",
  "endswith",
  "contains",
  "isnull",
] as const;

/** One lookup operator. */
export type LookupOperator = (typeof LOOKUP_OPERATORS)[number];

/** A parsed lookup: which name, which operator, against what. */
export interface Lookup {
  /** The dotted name (`model.depth`). */
  name: string;
  /** The operator. */
  op: LookupOperator;
  /** The value to compare with. */
  value: unknown;
}

/**
 * Parses `lookups` into their names and operators.
 *
 * @throws {TypeError} when `__in` is not given an array
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLookups } from "./lookups.ts";
 * assert.deepEqual(parseLookups({ model__depth__gt: 2 }), [{ name: "model.depth", op: "gt", value: 2 }]);
 * ```
 */
export function parseLookups(lookups: Lookups): Lookup[] {
  return Object.entries(lookups).map(([spec, value]) => {
    const parts = spec.split("__");
    const last = parts.at(-1)!;
    const op = parts.length > 1 && (LOOKUP_OPERATORS as readonly string[]).includes(last)
      ? last as LookupOperator
      : "exact";
    const name = (op === "exact" && last !== "exact" ? parts : parts.slice(0, -1)).join(".");
    if (op === "in" && !Array.isArray(value)) {
      throw new TypeError(`Lookup "${spec}" needs an array, got ${JSON.stringify(value)}`);
    }
    return { name, op, value };
  });
}

/** Whether `trial` satisfies every lookup; a trial without the name matches only `__isnull`. */
export function matchesLookups(trial: Trial, lookups: readonly Lookup[]): boolean {
  return lookups.every((lookup) => {
    const found = lookupValue(trial, lookup.name);
    const value = found?.value;
    if (lookup.op === "isnull") {
      return (value === undefined || value === null) === Boolean(lookup.value);
    }
    if (found === undefined) return false;
    return test(lookup.op, value, lookup.value);
  });
}

function test(op: LookupOperator, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case "exact":
      return jsonEqual(actual, expected);
    case "ne":
      return !jsonEqual(actual, expected);
    case "in":
      return (expected as unknown[]).some((e) => jsonEqual(actual, e));
    case "lt":
      return compare(actual, expected, (c) => c < 0);
    case "le":
    case "lte":
      return compare(actual, expected, (c) => c <= 0);
    case "gt":
      return compare(actual, expected, (c) => c > 0);
    case "ge":
    case "gte":
      return compare(actual, expected, (c) => c >= 0);
    case "startswith":
      return typeof actual === "string" && actual.startsWith(String(expected));
    case "endswith":
      return typeof actual === "string" && actual.endsWith(String(expected));
    case "contains":
      if (typeof actual === "string") return actual.includes(String(expected));
      return Array.isArray(actual) && actual.some((a) => jsonEqual(a, expected));
    case "isnull":
      return actual === null;
  }
}

/** Orders numbers numerically and strings by code point; NaN and mixed types never match. */
function compare(actual: unknown, expected: unknown, holds: (c: number) => boolean): boolean {
  const a = toNumber(actual);
  const e = toNumber(expected);
  if (a !== undefined && e !== undefined) {
    if (Number.isNaN(a) || Number.isNaN(e)) return false;
    return holds(a < e ? -1 : a > e ? 1 : 0);
  }
  if (typeof actual === "string" && typeof expected === "string") {
    return holds(actual < expected ? -1 : actual > expected ? 1 : 0);
  }
  return false;
}

/**
 * Throws when a lookup names something no trial of `trials` has, with the closest names, so
 * a typo does not silently give an empty result.
 */
export function checkLookupNames(trials: readonly Trial[], lookups: readonly Lookup[]): void {
  for (const lookup of lookups) {
    if (trials.length === 0 || trials.some((t) => lookupValue(t, lookup.name) !== undefined)) {
      continue;
    }
    const names = new Set<string>(Object.keys(TRIAL_FIELDS));
    for (const t of trials.slice(0, 200)) {
      for (const p of leafPaths(t.effectiveParams)) names.add(p);
      for (const m of Object.keys(t.metrics)) names.add(m);
    }
    const near = closest(lookup.name, [...names], 3).map((n) => n.replaceAll(".", "__"));
    throw new TypeError(
      `No trial has "${lookup.name.replaceAll(".", "__")}"` +
        (near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(" or ")}?` : ""),
    );
  }
}
