/**
 * The candidates closest to a mistyped name, for "did you mean" lists.
 *
 * @module
 */

import { editDistance } from "../suggest.ts";

/**
 * Up to `n` candidates within a small edit distance of `word` (case-insensitive), closest first;
 * a candidate that contains `word` or is contained by it counts as close, and so does a dotted
 * name whose last part is close (`depht` finds `model.depth`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { closest } from "./closest.ts";
 * assert.deepEqual(closest("acuracy", ["accuracy", "loss", "acc"], 2), ["accuracy"]);
 * assert.deepEqual(closest("depth", ["model.depth", "width"], 2), ["model.depth"]);
 * ```
 */
export function closest(word: string, candidates: readonly string[], n: number): string[] {
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  return candidates
    .map((candidate) => {
      const other = candidate.toLowerCase();
      const contains = other.includes(lower) || lower.includes(other);
      const last = other.slice(other.lastIndexOf(".") + 1);
      const distance = Math.min(editDistance(lower, other), editDistance(lower, last));
      return { candidate, score: contains ? Math.min(distance, limit) : distance };
    })
    .filter((c) => c.score <= limit)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, n)
    .map((c) => c.candidate);
}
