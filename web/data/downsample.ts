/**
 * Min/max downsampling of a step series: the step range is cut into equal buckets and each
 * bucket keeps its lowest and its highest point, in step order. Spikes survive (a mean would
 * hide a divergence), and a chart of 100,000 points draws from at most 2 points per bucket.
 * The index does the same in SQL (`series.ts`); this one serves trials read from their files.
 *
 * @module
 */

/** A series, columnar; `time` in seconds since the epoch (`null` when unknown). */
export interface SeriesPoints {
  /** Steps, ascending. */
  step: number[];
  /** Values (finite). */
  value: number[];
  /** Times. */
  time: (number | null)[];
}

/**
 * `points` with at most `maxPoints` points, keeping each bucket's min and max; unchanged when
 * already small enough. Points must be sorted by step.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { downsampleMinMax } from "./downsample.ts";
 * const step = Array.from({ length: 1000 }, (_, i) => i);
 * const value = step.map((s) => (s === 500 ? 100 : 1));
 * const out = downsampleMinMax({ step, value, time: step.map(() => null) }, 100);
 * assert.ok(out.step.length <= 100);
 * assert.ok(out.value.includes(100));
 * ```
 */
export function downsampleMinMax(points: SeriesPoints, maxPoints: number): SeriesPoints {
  const n = points.step.length;
  if (n <= maxPoints) return points;
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const lo = points.step[0]!;
  const span = points.step[n - 1]! - lo + 1;
  const out: SeriesPoints = { step: [], value: [], time: [] };
  let bucket = -1;
  let min = -1;
  let max = -1;
  const flush = () => {
    if (bucket < 0) return;
    const first = Math.min(min, max);
    const second = Math.max(min, max);
    for (const i of first === second ? [first] : [first, second]) {
      out.step.push(points.step[i]!);
      out.value.push(points.value[i]!);
      out.time.push(points.time[i] ?? null);
    }
  };
  for (let i = 0; i < n; i++) {
    const b = Math.min(buckets - 1, Math.floor(((points.step[i]! - lo) * buckets) / span));
    if (b !== bucket) {
      flush();
      bucket = b;
      min = i;
      max = i;
      continue;
    }
    if (points.value[i]! < points.value[min]!) min = i;
    if (points.value[i]! > points.value[max]!) max = i;
  }
  flush();
  return out;
}
