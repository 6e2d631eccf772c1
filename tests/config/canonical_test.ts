import assert from "node:assert/strict";
import { canonicalJson, roundGenerated } from "../../lib/config/canonical.ts";
import type { Json } from "../../lib/config/model.ts";

Deno.test("canonicalJson() writes values in canonical form", async (t) => {
  const cases: [string, Json, string][] = [
    ["null", null, "null"],
    ["true", true, "true"],
    ["false", false, "false"],
    ["an integer", 42, "42"],
    ["a float in shortest form", 0.1, "0.1"],
    ["a float sum as computed", 0.1 + 0.2, "0.30000000000000004"],
    ["a large number", 1e21, "1e+21"],
    ["a small number", 1e-7, "1e-7"],
    ["-0 as 0", -0, "0"],
    ["a negative number", -2.5, "-2.5"],
    ["a string with escapes", 'a"b\\c\n', '"a\\"b\\\\c\\n"'],
    ["a non-ASCII string as is", "héllo ☃", '"héllo ☃"'],
    ["an empty list", [], "[]"],
    ["an empty map", {}, "{}"],
    ["a list without whitespace", [1, "a", null, [true]], '[1,"a",null,[true]]'],
    ["keys sorted", { b: 1, a: 2, c: 3 }, '{"a":2,"b":1,"c":3}'],
    [
      "keys sorted at every depth",
      { z: { y: 1, x: [{ b: 1, a: 2 }] } },
      '{"z":{"x":[{"a":2,"b":1}],"y":1}}',
    ],
    [
      "keys sorted by UTF-16 code units",
      { "é": 1, "Z": 2, "a": 3, "\u{1F600}": 4, "\uFB01": 5 },
      '{"Z":2,"a":3,"é":1,"\u{1F600}":4,"\uFB01":5}',
    ],
    ["integer-like keys sorted as strings", { "10": 1, "9": 2, "a": 3 }, '{"10":1,"9":2,"a":3}'],
    ["a key that needs escaping", { 'a"b': 1 }, '{"a\\"b":1}'],
    ["-0 inside a map", { a: -0 }, '{"a":0}'],
  ];
  for (const [name, value, expected] of cases) {
    await t.step(name, () => assert.equal(canonicalJson(value), expected));
  }
});

Deno.test("canonicalJson() agrees with JSON.parse on a round trip", () => {
  const value: Json = { b: [1, 2.5, "x", { d: null, c: false }], a: { "é": -1e-300 } };
  assert.deepEqual(JSON.parse(canonicalJson(value)), value);
});

Deno.test("canonicalJson() accepts maps without a prototype", () => {
  const value = Object.assign(Object.create(null), { b: 1, a: 2 });
  assert.equal(canonicalJson(value), '{"a":2,"b":1}');
});

Deno.test("canonicalJson() throws a TypeError naming the path of a bad value", async (t) => {
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  const cases: [string, unknown, string][] = [
    ["NaN", { model: { lr: NaN } }, '"model.lr" is NaN'],
    ["Infinity", { lr: Infinity }, '"lr" is Infinity'],
    ["-Infinity", { lr: -Infinity }, '"lr" is -Infinity'],
    ["undefined in a map", { a: { b: undefined } }, '"a.b" is undefined'],
    ["undefined in a list", { a: [1, undefined] }, '"a[1]" is undefined'],
    ["a hole in a list", { a: [1, , 3] }, '"a[1]" is undefined'],
    ["a function", { f: () => 1 }, '"f" is a function'],
    ["a bigint", { n: 1n }, '"n" is a bigint'],
    ["a symbol", { s: Symbol("s") }, '"s" is a symbol'],
    ["a Date", { when: new Date(0) }, '"when" is a Date'],
    ["a Map", { m: new Map() }, '"m" is a Map'],
    ["a nested list path", { a: [{ b: [0, NaN] }] }, '"a[0].b[1]" is NaN'],
    ["a list at the root", [NaN], '"[0]" is NaN'],
    ["the root itself", NaN, "the value is NaN"],
    ["a cycle", cycle, '"self" is a reference to one of its own parents'],
  ];
  for (const [name, value, expected] of cases) {
    await t.step(name, () => {
      assert.throws(() => canonicalJson(value as Json), (error) => {
        assert.ok(error instanceof TypeError);
        assert.equal(error.message, `Cannot write config as JSON: ${expected}`);
        return true;
      });
    });
  }
});

Deno.test("canonicalJson() allows the same object twice when it is not a cycle", () => {
  const shared = { x: 1 };
  assert.equal(canonicalJson({ a: shared, b: [shared] }), '{"a":{"x":1},"b":[{"x":1}]}');
});

Deno.test("canonicalJson() writes 100,000 small configs in well under a second", () => {
  const configs: Json[] = Array.from({ length: 100_000 }, (_, i) => ({
    name: `trial-${i}`,
    lr: 0.001 * (i % 17),
    seed: i,
    epochs: 10,
    dropout: 0.1,
    optimizer: "adam",
    model: { depth: i % 8, width: 128, activation: "relu", norm: true },
    tags: ["a", "b"],
    debug: false,
    data: null,
  }));
  const start = performance.now();
  let length = 0;
  for (const config of configs) length += canonicalJson(config).length;
  const elapsed = performance.now() - start;
  assert.ok(length > 0);
  assert.ok(elapsed < 800, `took ${elapsed.toFixed(0)} ms`);
});

Deno.test("roundGenerated() rounds generated floats to 15 significant digits", async (t) => {
  const cases: [string, number, number][] = [
    ["0.1 * 3", 0.1 * 3, 0.3],
    ["0.1 + 0.2", 0.1 + 0.2, 0.3],
    ["1 - 0.9", 1 - 0.9, 0.1],
    ["an integer", 7, 7],
    ["a large integer", 123456789012345, 123456789012345],
    ["-0", -0, 0],
    ["a small float", 1.23e-10 * 3, 3.69e-10],
    ["a value with 15 digits", 0.123456789012345, 0.123456789012345],
  ];
  for (const [name, input, expected] of cases) {
    await t.step(name, () => assert.equal(roundGenerated(input), expected));
  }
  await t.step("-0 becomes +0", () => assert.ok(Object.is(roundGenerated(-0), 0)));
});
