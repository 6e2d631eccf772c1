import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import type { SourcePosition } from "../../lib/errors.ts";
import { roundGenerated } from "../../lib/config/canonical.ts";
import type { Json, SweepSpec } from "../../lib/config/model.ts";
import { seededRandom } from "../../lib/config/random.ts";
import {
  type Assignment,
  type ExpandedSweep,
  expandSweep,
  productSweeps,
} from "../../lib/config/sweep.ts";

function locate(path: readonly (string | number)[]): SourcePosition {
  return { file: "xp.yaml", line: path.length, column: 1 };
}

/** A locate that remembers every path it was asked for. */
function recorder(): { paths: (string | number)[][]; locate: typeof locate } {
  const paths: (string | number)[][] = [];
  return {
    paths,
    locate: (path) => {
      paths.push([...path]);
      return locate(path);
    },
  };
}

function expand(spec: unknown): ExpandedSweep {
  return expandSweep(spec as SweepSpec, locate);
}

function assignments(sweep: ExpandedSweep): Assignment[][] {
  return sweep.points.map((point) => point.assignments);
}

/** The values of the only axis of the only grid. */
function axisValues(spec: Json): Json[] {
  const sweep = expand({ x: spec });
  assert.equal(sweep.shape.grids.length, 1);
  return sweep.points.map((point) => point.assignments[0]![1]);
}

Deno.test("expandSweep() returns one empty point without a sweep", () => {
  assert.deepEqual(expandSweep(undefined, locate), {
    shape: { grids: [] },
    points: [{ grid: 0, index: [], assignments: [] }],
  });
});

Deno.test("expandSweep() expands an empty map into one grid with one empty point", () => {
  assert.deepEqual(expand({}), {
    shape: { grids: [{ axes: [], dims: [] }] },
    points: [{ grid: 0, index: [], assignments: [] }],
  });
});

Deno.test("expandSweep() expands two keys into their product", () => {
  const sweep = expand({ lr: [0.1, 0.01], "model.depth": [2, 4, 8] });
  assert.deepEqual(sweep.shape, {
    grids: [{
      axes: [
        { path: "lr", values: [0.1, 0.01], dim: 0 },
        { path: "model.depth", values: [2, 4, 8], dim: 1 },
      ],
      dims: [2, 3],
    }],
  });
  // The last axis varies fastest, like nested loops.
  assert.deepEqual(sweep.points, [
    { grid: 0, index: [0, 0], assignments: [["lr", 0.1], ["model.depth", 2]] },
    { grid: 0, index: [0, 1], assignments: [["lr", 0.1], ["model.depth", 4]] },
    { grid: 0, index: [0, 2], assignments: [["lr", 0.1], ["model.depth", 8]] },
    { grid: 0, index: [1, 0], assignments: [["lr", 0.01], ["model.depth", 2]] },
    { grid: 0, index: [1, 1], assignments: [["lr", 0.01], ["model.depth", 4]] },
    { grid: 0, index: [1, 2], assignments: [["lr", 0.01], ["model.depth", 8]] },
  ]);
});

Deno.test("expandSweep() keeps the written key order, whatever the names", () => {
  const sweep = expand({ z: [1], "**model": [{ a: 1 }], a: [2] });
  assert.deepEqual(sweep.points[0]!.assignments, [["z", 1], ["**model", { a: 1 }], ["a", 2]]);
});

Deno.test("expandSweep() expands three axes with the last varying fastest", () => {
  const sweep = expand({ a: [1, 2], b: [1, 2], c: [1, 2] });
  assert.deepEqual(
    sweep.points.map((point) => point.index),
    [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1]],
  );
  for (const point of sweep.points) {
    assert.deepEqual(point.assignments.map(([, value]) => value), point.index.map((i) => i + 1));
  }
});

Deno.test("expandSweep() concatenates the grids of a list", () => {
  const sweep = expand([{ lr: [0.1, 0.01] }, { "model.depth": [2] }, {}]);
  assert.deepEqual(sweep.shape.grids.map((grid) => grid.dims), [[2], [1], []]);
  assert.deepEqual(sweep.points, [
    { grid: 0, index: [0], assignments: [["lr", 0.1]] },
    { grid: 0, index: [1], assignments: [["lr", 0.01]] },
    { grid: 1, index: [0], assignments: [["model.depth", 2]] },
    { grid: 2, index: [], assignments: [] },
  ]);
});

