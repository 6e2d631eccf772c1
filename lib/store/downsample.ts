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

/** A series' columns: arrays, or the index's typed arrays (a time of NaN meaning none). */
export interface SeriesColumns {
  /** Steps, ascending. */
  step: ArrayLike<number>;
  /** Values; non-finite ones are left out. */
  value: ArrayLike<number>;
  /** Times. */
  time: ArrayLike<number | null>;
}

/**
 * The finite points of `points` (of indices `[from, to)`, all by default) with at most
 * `maxPoints` points, keeping each bucket's min and max. Points must be sorted by step.
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
export function downsampleMinMax(
  points: SeriesColumns,
  maxPoints: number,
  from = 0,
  to: number = points.step.length,
): SeriesPoints {
  const { step, value, time } = points;
  const out: SeriesPoints = { step: [], value: [], time: [] };
  const take = (i: number) => {
    out.step.push(step[i]!);
    out.value.push(value[i]!);
    const t = time[i];
    out.time.push(t === null || t === undefined || Number.isNaN(t) ? null : t);
  };
  let first = from;
  while (first < to && !Number.isFinite(value[first]!)) first++;
  let last = to - 1;
  while (last > first && !Number.isFinite(value[last]!)) last--;
  let n = 0;
  for (let i = first; i <= last; i++) if (Number.isFinite(value[i]!)) n++;
  if (n <= maxPoints) {
    for (let i = first; i <= last; i++) if (Number.isFinite(value[i]!)) take(i);
    return out;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const lo = step[first]!;
  const span = step[last]! - lo + 1;
  let bucket = -1;
  let min = -1;
  let max = -1;
  const flush = () => {
    if (bucket < 0) return;
    take(Math.min(min, max));
    if (min !== max) take(Math.max(min, max));
  };
  for (let i = first; i <= last; i++) {
    const v = value[i]!;
    if (!Number.isFinite(v)) continue;
    const b = Math.min(buckets - 1, Math.floor(((step[i]! - lo) * buckets) / span));
    if (b !== bucket) {
      flush();
      bucket = b;
      min = i;
      max = i;
      continue;
    }
    if (v < value[min]!) min = i;
    if (v > value[max]!) max = i;
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
