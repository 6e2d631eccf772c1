/**
 * Trial names derived from swept values, in the style of Hydra's `override_dirname`:
 * `lr=0.1,model.depth=2`.
 *
 * @module
 */

import { canonicalJson } from "./canonical.ts";
import type { Json } from "./model.ts";
import type { SweepPoint } from "./sweep.ts";

/** Maps and lists whose compact JSON is longer than this are named by a hash instead. */
const MAX_INLINE_JSON = 24;

/**
 * Names each point after its assignments, deterministically and uniquely.
 *
 * A name is `path=value` per assignment, in axis order, joined by `,`, with a leading `**`
 * dropped from the path. Numbers are written in shortest form, except that non-integers drawn by a
 * random axis show at most 4 significant digits. Strings are written as is, or as a JSON string
 * when empty or containing `,`, `=` or whitespace. Maps and lists are written as canonical JSON,
 * or when that is longer than 24 characters as the 8 hex digits of its FNV-1a hash. A point with
 * no assignments is `default`. When names repeat, the first keeps the name and the later ones get
 * `~2`, `~3`, … in order, skipping any name already used.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { trialNames } from "./name.ts";
 * assert.deepEqual(
 *   trialNames([
 *     { grid: 0, index: [0], assignments: [["lr", 0.1], ["**model", { depth: 2 }]] },
 *     { grid: 0, index: [1], assignments: [["lr", 0.1], ["**model", { depth: 2 }]] },
 *     { grid: 1, index: [], assignments: [] },
 *   ]),
 *   ['lr=0.1,model={"depth":2}', 'lr=0.1,model={"depth":2}~2', "default"],
 * );
 * ```
 */
export function trialNames(points: readonly SweepPoint[]): string[] {
  // Points of a sweep share their axis values, so each `path=value` part is formatted once.
  const parts = new Map<string, Map<Json, string>>();
  const bases = points.map((point) => baseName(point, parts));
  // Every base name is reserved up front, so a suffixed name never takes one a later point needs.
  const taken = new Set(bases);
  const seen = new Set<string>();
  const nextSuffix = new Map<string, number>();
  return bases.map((base) => {
    if (!seen.has(base)) {
      seen.add(base);
      return base;
    }
    let suffix = nextSuffix.get(base) ?? 2;
    let name = `${base}~${suffix}`;
    while (taken.has(name)) name = `${base}~${++suffix}`;
    nextSuffix.set(base, suffix + 1);
    taken.add(name);
    return name;
  });
}

function baseName(point: SweepPoint, cache: Map<string, Map<Json, string>>): string {
  const { assignments } = point;
  if (assignments.length === 0) return "default";
  const parts = new Array<string>(assignments.length);
  for (let i = 0; i < assignments.length; i++) {
    const [path, value, random] = assignments[i]!;
    // Drawn values print differently, so they get their own cache.
    const key = random ? `~${path}` : path;
    let byValue = cache.get(key);
    if (byValue === undefined) cache.set(key, byValue = new Map());
    let part = byValue.get(value);
    if (part === undefined) {
      part = `${path.startsWith("**") ? path.slice(2) : path}=${formatValue(value, random)}`;
      byValue.set(value, part);
    }
    parts[i] = part;
  }
  return parts.join(",");
}

function formatValue(value: Json, random: true | undefined): string {
  switch (typeof value) {
    case "number":
      if (random && !Number.isInteger(value)) return String(Number(value.toPrecision(4)));
      return String(value);
    case "string":
      return value === "" || /[,=\s]/.test(value) ? JSON.stringify(value) : value;
    case "boolean":
      return value ? "true" : "false";
    default: {
      if (value === null) return "null";
      const json = canonicalJson(value);
      return json.length <= MAX_INLINE_JSON ? json : fnv1a(json);
    }
  }
}

// 32-bit FNV-1a over the UTF-8 bytes: tiny, synchronous, and easy to reproduce in other tools.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  const mix = (byte: number) => {
    hash = Math.imul(hash ^ byte, 0x01000193);
  };
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      mix(code);
    } else if (code < 0x800) {
      mix(0xc0 | (code >> 6));
      mix(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      mix(0xe0 | (code >> 12));
      mix(0x80 | ((code >> 6) & 0x3f));
      mix(0x80 | (code & 0x3f));
    } else {
      mix(0xf0 | (code >> 18));
      mix(0x80 | ((code >> 12) & 0x3f));
      mix(0x80 | ((code >> 6) & 0x3f));
      mix(0x80 | (code & 0x3f));
    }
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
