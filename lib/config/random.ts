/**
 * A small seeded random number generator for random sweeps: the same seed draws the same values
 * on every run and every platform, which `Math.random()` cannot promise.
 *
 * @module
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/**
 * Returns a generator of floats in [0, 1) seeded by the integer `seed` (sfc32 with 53-bit floats).
 *
 * @throws {RangeError} when `seed` is not a safe integer
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "./random.ts";
 * const a = seededRandom(42);
 * const b = seededRandom(42);
 * assert.equal(a(), b());
 * ```
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Cannot seed the random generator with ${seed}: expected a safe integer`);
  }
  // Both 32-bit halves of the seed feed the state, so seeds that differ only above bit 32 (or
  // only in sign) still give different streams.
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  let a = fmix32(low ^ 0x9e3779b9);
  let b = fmix32(high ^ 0x243f6a88);
  let c = fmix32((low + 0x85a308d3) >>> 0);
  let d = fmix32((high + 0x13198a2e) >>> 0);
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // sfc32's first outputs still show the structure of the seed; the usual warm-up discards them.
  for (let i = 0; i < 15; i++) next();
  return () => {
    const high27 = next() >>> 5;
    const low26 = next() >>> 6;
    return (high27 * 67108864 + low26) / TWO_POW_53;
  };
}

// MurmurHash3's finalizer: spreads every input bit over the whole word.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
