import assert from "node:assert/strict";
import { flattenLeaves, type Leaf, LEAF_TYPE, numericLeaves } from "../../lib/store/flatten.ts";

Deno.test("flattenLeaves() gives dotted paths, JSON text, numbers and types", () => {
  const out: Leaf[] = [];
  flattenLeaves(
    {
      lr: 0.1,
      n: 3,
      big: 2 ** 60,
      name: 'a"b',
      on: false,
      none: null,
      list: [1, { a: 2 }],
      empty: {},
      m: { d: { e: 1 } },
    },
    "",
    out,
  );
  assert.deepEqual(out, [
    { path: "lr", value: "0.1", num: 0.1, type: LEAF_TYPE.number },
    { path: "n", value: "3", num: 3, type: LEAF_TYPE.integer },
    { path: "big", value: "1152921504606847000", num: 2 ** 60, type: LEAF_TYPE.number },
    { path: "name", value: '"a\\"b"', num: null, type: LEAF_TYPE.string },
    { path: "on", value: "false", num: null, type: LEAF_TYPE.boolean },
    { path: "none", value: "null", num: null, type: LEAF_TYPE.null },
    { path: "list", value: '[1,{"a":2}]', num: null, type: LEAF_TYPE.array },
    { path: "empty", value: "{}", num: null, type: LEAF_TYPE.object },
    { path: "m.d.e", value: "1", num: 1, type: LEAF_TYPE.integer },
  ]);
});

Deno.test("flattenLeaves() puts a non-object under its prefix", () => {
  const out: Leaf[] = [];
  flattenLeaves(5, "n_params", out);
  flattenLeaves(7, "", out);
  assert.deepEqual(out.map((leaf) => leaf.path), ["n_params"]);
});

Deno.test("numericLeaves() takes numbers and non-finite strings, not arrays", () => {
  const out = new Map<string, number>();
  numericLeaves({ a: 1, b: { c: "Infinity", d: "x", e: [1] }, f: true }, "", out);
  assert.deepEqual([...out], [["a", 1], ["b.c", Infinity]]);
  const bare = new Map<string, number>();
  numericLeaves(0.5, "", bare);
  assert.deepEqual([...bare], [["result", 0.5]]);
});