Deno.test("expandSweep() takes any JSON as a listed value", async (t) => {
  const cases: [string, Json[]][] = [
    ["numbers", [1, 0.5, -3]],
    ["strings", ["adam", "sgd", ""]],
    ["booleans and null", [true, false, null]],
    ["maps", [{ depth: 2, width: 64 }, {}]],
    ["lists", [[1, 2], []]],
    ["a mix", [1, "a", [null], { b: { c: [true] } }]],
  ];
  for (const [name, values] of cases) {
    await t.step(name, () => assert.deepEqual(axisValues(values), values));
  }
});

Deno.test("expandSweep() copies the lists it is given", () => {
  const values = [1, 2];
  const sweep = expand({ x: values });
  values.push(3);
  assert.deepEqual(sweep.shape.grids[0]!.axes[0]!.values, [1, 2]);
});

Deno.test("expandSweep() expands range specs with stop excluded", async (t) => {
  const cases: [string, Json, Json[]][] = [
    ["start and stop", [0, 5], [0, 1, 2, 3, 4]],
    ["a step", [2, 8, 2], [2, 4, 6]],
    ["a step that does not divide the span", [0, 10, 3], [0, 3, 6, 9]],
    ["a negative step", [5, 0, -2], [5, 3, 1]],
    ["negative numbers", [-1, -4, -1], [-1, -2, -3]],
    ["one value", [7, 8], [7]],
    ["float steps, rounded", [0, 1, 0.1], [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]],
    ["a float stop just above the quotient", [0, 0.3, 0.1], [0, 0.1, 0.2]],
    ["a float stop", [0, 0.7, 0.1], [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]],
    ["a float start", [1.5, 4], [1.5, 2.5, 3.5]],
    ["a float step down", [1, 0, -0.25], [1, 0.75, 0.5, 0.25]],
    ["a float stop with an integer step", [0, 2.5], [0, 1, 2]],
    ["large integers stay exact", [2 ** 52, 2 ** 52 + 3], [2 ** 52, 2 ** 52 + 1, 2 ** 52 + 2]],
  ];
  for (const [name, args, expected] of cases) {
    await t.step(name, () => assert.deepEqual(axisValues({ range: args }), expected));
  }
});

Deno.test("expandSweep() keeps integer ranges integers", () => {
  assert.ok(axisValues({ range: [0, 1000, 7] }).every((v) => Number.isInteger(v)));
});

Deno.test("expandSweep() expands linspace specs with both ends included", async (t) => {
  const tenths = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  const cases: [string, Json, Json[]][] = [
    ["tenths", [0, 1, 11], tenths],
    ["integers", [0, 10, 6], [0, 2, 4, 6, 8, 10]],
    ["downwards", [1, 0, 3], [1, 0.5, 0]],
    ["a single value is start", [2, 3, 1], [2]],
    ["equal ends", [5, 5, 3], [5, 5, 5]],
    ["negative", [-1, 1, 5], [-1, -0.5, 0, 0.5, 1]],
    ["thirds, rounded", [0, 1, 4], [0, 0.333333333333333, 0.666666666666667, 1]],
  ];
  for (const [name, args, expected] of cases) {
    await t.step(name, () => assert.deepEqual(axisValues({ linspace: args }), expected));
  }
  await t.step("0.3 exactly at index 3", () => {
    assert.equal(axisValues({ linspace: [0, 1, 11] })[3], 0.3);
  });
});

Deno.test("expandSweep() expands logspace specs with both ends included", async (t) => {
  const cases: [string, Json, Json[]][] = [
    ["negative exponents", [-3, -1, 3], [0.001, 0.01, 0.1]],
    ["positive exponents", [0, 3, 4], [1, 10, 100, 1000]],
    ["downwards", [2, 0, 3], [100, 10, 1]],
    ["a single value", [1, 5, 1], [10]],
    ["half decades", [0, 1, 3], [1, 3.16227766016838, 10]],
    ["small values", [-8, -6, 3], [1e-8, 1e-7, 1e-6]],
  ];
  for (const [name, args, expected] of cases) {
    await t.step(name, () => assert.deepEqual(axisValues({ logspace: args }), expected));
  }
});

Deno.test("expandSweep() draws random axes jointly, sample by sample in written order", () => {
  const sweep = expand({ a: { uniform: [0, 1] }, b: { uniform: [0, 1] }, samples: 3, seed: 5 });
  const random = seededRandom(5);
  const expected: Assignment[][] = [];
  for (let s = 0; s < 3; s++) {
    expected.push([["a", roundGenerated(random()), true], ["b", roundGenerated(random()), true]]);
  }
  assert.deepEqual(assignments(sweep), expected);
  assert.deepEqual(sweep.shape.grids[0], {
    axes: [
      { path: "a", values: expected.map((p) => p[0]![1]), dim: 0, random: true },
      { path: "b", values: expected.map((p) => p[1]![1]), dim: 0, random: true },
    ],
    dims: [3],
    samples: 3,
    seed: 5,
  });
});

