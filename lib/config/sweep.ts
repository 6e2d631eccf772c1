/**
 * Expands a sweep as written (`sweep:` in `xp.yaml`, `sweep` in `xp.ts`) into its points: one
 * list of key assignments per trial, plus the sweep's shape so results can be indexed later like
 * a tensor.
 *
 * A map is one grid, the cartesian product of its axes in written order (the last axis varies
 * fastest, like nested loops). A list of maps concatenates grids. An axis is a list of values or a
 * spec: `range`, `linspace`, `logspace`, or the random `uniform`, `loguniform`, `randint`, `choice`
 * drawn `samples:` times from a generator seeded by `seed:` (default 0).
 *
 * @module
 */

import { ConfigError } from "../errors.ts";
import { count, describe, fail, type Where } from "./_sweep_errors.ts";
import type { Json, JsonObject, Locate, SweepSpec } from "./model.ts";
import { seededRandom } from "./random.ts";
import { isPlainObject, planAxis, type PlannedAxis, SWEEP_LIMIT } from "./sweep_axis.ts";

// The limit lives with the axes, which check it first; it is part of this module's API.
export { SWEEP_LIMIT };

/** One swept key and the values it takes along one dimension of its grid. */
export interface Axis {
  /** The key as written: `lr`, `model.depth`, `**model`. */
  path: string;
  /** The values in order; for a random axis, the value drawn for each sample. */
  values: Json[];
  /** Which entry of {@linkcode SweepPoint.index} selects this axis's value. */
  dim: number;
  /** Set on random axes: they share their grid's sample dimension. */
  random?: true;
}

/**
 * One cartesian product of axes.
 *
 * Each list axis has its own dimension, in written order; the random axes of a grid share one
 * more dimension, the last, whose length is `samples`. A point's value for an axis is
 * `axis.values[point.index[axis.dim]]`.
 */
export interface Grid {
  /** The axes in written order. */
  axes: Axis[];
  /** The length of each index dimension: the grid's shape. */
  dims: number[];
  /** How many times the random axes were drawn; only for random grids. */
  samples?: number;
  /** The seed the random axes were drawn with; only for random grids. */
  seed?: number;
}

/** The shape of a sweep: its grids in order, so results can be indexed like pyexp's `Tensor`. */
export interface SweepShape {
  /** The grids; none when nothing is swept. */
  grids: Grid[];
}

/** One key set by a sweep point: the path as written, the value, and `true` if it was drawn. */
export type Assignment = [path: string, value: Json, random?: true];

/** One trial's place in the sweep and the keys it sets. */
export interface SweepPoint {
  /** Index into {@linkcode SweepShape.grids}; 0 when the shape has no grids. */
  grid: number;
  /** The position along each of the grid's dimensions; empty when nothing is swept. */
  index: number[];
  /** The keys to set, in axis order; apply them in order (later ones win). */
  assignments: Assignment[];
}

/** A sweep's shape and its points, grid by grid, in index order. */
export interface ExpandedSweep {
  /** The grids the points belong to. */
  shape: SweepShape;
  /** Every point: those of grid 0, then grid 1, and so on. */
  points: SweepPoint[];
}

interface PlannedGrid {
  where: Where;
  axes: PlannedAxis[];
  dims: number[];
  count: number;
  samples: number | undefined;
  seed: number | undefined;
}

const SAMPLES_HINT = "samples: N draws the random axes N times, from a generator seeded by seed: " +
  "(an integer, 0 by default)";

/**
 * Expands a sweep spec into its points; `locate` receives paths like `["sweep", "lr"]`.
 *
 * No spec gives one point with no assignments and a shape with no grids.
 *
 * @throws {ConfigError} on an invalid axis or spec, located with `locate`, or when the sweep would
 * have more than {@linkcode SWEEP_LIMIT} points
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { expandSweep } from "./sweep.ts";
 * const sweep = expandSweep(
 *   { lr: [0.1, 0.01], "model.depth": { range: [2, 6, 2] } },
 *   () => ({ file: "xp.yaml" }),
 * );
 * assert.equal(sweep.points.length, 4);
 * assert.deepEqual(sweep.points[1]!.assignments, [["lr", 0.1], ["model.depth", 4]]);
 * assert.deepEqual(sweep.points[1]!.index, [0, 1]);
 * ```
 */
