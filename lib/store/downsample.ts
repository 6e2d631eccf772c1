/**
 * Min/max downsampling of a step series: the step range is cut into equal buckets and each
 * bucket keeps its lowest and its highest point, in step order. Spikes survive (a mean would
 * hide a divergence), and a chart of 100,000 points draws from at most 2 points per bucket.
 * Ingest keeps each long series downsampled to {@linkcode LOD_POINTS} in the index (`point_lod`),
 * the viewer's default chart; the viewer does the same in SQL for other sizes and zoomed ranges,
 * and here for trials read from their files.
 *
 * @module
 */

/** Points a series keeps in the index's `point_lod` (1,000 buckets); longer series are cut. */
export const LOD_POINTS = 2000;

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

/** `points` in step order (itself when it already is; a stable sort otherwise). */
export function sortedByStep(points: SeriesPoints): SeriesPoints {
  let sorted = true;
  for (let i = 1; i < points.step.length && sorted; i++) {
    sorted = points.step[i - 1]! <= points.step[i]!;
  }
  if (sorted) return points;
  const order = points.step.map((_, i) => i).sort((a, b) => points.step[a]! - points.step[b]!);
  return {
    step: order.map((i) => points.step[i]!),
    value: order.map((i) => points.value[i]!),
    time: order.map((i) => points.time[i] ?? null),
  };
}