Deno.test("expandSweep() multiplies list axes with the samples, the sample dimension last", () => {
  const sweep = expand({ x: { uniform: [0, 1] }, lr: [1, 2], samples: 2, seed: 1 });
  const grid = sweep.shape.grids[0]!;
  assert.deepEqual(grid.dims, [2, 2]);
  assert.deepEqual(grid.axes.map(({ path, dim, random }) => ({ path, dim, random })), [
    { path: "x", dim: 1, random: true },
    { path: "lr", dim: 0, random: undefined },
  ]);
  const [x0, x1] = grid.axes[0]!.values;
  assert.deepEqual(sweep.points, [
    { grid: 0, index: [0, 0], assignments: [["x", x0!, true], ["lr", 1]] },
    { grid: 0, index: [0, 1], assignments: [["x", x1!, true], ["lr", 1]] },
    { grid: 0, index: [1, 0], assignments: [["x", x0!, true], ["lr", 2]] },
    { grid: 0, index: [1, 1], assignments: [["x", x1!, true], ["lr", 2]] },
  ]);
  for (const point of sweep.points) {
    for (const [k, axis] of grid.axes.entries()) {
      assert.equal(point.assignments[k]![1], axis.values[point.index[axis.dim]!]);
    }
  }
});

Deno.test("expandSweep() draws the same values for the same seed", async (t) => {
  const spec = (seed?: number) => ({
    lr: { loguniform: [1e-5, 1e-1] },
    depth: { randint: [1, 9] },
    act: { choice: ["relu", "gelu", { name: "swish", beta: 1 }] },
    dropout: { uniform: [0, 0.5] },
    samples: 20,
    ...(seed === undefined ? {} : { seed }),
  });
  await t.step("twice with one seed", () => {
    assert.deepEqual(expand(spec(3)), expand(spec(3)));
  });
  await t.step("seed 0 by default", () => {
    assert.deepEqual(assignments(expand(spec())), assignments(expand(spec(0))));
    assert.equal(expand(spec()).shape.grids[0]!.seed, 0);
  });
  await t.step("other seeds differ", () => {
    const names = [0, 1, 2, -1, 2 ** 40].map((seed) =>
      JSON.stringify(assignments(expand(spec(seed))))
    );
    assert.equal(new Set(names).size, 5);
  });
  await t.step("more samples keep the earlier draws", () => {
    const few = assignments(expand({ ...spec(9), samples: 5 }));
    const many = assignments(expand({ ...spec(9), samples: 50 }));
    assert.deepEqual(many.slice(0, 5), few);
  });
});

Deno.test("expandSweep() draws random values inside their ranges", async (t) => {
  const values = (spec: Json) =>
    expand({ x: spec, samples: 2000, seed: 11 }).points.map((point) => point.assignments[0]![1]);
  await t.step("uniform in [a, b)", () => {
    const drawn = values({ uniform: [-2, 3] }) as number[];
    assert.ok(drawn.every((v) => v >= -2 && v < 3));
    assert.ok(Math.min(...drawn) < -1.9 && Math.max(...drawn) > 2.9);
  });
  await t.step("uniform in a narrow range", () => {
    const drawn = values({ uniform: [1, 1 + 2 ** -40] }) as number[];
    assert.ok(drawn.every((v) => v >= 1 && v < 1 + 2 ** -40));
  });
  await t.step("loguniform in [a, b), spread over the decades", () => {
    const drawn = values({ loguniform: [1e-4, 1] }) as number[];
    assert.ok(drawn.every((v) => v >= 1e-4 && v < 1));
    const decades = new Set(drawn.map((v) => Math.floor(Math.log10(v))));
    assert.deepEqual([...decades].sort(), [-1, -2, -3, -4]);
  });
  await t.step("randint integers in [a, b), every one drawn", () => {
    const drawn = values({ randint: [-2, 3] }) as number[];
    assert.ok(drawn.every((v) => Number.isInteger(v)));
    assert.deepEqual([...new Set(drawn)].sort(), [-1, -2, 0, 1, 2]);
  });
  await t.step("choice from the list, maps included, every one drawn", () => {
    const drawn = values({ choice: ["a", { b: 1 }, [2]] });
    assert.deepEqual(
      new Set(drawn.map((v) => JSON.stringify(v))),
      new Set(['"a"', '{"b":1}', "[2]"]),
    );
  });
  await t.step("floats rounded to 15 significant digits", () => {
    const drawn = values({ uniform: [0, 1] }) as number[];
    assert.ok(drawn.every((v) => v === roundGenerated(v)));
  });
});

