import assert from "node:assert/strict";
import { toJsonValue } from "../../lib/sdk/json.ts";

Deno.test("toJsonValue() copies JSON and keeps non-finite numbers", () => {
  const shared = { x: 1 };
  const value = { a: [1, "s", true, null, NaN], b: { c: Infinity }, d: shared, e: shared };
  assert.deepEqual(toJsonValue(value, "result"), value);
  assert.deepEqual(toJsonValue(undefined, "result"), null);
});

Deno.test("toJsonValue() follows JSON: toJSON(), undefined properties left out, boxed values", () => {
  const date = new Date(0);
  assert.deepEqual(
    toJsonValue({ when: date, gone: undefined, list: [undefined], n: new Number(2) }, "result"),
    { when: "1970-01-01T00:00:00.000Z", list: [null], n: 2 },
  );
  class Money {
    constructor(readonly cents: number) {}
    toJSON(key: string) {
      return { key, euros: this.cents / 100 };
    }
  }
  assert.deepEqual(toJsonValue({ price: new Money(250) }, "result"), {
    price: { key: "price", euros: 2.5 },
  });
});

Deno.test("toJsonValue() names the path of what JSON cannot hold", async (t) => {
  const cycle: Record<string, unknown> = { a: {} };
  (cycle.a as Record<string, unknown>).back = cycle;
  class Weights {}
  const cases: [string, unknown, RegExp][] = [
    ["a function", { model: { weights: () => 0 } }, /^result\.model\.weights is a function/],
    ["a BigInt", { n: [1, 2n] }, /^result\.n\[1\] is a BigInt \(2n\).*Number\(\)/],
    ["a symbol", { s: Symbol("x") }, /^result\.s is a symbol/],
    ["a cycle", cycle, /^result\.a\.back refers back to result \(a cycle\)/],
    [
      "a class instance",
      { model: { weights: new Weights() } },
      /^result\.model\.weights is an instance of Weights.*toJSON/,
    ],
    [
      "a Map",
      { "odd key": new Map() },
      /^result\["odd key"\] is an instance of Map.*Object\.fromEntries/,
    ],
    ["a Set", { s: new Set() }, /\[\.\.\.set\]/],
    [
      "a typed array",
      { w: new Float32Array(2) },
      /^result\.w is an instance of Float32Array.*Array\.from/,
    ],
  ];
  for (const [name, value, message] of cases) {
    await t.step(
      name,
      () => assert.throws(() => toJsonValue(value, "result"), { name: "TypeError", message }),
    );
  }
});