export function expandSweep(spec: SweepSpec | undefined, locate: Locate): ExpandedSweep {
  if (spec === undefined) {
    return { shape: { grids: [] }, points: [{ grid: 0, index: [], assignments: [] }] };
  }
  const maps: [JsonObject, Where][] = [];
  if (Array.isArray(spec)) {
    if (spec.length === 0) {
      throw fail(locate, [], "Cannot expand sweep: the list of grids is empty", {
        hint: "remove sweep: or give it at least one map of axes",
      });
    }
    spec.forEach((item: unknown, i) => {
      if (!isPlainObject(item)) {
        throw fail(
          locate,
          [i],
          `Cannot expand sweep: item ${i} of the list is ${describe(item)}, not a map of axes`,
          { hint: "each item of a sweep list is a grid, e.g. - { lr: [0.1, 0.01] }" },
        );
      }
      maps.push([item, [i]]);
    });
  } else if (isPlainObject(spec)) {
    maps.push([spec, []]);
  } else {
    throw fail(
      locate,
      [],
      `Cannot expand sweep: expected a map of axes or a list of maps, got ${describe(spec)}`,
    );
  }

  const planned = maps.map(([map, where]) => planGrid(map, where, locate));
  const total = planned.reduce((sum, grid) => sum + grid.count, 0);
  if (total > SWEEP_LIMIT) {
    throw fail(
      locate,
      [],
      `Cannot expand sweep: its ${planned.length} grids make ${count(total)} points, ` +
        `more than the limit of ${count(SWEEP_LIMIT)}`,
      { hint: "sweep fewer values, or run the grids as separate experiments" },
    );
  }

  const grids: Grid[] = [];
  const points: SweepPoint[] = [];
  planned.forEach((plan, g) => grids.push(fillGrid(plan, g, points)));
  return { shape: { grids }, points };
}

/**
 * Combines two sweeps as a product: every `outer` point with every `inner` point, assignments
 * concatenated (outer first, so inner ones win when applied in order).
 *
 * Outer grid `i` and inner grid `j` make product grid `i * innerGrids + j`, whose axes are the
 * outer grid's then the inner grid's (inner dims shifted after the outer ones) and whose points'
 * indexes are the outer index followed by the inner index. Product grids come in that order, each
 * with all its points (outer-major), so with one grid on each side the points are simply every
 * outer point with every inner point. A product grid keeps `samples`/`seed` when exactly one of
 * its two grids is random; the `random` flags on its axes always tell. A sweep with no grids is
 * the identity, and the other sweep is returned as is.
 *
 * @throws {ConfigError} when the product would have more than {@linkcode SWEEP_LIMIT} points
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { expandSweep, productSweeps } from "./sweep.ts";
 * const locate = () => ({ file: "xp.yaml" });
 * const both = productSweeps(expandSweep({ a: [1, 2] }, locate), expandSweep({ b: [3] }, locate));
 * assert.deepEqual(both.points.map((p) => p.assignments), [
 *   [["a", 1], ["b", 3]],
 *   [["a", 2], ["b", 3]],
 * ]);
 * ```
 */
export function productSweeps(outer: ExpandedSweep, inner: ExpandedSweep): ExpandedSweep {
  if (outer.shape.grids.length === 0) return inner;
  if (inner.shape.grids.length === 0) return outer;
  const total = outer.points.length * inner.points.length;
  if (total > SWEEP_LIMIT) {
    throw new ConfigError(
      `Cannot expand sweep: ${count(outer.points.length)} × ${count(inner.points.length)} ` +
        `points make ${count(total)}, more than the limit of ${count(SWEEP_LIMIT)}`,
      { hint: "sweep fewer values at the stage or at the experiment level" },
    );
  }
  const outerByGrid = byGrid(outer);
  const innerByGrid = byGrid(inner);
  const grids: Grid[] = [];
  const points: SweepPoint[] = [];
  outer.shape.grids.forEach((og, i) => {
    inner.shape.grids.forEach((ig, j) => {
      const g = i * inner.shape.grids.length + j;
      grids.push(productGrid(og, ig));
      for (const op of outerByGrid[i] ?? []) {
        for (const ip of innerByGrid[j] ?? []) {
          points.push({
            grid: g,
            index: [...op.index, ...ip.index],
            assignments: [...op.assignments, ...ip.assignments],
          });
        }
      }
    });
  });
  return { shape: { grids }, points };
}

function productGrid(outer: Grid, inner: Grid): Grid {
  const shift = outer.dims.length;
  const grid: Grid = {
    axes: [...outer.axes, ...inner.axes.map((axis) => ({ ...axis, dim: axis.dim + shift }))],
    dims: [...outer.dims, ...inner.dims],
  };
  // With two random grids there are two sample dimensions, and one samples/seed pair would lie.
  if ((outer.samples === undefined) !== (inner.samples === undefined)) {
    const random = outer.samples !== undefined ? outer : inner;
    if (random.samples !== undefined) grid.samples = random.samples;
    if (random.seed !== undefined) grid.seed = random.seed;
  }
  return grid;
}