Deno.test("expandSweep() draws each grid of a list from its own seed", () => {
  const sweep = expand([
    { x: { uniform: [0, 1] }, samples: 2, seed: 1 },
    { x: { uniform: [0, 1] }, samples: 2, seed: 1 },
    { x: { uniform: [0, 1] }, samples: 2 },
  ]);
  const [a, b, c] = sweep.shape.grids.map((grid) => grid.axes[0]!.values);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual(sweep.points.map((point) => point.grid), [0, 0, 1, 1, 2, 2]);
});

Deno.test("expandSweep() throws a located ConfigError for an invalid sweep", async (t) => {
  const cases: {
    name: string;
    spec: unknown;
    message: string;
    at: (string | number)[];
    hint?: string;
  }[] = [
    {
      name: "a scalar spec",
      spec: "lr",
      message: 'Cannot expand sweep: expected a map of axes or a list of maps, got "lr"',
      at: ["sweep"],
    },
    {
      name: "an empty list of grids",
      spec: [],
      message: "Cannot expand sweep: the list of grids is empty",
      at: ["sweep"],
      hint: "remove sweep: or give it at least one map of axes",
    },
    {
      name: "a list item that is not a map",
      spec: [{ a: [1] }, 3],
      message: "Cannot expand sweep: item 1 of the list is 3, not a map of axes",
      at: ["sweep", 1],
      hint: "each item of a sweep list is a grid, e.g. - { lr: [0.1, 0.01] }",
    },
    {
      name: "a list item that is a list",
      spec: [[{ a: [1] }]],
      message: 'Cannot expand sweep: item 0 of the list is [{"a":[1]}], not a map of axes',
      at: ["sweep", 0],
    },
    {
      name: "a bare number",
      spec: { lr: 0.1 },
      message: 'Cannot expand sweep "lr": 0.1 is a single value, not a list or a spec',
      at: ["sweep", "lr"],
      hint: "write lr: [0.1] to sweep one value, or set it under params",
    },
    {
      name: "a bare string",
      spec: { opt: "adam" },
      message: 'Cannot expand sweep "opt": "adam" is a single value, not a list or a spec',
      at: ["sweep", "opt"],
      hint: 'write opt: ["adam"] to sweep one value, or set it under params',
    },
    {
      name: "a bare null",
      spec: { x: null },
      message: 'Cannot expand sweep "x": null is a single value, not a list or a spec',
      at: ["sweep", "x"],
    },
    {
      name: "a bare boolean in a list-form sweep",
      spec: [{}, { "model.norm": true }],
      message: 'Cannot expand sweep "model.norm": true is a single value, not a list or a spec',
      at: ["sweep", 1, "model.norm"],
    },
    {
      name: "an empty list",
      spec: { lr: [] },
      message: 'Cannot expand sweep "lr": the list is empty',
      at: ["sweep", "lr"],
      hint: "give at least one value, or remove the axis",
    },
    {
      name: "an empty key",
      spec: { "": [1] },
      message: 'Cannot expand sweep: an axis has an empty key ""',
      at: ["sweep", ""],
    },
    {
      name: "NaN in a list",
      spec: { lr: [0.1, NaN] },
      message: 'Cannot expand sweep "lr": NaN is not a valid value',
      at: ["sweep", "lr", 1],
      hint: "use a finite number, or a string",
    },
    {
      name: "Infinity deep in a listed value",
      spec: { m: [{ a: [1, Infinity] }] },
      message: 'Cannot expand sweep "m": Infinity is not a valid value',
      at: ["sweep", "m", 0, "a", 1],
    },
    {
      name: "undefined in a list",
      spec: { m: [undefined] },
      message: 'Cannot expand sweep "m": nothing is not a JSON value',
      at: ["sweep", "m", 0],
    },
    {
      name: "an empty spec",
      spec: { lr: {} },
      message: 'Cannot expand sweep "lr": a spec has exactly one key, got none',
      at: ["sweep", "lr"],
      hint: "write e.g. lr: { range: [start, stop, step] }; " +
        "to sweep maps as values, list them: lr: [{ … }]",
    },
    {
      name: "a spec with two keys",
      spec: { lr: { range: [0, 1], step: 1 } },
      message: 'Cannot expand sweep "lr": a spec has exactly one key, got "range", "step"',
      at: ["sweep", "lr", "step"],
    },
    {
      name: "a misspelt spec",
      spec: { lr: { rnage: [0, 1] } },
      message: 'Cannot expand sweep "lr": unknown spec "rnage"',
      at: ["sweep", "lr", "rnage"],
      hint: 'did you mean "range"?',
    },
    {
      name: "a map meant as a value",
      spec: { model: { depth: 2, width: 4 } },
      message: 'Cannot expand sweep "model": a spec has exactly one key, got "depth", "width"',
      at: ["sweep", "model", "width"],
    },
    {
      name: "an unknown spec",
      spec: { model: { architecture: "mlp" } },
      message: 'Cannot expand sweep "model": unknown spec "architecture"',
      at: ["sweep", "model", "architecture"],
      hint: "a spec is one of range, linspace, logspace, uniform, loguniform, randint, choice; " +
        "to sweep maps as values, list them: model: [{ … }]",
    },
    {
      name: "range without a list",
      spec: { lr: { range: 5 } },
      message: 'Cannot expand sweep "lr": range takes [start, stop] or [start, stop, step], got 5',
      at: ["sweep", "lr", "range"],
      hint: "write range: [start, stop] or [start, stop, step]",
    },
    {
      name: "range with one number",
      spec: { lr: { range: [1] } },
      message:
        'Cannot expand sweep "lr": range takes [start, stop] or [start, stop, step], got 1 value',
      at: ["sweep", "lr", "range"],
    },
    {
      name: "range with four numbers",
      spec: { lr: { range: [1, 2, 3, 4] } },
      message:
        'Cannot expand sweep "lr": range takes [start, stop] or [start, stop, step], got 4 values',
      at: ["sweep", "lr", "range"],
    },
    {
      name: "range with a string",
      spec: { lr: { range: [0, "10"] } },
      message: 'Cannot expand sweep "lr": range stop must be a number, got "10"',
      at: ["sweep", "lr", "range", 1],
    },
    {
      name: "range with Infinity",
      spec: { lr: { range: [0, Infinity] } },
      message: 'Cannot expand sweep "lr": range stop must be a finite number, got Infinity',
      at: ["sweep", "lr", "range", 1],
    },
    {
      name: "range with step 0, in a list-form sweep",
      spec: [{ a: [1] }, { "model.depth": { range: [0, 4, 0] } }],
      message: 'Cannot expand sweep "model.depth": range step must not be 0',
      at: ["sweep", 1, "model.depth", "range", 2],
      hint: "use a positive step to count up, a negative one to count down",
    },
    {
      name: "range with no values",
      spec: { lr: { range: [5, 0] } },
      message: 'Cannot expand sweep "lr": range [5, 0] has no values',
      at: ["sweep", "lr", "range"],
      hint: "stop is excluded and must be above start; use a negative step to count down",
    },
    {
      name: "range down with no values",
      spec: { lr: { range: [0, 5, -1] } },
      message: 'Cannot expand sweep "lr": range [0, 5, -1] has no values',
      at: ["sweep", "lr", "range"],
      hint: "with a negative step, stop must be below start",
    },
    {
      name: "range with too many values",
      spec: { lr: { range: [0, 1e12] } },
      message: 'Cannot expand sweep "lr": range makes 1,000,000,000,000 values, ' +
        "more than the limit of 10,000,000",
      at: ["sweep", "lr", "range"],
      hint: "use a larger step or a narrower range",
    },
    {
      name: "linspace with two numbers",
      spec: { x: { linspace: [0, 1] } },
      message: 'Cannot expand sweep "x": linspace takes [start, stop, num], got 2 values',
      at: ["sweep", "x", "linspace"],
    },
    {
      name: "linspace with num 0",
      spec: { x: { linspace: [0, 1, 0] } },
      message: 'Cannot expand sweep "x": linspace num must be a positive integer, got 0',
      at: ["sweep", "x", "linspace", 2],
    },
    {
      name: "linspace with a fractional num",
      spec: { x: { linspace: [0, 1, 2.5] } },
      message: 'Cannot expand sweep "x": linspace num must be a positive integer, got 2.5',
      at: ["sweep", "x", "linspace", 2],
    },
    {
      name: "linspace with too many values",
      spec: { x: { linspace: [0, 1, 1e8] } },
      message: 'Cannot expand sweep "x": linspace makes 100,000,000 values, ' +
        "more than the limit of 10,000,000",
      at: ["sweep", "x", "linspace", 2],
    },
    {
      name: "logspace with a null",
      spec: { x: { logspace: [null, 1, 3] } },
      message: 'Cannot expand sweep "x": logspace start_exp must be a number, got null',
      at: ["sweep", "x", "logspace", 0],
    },
    {
      name: "logspace past the largest number",
      spec: { x: { logspace: [0, 400, 2] } },
      message: 'Cannot expand sweep "x": logspace [0, 400, 2] makes values too large for a number',
      at: ["sweep", "x", "logspace"],
    },
    {
      name: "uniform with one number",
      spec: { x: { uniform: [0] }, samples: 2 },
      message: 'Cannot expand sweep "x": uniform takes [a, b], got 1 value',
      at: ["sweep", "x", "uniform"],
    },
    {
      name: "uniform with NaN",
      spec: { x: { uniform: [NaN, 1] }, samples: 2 },
      message: 'Cannot expand sweep "x": uniform a must be a finite number, got NaN',
      at: ["sweep", "x", "uniform", 0],
    },
    {
      name: "uniform with equal ends",
      spec: { x: { uniform: [1, 1] }, samples: 2 },
      message: 'Cannot expand sweep "x": uniform needs a < b, got [1, 1]',
      at: ["sweep", "x", "uniform"],
    },
    {
      name: "uniform backwards",
      spec: { x: { uniform: [2, 1] }, samples: 2 },
      message: 'Cannot expand sweep "x": uniform needs a < b, got [2, 1]',
      at: ["sweep", "x", "uniform"],
    },
    {
      name: "loguniform from 0",
      spec: { x: { loguniform: [0, 1] }, samples: 2 },
      message: 'Cannot expand sweep "x": loguniform needs 0 < a < b, got [0, 1]',
      at: ["sweep", "x", "loguniform"],
    },
    {
      name: "loguniform with a string",
      spec: { x: { loguniform: ["1e-3", 1] }, samples: 2 },
      message: 'Cannot expand sweep "x": loguniform a must be a number, got "1e-3"',
      at: ["sweep", "x", "loguniform", 0],
    },
    {
      name: "randint with a float",
      spec: { x: { randint: [0, 2.5] }, samples: 2 },
      message: 'Cannot expand sweep "x": randint takes integers, got 2.5',
      at: ["sweep", "x", "randint", 1],
    },
    {
      name: "randint with no integer in range",
      spec: { x: { randint: [3, 3] }, samples: 2 },
      message: 'Cannot expand sweep "x": randint needs a < b (b is excluded), got [3, 3]',
      at: ["sweep", "x", "randint"],
    },
    {
      name: "choice from an empty list",
      spec: { x: { choice: [] }, samples: 2 },
      message: 'Cannot expand sweep "x": choice takes a non-empty list of values, got []',
      at: ["sweep", "x", "choice"],
      hint: "write x: { choice: [a, b, c] }",
    },
    {
      name: "choice without a list",
      spec: { x: { choice: "a" }, samples: 2 },
      message: 'Cannot expand sweep "x": choice takes a non-empty list of values, got "a"',
      at: ["sweep", "x", "choice"],
    },
    {
      name: "choice with NaN",
      spec: { x: { choice: [1, NaN] }, samples: 2 },
      message: 'Cannot expand sweep "x": NaN is not a valid value',
      at: ["sweep", "x", "choice", 1],
    },
    {
      name: "a random axis without samples",
      spec: { lr: [1], x: { uniform: [0, 1] }, y: { randint: [0, 2] } },
      message: 'Cannot expand sweep "x": a random axis needs "samples" in the same map',
      at: ["sweep", "x"],
      hint: "add samples: N (how many draws) and optionally seed: to this sweep map",
    },
    {
      name: "samples in another grid than the random axis",
      spec: [{ lr: [1], samples: 3 }, { x: { choice: [1] } }],
      message: "Cannot expand sweep: samples is set but no axis in this map is random",
      at: ["sweep", 0, "samples"],
    },
    {
      name: "samples without a random axis",
      spec: { lr: [1], samples: 3 },
      message: "Cannot expand sweep: samples is set but no axis in this map is random",
      at: ["sweep", "samples"],
      hint: "samples and seed go with uniform, loguniform, randint or choice axes; " +
        "to sweep a param named samples, give a list: samples: [0, 1, 2]",
    },
    {
      name: "seed without a random axis",
      spec: { lr: [1], seed: 3 },
      message: "Cannot expand sweep: seed is set but no axis in this map is random",
      at: ["sweep", "seed"],
      hint: "samples and seed go with uniform, loguniform, randint or choice axes; " +
        "to sweep a param named seed, give a list: seed: [0, 1, 2]",
    },
    {
      name: "samples 0",
      spec: { x: { uniform: [0, 1] }, samples: 0 },
      message: "Cannot expand sweep: samples must be a positive integer, got 0",
      at: ["sweep", "samples"],
      hint: "samples: N draws the random axes N times, from a generator seeded by seed: " +
        "(an integer, 0 by default)",
    },
    {
      name: "fractional samples",
      spec: { x: { uniform: [0, 1] }, samples: 2.5 },
      message: "Cannot expand sweep: samples must be a positive integer, got 2.5",
      at: ["sweep", "samples"],
    },
    {
      name: "a fractional seed",
      spec: [{ x: { uniform: [0, 1] }, samples: 2, seed: 0.5 }],
      message: "Cannot expand sweep: seed must be an integer, got 0.5",
      at: ["sweep", 0, "seed"],
    },
    {
      name: "a grid past the limit",
      spec: { a: { range: [0, 10000] }, b: { range: [0, 10000] } },
      message: "Cannot expand sweep: it makes 100,000,000 points (10,000 × 10,000), " +
        "more than the limit of 10,000,000",
      at: ["sweep"],
      hint: "sweep fewer values, or fewer samples",
    },
    {
      name: "too many samples",
      spec: { a: [1, 2], x: { uniform: [0, 1] }, samples: 6_000_000 },
      message: "Cannot expand sweep: it makes 12,000,000 points (2 × 6,000,000), " +
        "more than the limit of 10,000,000",
      at: ["sweep"],
    },
    {
      name: "a grid of a list past the limit",
      spec: [{ a: [1] }, { a: { range: [0, 10000] }, b: { range: [0, 10000] } }],
      message: "Cannot expand sweep: grid 1 makes 100,000,000 points (10,000 × 10,000), " +
        "more than the limit of 10,000,000",
      at: ["sweep", 1],
    },
    {
      name: "grids past the limit together",
      spec: [
        { x: { uniform: [0, 1] }, samples: 6_000_000 },
        { x: { uniform: [0, 1] }, samples: 6_000_000 },
      ],
      message: "Cannot expand sweep: its 2 grids make 12,000,000 points, " +
        "more than the limit of 10,000,000",
      at: ["sweep"],
      hint: "sweep fewer values, or run the grids as separate experiments",
    },
  ];
  for (const { name, spec, message, at, hint } of cases) {
    await t.step(name, () => {
      const { paths, locate } = recorder();
      assert.throws(() => expandSweep(spec as SweepSpec, locate), (error) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, message);
        assert.deepEqual(paths, [at]);
        assert.deepEqual(error.at, { file: "xp.yaml", line: at.length, column: 1 });
        if (hint !== undefined) assert.equal(error.hint, hint);
        return true;
      });
    });
  }
});

