/**
 * How values read in tables: durations, rounded numbers, and structs without their NULL keys.
 *
 * @module
 */

/**
 * `0.42s`, `12.3s`, `3m04s`, `2h05m`; `NULL` for none.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDuration } from "./display.ts";
 * assert.equal(formatDuration(0.421), "0.42s");
 * assert.equal(formatDuration(184), "3m04s");
 * assert.equal(formatDuration(7500), "2h05m");
 * ```
 */
export function formatDuration(seconds: unknown): string | null {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return null;
  if (seconds < 10) return `${seconds.toFixed(2)}s`;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** A number to 5 significant digits (integers as they are); other values unchanged. */
export function formatNumber(value: unknown): unknown {
  if (typeof value !== "number" || Number.isInteger(value)) return value;
  return Number(value.toPrecision(5));
}

/**
 * A copy of a struct without NULL leaves and without objects left empty; `undefined` when
 * nothing is left.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { pruneNulls } from "./display.ts";
 * assert.deepEqual(pruneNulls({ lr: 0.1, split: null, model: { depth: null } }), { lr: 0.1 });
 * ```
 */
export function pruneNulls(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = pruneNulls(v);
    if (kept !== undefined) out[k] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