function byGrid(sweep: ExpandedSweep): SweepPoint[][] {
  const groups: SweepPoint[][] = sweep.shape.grids.map(() => []);
  for (const point of sweep.points) groups[point.grid]?.push(point);
  return groups;
}

function planGrid(map: JsonObject, where: Where, locate: Locate): PlannedGrid {
  const axes: PlannedAxis[] = [];
  let samples: number | undefined;
  let seed: number | undefined;
  for (const key of Object.keys(map)) {
    const value: unknown = map[key];
    // A number under samples/seed controls the draws; a list or a spec sweeps a param of that name.
    if (key === "samples" && typeof value === "number") {
      if (!isInteger(value) || value < 1) {
        throw fail(
          locate,
          [...where, key],
          `Cannot expand sweep: samples must be a positive integer, got ${describe(value)}`,
          { hint: SAMPLES_HINT },
        );
      }
      samples = value;
    } else if (key === "seed" && typeof value === "number") {
      if (!isInteger(value)) {
        throw fail(
          locate,
          [...where, key],
          `Cannot expand sweep: seed must be an integer, got ${describe(value)}`,
          { hint: SAMPLES_HINT },
        );
      }
      seed = value;
    } else {
      axes.push(planAxis(key, value, [...where, key], locate));
    }
  }

  const firstRandom = axes.find((axis) => axis.draw !== undefined);
  if (firstRandom === undefined) {
    for (const [key, given] of [["samples", samples], ["seed", seed]] as const) {
      if (given === undefined) continue;
      throw fail(
        locate,
        [...where, key],
        `Cannot expand sweep: ${key} is set but no axis in this map is random`,
        {
          hint: "samples and seed go with uniform, loguniform, randint or choice axes; " +
            `to sweep a param named ${key}, give a list: ${key}: [0, 1, 2]`,
        },
      );
    }
  } else if (samples === undefined) {
    throw fail(
      locate,
      firstRandom.where,
      `Cannot expand sweep "${firstRandom.path}": a random axis needs "samples" in the same map`,
      { hint: "add samples: N (how many draws) and optionally seed: to this sweep map" },
    );
  }

  const dims: number[] = [];
  for (const axis of axes) if (axis.values !== undefined) dims.push(axis.values.length);
  if (samples !== undefined) dims.push(samples);
  const total = dims.reduce((product, n) => product * n, 1);
  if (total > SWEEP_LIMIT) {
    const which = where.length === 0 ? "it" : `grid ${where[0]}`;
    const factors = dims.map(count).join(" × ");
    throw fail(
      locate,
      where,
      `Cannot expand sweep: ${which} makes ${count(total)} points (${factors}), ` +
        `more than the limit of ${count(SWEEP_LIMIT)}`,
      { hint: "sweep fewer values, or fewer samples" },
    );
  }
  return {
    where,
    axes,
    dims,
    count: total,
    samples,
    seed: samples === undefined ? undefined : seed ?? 0,
  };
}

function fillGrid(plan: PlannedGrid, g: number, points: SweepPoint[]): Grid {
  const samples = plan.samples ?? 0;
  const random = plan.seed === undefined ? undefined : seededRandom(plan.seed);
  const drawn = plan.axes.map((axis) => axis.values ?? new Array<Json>(samples));
  // Sample by sample, each random axis in written order, all from one generator: adding samples
  // keeps the earlier draws.
  if (random !== undefined) {
    for (let s = 0; s < samples; s++) {
      plan.axes.forEach((axis, k) => {
        if (axis.draw !== undefined) drawn[k]![s] = axis.draw(random);
      });
    }
  }
  const sampleDim = plan.dims.length - 1;
  let listDim = 0;
  const axes: Axis[] = plan.axes.map((axis, k) => {
    if (axis.draw === undefined) return { path: axis.path, values: drawn[k]!, dim: listDim++ };
    return { path: axis.path, values: drawn[k]!, dim: sampleDim, random: true };
  });
  const grid: Grid = { axes, dims: plan.dims };
  if (plan.samples !== undefined) grid.samples = plan.samples;
  if (plan.seed !== undefined) grid.seed = plan.seed;

  const dims = plan.dims;
  const position = dims.map(() => 0);
  for (let p = 0; p < plan.count; p++) {
    const assignments: Assignment[] = new Array(axes.length);
    for (let k = 0; k < axes.length; k++) {
      const axis = axes[k]!;
      const value = axis.values[position[axis.dim]!]!;
      assignments[k] = axis.random ? [axis.path, value, true] : [axis.path, value];
    }
    points.push({ grid: g, index: position.slice(), assignments });
    // An odometer: the last dimension turns fastest, like nested loops.
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++position[d]! < dims[d]!) break;
      position[d] = 0;
    }
  }
  return grid;
}

function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}