Deno.test("expandSweep() calls locate only to report an error", () => {
  const { paths, locate } = recorder();
  expandSweep({ lr: [1, 2], x: { uniform: [0, 1] }, samples: 3 }, locate);
  assert.deepEqual(paths, []);
});

Deno.test("productSweeps() pairs every outer point with every inner point", () => {
  const outer = expand({ a: [1, 2] });
  const inner = expand({ b: [3, 4], c: [5] });
  const product = productSweeps(outer, inner);
  assert.deepEqual(product.shape, {
    grids: [{
      axes: [
        { path: "a", values: [1, 2], dim: 0 },
        { path: "b", values: [3, 4], dim: 1 },
        { path: "c", values: [5], dim: 2 },
      ],
      dims: [2, 2, 1],
    }],
  });
  assert.deepEqual(product.points, [
    { grid: 0, index: [0, 0, 0], assignments: [["a", 1], ["b", 3], ["c", 5]] },
    { grid: 0, index: [0, 1, 0], assignments: [["a", 1], ["b", 4], ["c", 5]] },
    { grid: 0, index: [1, 0, 0], assignments: [["a", 2], ["b", 3], ["c", 5]] },
    { grid: 0, index: [1, 1, 0], assignments: [["a", 2], ["b", 4], ["c", 5]] },
  ]);
});

