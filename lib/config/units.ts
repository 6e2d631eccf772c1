/**
 * Durations (`timeout: 10m`) and sizes (`memory: 4G`) as written in experiment files.
 *
 * @module
 */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * Milliseconds of a duration: a number of seconds, or a string of number+unit parts
 * (`500ms`, `90s`, `10m`, `2h`, `1h30m`); `undefined` when it is not one.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDuration } from "./units.ts";
 * assert.equal(parseDuration("1h30m"), 5_400_000);
 * assert.equal(parseDuration(2.5), 2500);
 * assert.equal(parseDuration("soon"), undefined);
 * ```
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") {
    return value > 0 && Number.isFinite(value) ? value * 1000 : undefined;
  }
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    return /^\d+(\.\d+)?$/.test(text) ? parseDuration(Number(text)) : undefined;
  }
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * DURATION_UNITS[unit!]!;
  }
  return total > 0 ? total : undefined;
}

/**
 * Bytes of a size: a number of megabytes (Slurm's convention), or a string with a binary unit
 * (`512M`, `4G`, `4GB`, `4GiB`, `1T`); `undefined` when it is not one.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSize } from "./units.ts";
 * assert.equal(parseSize("4G"), 4 * 2 ** 30);
 * assert.equal(parseSize(512), 512 * 2 ** 20);
 * ```
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === "number") {
    return value > 0 && Number.isFinite(value) ? Math.round(value * 2 ** 20) : undefined;
  }
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt])(?:i?b)?$/i.exec(value.trim());
  if (!match) return undefined;
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!);
  return bytes > 0 ? bytes : undefined;
}
