import assert from "node:assert/strict";
import { canonicalJson } from "../../lib/config/canonical.ts";
import { trialNames } from "../../lib/config/name.ts";
import { type Assignment, expandSweep, type SweepPoint } from "../../lib/config/sweep.ts";

function point(...assignments: Assignment[]): SweepPoint {
  return { grid: 0, index: [], assignments };
}

function nameOf(...assignments: Assignment[]): string {
  return trialNames([point(...assignments)])[0]!;
}

/** FNV-1a over UTF-8, written independently of the implementation. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

Deno.test("trialNames() names a point after its assignments", async (t) => {
  const long = { layers: [64, 64, 32], activation: "relu" };
  const cases: [string, Assignment[], string][] = [
    ["no assignments", [], "default"],
    ["one number", [["lr", 0.1]], "lr=0.1"],
    ["two keys in axis order", [["lr", 0.1], ["model.depth", 2]], "lr=0.1,model.depth=2"],
    ["axis order, not sorted", [["z", 1], ["a", 2]], "z=1,a=2"],
    ["** dropped from the path", [["**model", 3]], "model=3"],
    ["a float in shortest form", [["x", 0.1 + 0.2]], "x=0.30000000000000004"],
    ["a small float", [["x", 1e-7]], "x=1e-7"],
    ["a large number", [["x", 1e21]], "x=1e+21"],
    ["a negative number", [["x", -2.5]], "x=-2.5"],
    ["-0", [["x", -0]], "x=0"],
    ["a drawn float with 4 significant digits", [["lr", 0.000123456789, true]], "lr=0.0001235"],
    ["a drawn large float", [["x", 12345.678, true]], "x=12350"],
    ["a drawn tiny float", [["x", 1.23456e-9, true]], "x=1.235e-9"],
    ["a drawn integer in full", [["n", 123456789, true]], "n=123456789"],
    ["a drawn short float as is", [["x", 0.5, true]], "x=0.5"],
    ["a listed float in full", [["lr", 0.000123456789]], "lr=0.000123456789"],
    ["a string as is", [["opt", "adam"]], "opt=adam"],
    ["a string with dots and slashes", [["data", "a/b.csv"]], "data=a/b.csv"],
    ["a string with a comma", [["s", "a,b"]], 's="a,b"'],
    ["a string with =", [["s", "a=b"]], 's="a=b"'],
    ["a string with a space", [["s", "a b"]], 's="a b"'],
    ["a string with a newline", [["s", "a\nb"]], 's="a\\nb"'],
    ["a string with a tab", [["s", "a\tb"]], 's="a\\tb"'],
    ["an empty string", [["s", ""]], 's=""'],
    ["a non-ASCII string", [["s", "héllo"]], "s=héllo"],
    ["true", [["b", true]], "b=true"],
    ["false", [["b", false]], "b=false"],
    ["null", [["n", null]], "n=null"],
    ["a short map as canonical JSON", [["m", { b: 1, a: 2 }]], 'm={"a":2,"b":1}'],
    ["a short list as JSON", [["l", [1, "a", null]]], 'l=[1,"a",null]'],
    ["an empty map", [["m", {}]], "m={}"],
    [
      "a map of exactly 24 characters",
      [["m", { abcdefghijklmn: 12345 }]],
      'm={"abcdefghijklmn":12345}',
    ],
    ["a long map as a hash", [["m", long]], `m=${fnv1a(canonicalJson(long))}`],
    [
      "a long list as a hash",
      [["l", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]]],
      "l=" +
      fnv1a("[1,2,3,4,5,6,7,8,9,10,11,12,13]"),
    ],
    ["a drawn map from choice", [["m", { a: 1 }, true]], 'm={"a":1}'],
  ];
  for (const [name, assignments, expected] of cases) {
    await t.step(name, () => assert.equal(nameOf(...assignments), expected));
  }
});

Deno.test("trialNames() hashes a long map the same whatever its key order", () => {
  const a = nameOf(["m", { alpha: 1, beta: [1, 2, 3], gamma: "long enough" }]);
  const b = nameOf(["m", { gamma: "long enough", beta: [1, 2, 3], alpha: 1 }]);
  assert.equal(a, b);
  assert.match(a, /^m=[0-9a-f]{8}$/);
});

Deno.test("trialNames() hashes non-ASCII text as UTF-8", () => {
  const value = { text: "héllo wörld ☃ \u{1F600} and more" };
  assert.equal(nameOf(["m", value]), `m=${fnv1a(canonicalJson(value))}`);
});

Deno.test("trialNames() suffixes repeated names in order", async (t) => {
  const cases: [string, Assignment[][], string[]][] = [
    ["distinct names unchanged", [[["a", 1]], [["a", 2]]], ["a=1", "a=2"]],
    ["a repeat gets ~2", [[["a", 1]], [["a", 1]]], ["a=1", "a=1~2"]],
    ["repeats count up", [[["a", 1]], [["a", 2]], [["a", 1]], [["a", 1]]], [
      "a=1",
      "a=2",
      "a=1~2",
      "a=1~3",
    ]],
    ["repeated defaults", [[], []], ["default", "default~2"]],
    [
      "drawn floats that round alike",
      [[["x", 0.12341, true]], [["x", 0.12344, true]]],
      ["x=0.1234", "x=0.1234~2"],
    ],
    [
      "a suffix never takes a name used later",
      [[["s", "a"]], [["s", "a"]], [["s", "a~2"]]],
      ["s=a", "s=a~3", "s=a~2"],
    ],
    [
      "a suffix never takes a name used earlier",
      [[["s", "a~2"]], [["s", "a"]], [["s", "a"]]],
      ["s=a~2", "s=a", "s=a~3"],
    ],
    [
      "a suffix never takes another suffix",
      [[["s", "a"]], [["s", "a"]], [["s", "a~2"]], [["s", "a~2"]]],
      ["s=a", "s=a~3", "s=a~2", "s=a~2~2"],
    ],
  ];
  for (const [name, points, expected] of cases) {
    await t.step(name, () => {
      const names = trialNames(points.map((assignments) => point(...assignments)));
      assert.deepEqual(names, expected);
      assert.equal(new Set(names).size, names.length);
    });
  }
});

Deno.test("trialNames() returns no names for no points", () => {
  assert.deepEqual(trialNames([]), []);
});

Deno.test("trialNames() names expanded sweeps deterministically and uniquely", () => {
  const spec = {
    lr: { loguniform: [1e-5, 1e-1] },
    "**model": [{ depth: 2 }, { depth: 4, width: 1024, activation: "gelu" }],
    opt: ["adam", "sgd momentum"],
    samples: 50,
    seed: 3,
  };
  const locate = () => ({ file: "xp.yaml" });
  const names = trialNames(expandSweep(spec, locate).points);
  assert.deepEqual(names, trialNames(expandSweep(spec, locate).points));
  assert.equal(new Set(names).size, 200);
  assert.match(names[0]!, /^lr=[0-9.e-]+,model=\{"depth":2\},opt=adam$/);
  // The sample dimension is last, so the listed axes change every 50 points.
  assert.match(names[50]!, /^lr=[0-9.e-]+,model=\{"depth":2\},opt="sgd momentum"$/);
  assert.match(names[100]!, /^lr=[0-9.e-]+,model=[0-9a-f]{8},opt=adam$/);
});

Deno.test("trialNames() names 100,000 points fast", () => {
  const points = expandSweep({
    a: { range: [0, 10] },
    b: { linspace: [0, 1, 10] },
    c: { logspace: [-5, 0, 10] },
    d: ["x", "y", "z", "w", "v", "u", "t", "s", "r", "q"],
    e: { uniform: [0, 1] },
    samples: 10,
  }, () => ({ file: "xp.yaml" })).points;
  const start = performance.now();
  const names = trialNames(points);
  const elapsed = performance.now() - start;
  assert.equal(names.length, 100_000);
  assert.equal(new Set(names).size, 100_000);
  assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
});