Deno.test("productSweeps() puts outer assignments first so inner ones win", () => {
  const product = productSweeps(expand({ lr: [1] }), expand({ lr: [2] }));
  assert.deepEqual(product.points[0]!.assignments, [["lr", 1], ["lr", 2]]);
});

Deno.test("productSweeps() treats a sweep without grids as the identity", async (t) => {
  const none = expandSweep(undefined, locate);
  const some = expand([{ a: [1, 2] }, { b: [3] }]);
  await t.step("outer", () => assert.equal(productSweeps(none, some), some));
  await t.step("inner", () => assert.equal(productSweeps(some, none), some));
  await t.step("both", () => assert.deepEqual(productSweeps(none, none), none));
});

Deno.test("productSweeps() multiplies the grids of two lists, outer grid major", () => {
  const outer = expand([{ a: [1, 2] }, { b: [3] }]);
  const inner = expand([{ c: [4] }, { d: [5, 6] }]);
  const product = productSweeps(outer, inner);
  assert.deepEqual(product.shape.grids.map((grid) => grid.axes.map((axis) => axis.path)), [
    ["a", "c"],
    ["a", "d"],
    ["b", "c"],
    ["b", "d"],
  ]);
  assert.deepEqual(product.points.map((point) => [point.grid, point.index, point.assignments]), [
    [0, [0, 0], [["a", 1], ["c", 4]]],
    [0, [1, 0], [["a", 2], ["c", 4]]],
    [1, [0, 0], [["a", 1], ["d", 5]]],
    [1, [0, 1], [["a", 1], ["d", 6]]],
    [1, [1, 0], [["a", 2], ["d", 5]]],
    [1, [1, 1], [["a", 2], ["d", 6]]],
    [2, [0, 0], [["b", 3], ["c", 4]]],
    [3, [0, 0], [["b", 3], ["d", 5]]],
    [3, [0, 1], [["b", 3], ["d", 6]]],
  ]);
});

Deno.test("productSweeps() keeps the random grids' samples and dims", async (t) => {
  const random = expand({ x: { uniform: [0, 1] }, samples: 2, seed: 4 });
  const listed = expand({ a: [1, 2, 3] });
  await t.step("outer random", () => {
    const grid = productSweeps(random, listed).shape.grids[0]!;
    assert.deepEqual(grid.dims, [2, 3]);
    assert.deepEqual(grid.axes.map((axis) => [axis.path, axis.dim, axis.random]), [
      ["x", 0, true],
      ["a", 1, undefined],
    ]);
    assert.equal(grid.samples, 2);
    assert.equal(grid.seed, 4);
  });
  await t.step("inner random", () => {
    const product = productSweeps(listed, random);
    const grid = product.shape.grids[0]!;
    assert.deepEqual(grid.dims, [3, 2]);
    assert.deepEqual(grid.axes.map((axis) => [axis.path, axis.dim]), [["a", 0], ["x", 1]]);
    assert.equal(grid.samples, 2);
    assert.deepEqual(product.points[1]!.assignments, [["a", 1], random.points[1]!.assignments[0]!]);
  });
  await t.step("both random", () => {
    const grid = productSweeps(random, random).shape.grids[0]!;
    assert.deepEqual(grid.dims, [2, 2]);
    assert.equal(grid.samples, undefined);
    assert.equal(grid.seed, undefined);
    assert.deepEqual(grid.axes.map((axis) => [axis.dim, axis.random]), [[0, true], [1, true]]);
  });
  await t.step("the inputs are left alone", () => {
    assert.equal(random.shape.grids[0]!.axes[0]!.dim, 0);
  });
});

Deno.test("productSweeps() throws a ConfigError past the limit", () => {
  const outer = expand({ a: { range: [0, 4000] } });
  const inner = expand({ b: { range: [0, 3000] } });
  assert.throws(() => productSweeps(outer, inner), (error) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(
      error.message,
      "Cannot expand sweep: 4,000 × 3,000 points make 12,000,000, " +
        "more than the limit of 10,000,000",
    );
    assert.equal(error.at, undefined);
    return true;
  });
});

Deno.test("expandSweep() expands 100,000 points fast", () => {
  const start = performance.now();
  const sweep = expand({
    a: { range: [0, 10] },
    b: { linspace: [0, 1, 10] },
    c: { logspace: [-5, 0, 10] },
    d: ["x", "y", "z", "w", "v", "u", "t", "s", "r", "q"],
    e: { uniform: [0, 1] },
    samples: 10,
  });
  const elapsed = performance.now() - start;
  assert.equal(sweep.points.length, 100_000);
  assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
});

Deno.test("expandSweep() sweeps params named seed and samples when given lists", () => {
  const { points } = expandSweep({ seed: [0, 1], samples: { range: [1, 3] } }, locate);
  assert.deepEqual(points.map((p) => p.assignments), [
    [["seed", 0], ["samples", 1]],
    [["seed", 0], ["samples", 2]],
    [["seed", 1], ["samples", 1]],
    [["seed", 1], ["samples", 2]],
  ]);
});

Deno.test("expandSweep() reads numeric samples and seed as the draw settings", () => {
  const { points } = expandSweep({ x: { uniform: [0, 1] }, samples: 2, seed: 7 }, locate);
  assert.equal(points.length, 2);
});
