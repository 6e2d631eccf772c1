import assert from "node:assert/strict";
import { getPath, merge, remove } from "../../lib/config/merge.ts";
import type { Json, JsonObject } from "../../lib/config/model.ts";

const BASE: JsonObject = {
  lr: 0.01,
  model: { depth: 4, width: 128, act: { name: "relu", slope: 0 } },
  tags: ["a", "b"],
};

Deno.test("merge() replaces the value at a plain key", async (t) => {
  const cases: [string, JsonObject, JsonObject][] = [
    ["a scalar", { lr: 0.1 }, { ...BASE, lr: 0.1 }],
    ["a subtree, dropping its other keys", { model: { depth: 8 } }, {
      ...BASE,
      model: { depth: 8 },
    }],
    ["a list, not concatenated", { tags: ["c"] }, { ...BASE, tags: ["c"] }],
    ["a map by a scalar", { model: null }, { ...BASE, model: null }],
    ["a scalar by a map", { lr: { base: 1 } }, { ...BASE, lr: { base: 1 } }],
    ["nothing, with an empty update", {}, BASE],
    ["a new key, added", { seed: 3 }, { ...BASE, seed: 3 }],
  ];
  for (const [name, update, expected] of cases) {
    await t.step(name, () => assert.deepEqual(merge(BASE, update), expected));
  }
});

Deno.test("merge() deep-merges a **key subtree", async (t) => {
  const cases: [string, JsonObject, JsonObject][] = [
    [
      "keeps the sibling keys",
      { "**model": { depth: 8 } },
      { ...BASE, model: { depth: 8, width: 128, act: { name: "relu", slope: 0 } } },
    ],
    [
      "with the same rules inside: a plain key there replaces its value",
      { "**model": { act: { slope: 0.1 } } },
      { ...BASE, model: { depth: 4, width: 128, act: { slope: 0.1 } } },
    ],
    [
      "with the same rules inside: a nested **key merges again",
      { "**model": { "**act": { slope: 0.1 } } },
      { ...BASE, model: { depth: 4, width: 128, act: { name: "relu", slope: 0.1 } } },
    ],
    [
      "with the same rules inside: a dotted key reaches one value",
      { "**model": { "act.slope": 0.1, depth: 2 } },
      { ...BASE, model: { depth: 2, width: 128, act: { name: "relu", slope: 0.1 } } },
    ],
    [
      "with a plain key replaced inside",
      { "**model": { act: "gelu" } },
      { ...BASE, model: { depth: 4, width: 128, act: "gelu" } },
    ],
    [
      "over a missing key, as a plain set",
      { "**optim": { name: "adam" } },
      { ...BASE, optim: { name: "adam" } },
    ],
    [
      "a scalar over a map, replacing it",
      { "**model": 3 },
      { ...BASE, model: 3 },
    ],
    [
      "at the end of a dotted key",
      { "model.**act": { slope: 0.2 } },
      { ...BASE, model: { depth: 4, width: 128, act: { name: "relu", slope: 0.2 } } },
    ],
  ];
  for (const [name, update, expected] of cases) {
    await t.step(name, () => assert.deepEqual(merge(BASE, update), expected));
  }
});

Deno.test("merge() sets one nested value with a dotted key", async (t) => {
  const cases: [string, JsonObject, JsonObject][] = [
    [
      "keeping the siblings",
      { "model.depth": 8 },
      { ...BASE, model: { depth: 8, width: 128, act: { name: "relu", slope: 0 } } },
    ],
    [
      "two levels down",
      { "model.act.slope": 0.5 },
      { ...BASE, model: { depth: 4, width: 128, act: { name: "relu", slope: 0.5 } } },
    ],
    [
      "creating the intermediate maps",
      { "optim.sched.warmup": 100 },
      { ...BASE, optim: { sched: { warmup: 100 } } },
    ],
    [
      "replacing a scalar on the way by a map",
      { "lr.base": 1 },
      { ...BASE, lr: { base: 1 } },
    ],
    [
      "applied in order, later keys winning",
      { "model.depth": 8, model: { depth: 1 }, "model.width": 2 },
      { ...BASE, model: { depth: 1, width: 2 } },
    ],
    [
      "inside a replaced value too",
      { optim: { "sched.warmup": 5, "**beta": { b1: 0.9 } } },
      { ...BASE, optim: { sched: { warmup: 5 }, beta: { b1: 0.9 } } },
    ],
  ];
  for (const [name, update, expected] of cases) {
    await t.step(name, () => assert.deepEqual(merge(BASE, update), expected));
  }
});

Deno.test("merge() changes neither input", async (t) => {
  const updates: [string, JsonObject][] = [
    ["a plain key", { model: { depth: 1 } }],
    ["a **key", { "**model": { depth: 1, act: { slope: 1 } } }],
    ["a dotted key", { "model.act.slope": 1 }],
    ["a dotted **key", { "model.**act": { slope: 1 } }],
  ];
  for (const [name, update] of updates) {
    await t.step(name, () => {
      const base = structuredClone(BASE);
      const before = structuredClone(update);
      const result = merge(base, update);
      assert.deepEqual(base, BASE);
      assert.deepEqual(update, before);
      // Changing the result afterwards leaves the base alone as well.
      (result.model as JsonObject).depth = 99;
      assert.deepEqual(base, BASE);
    });
  }
});

Deno.test("remove() deletes the value at a dotted path in place", async (t) => {
  const cases: [string, string, boolean, JsonObject][] = [
    ["a top-level key", "lr", true, { model: BASE.model!, tags: ["a", "b"] }],
    [
      "a nested key, keeping its siblings",
      "model.act.slope",
      true,
      { ...BASE, model: { depth: 4, width: 128, act: { name: "relu" } } },
    ],
    ["a whole subtree", "model", true, { lr: 0.01, tags: ["a", "b"] }],
    ["a missing key", "seed", false, BASE],
    ["a missing nested key", "model.height", false, BASE],
    ["below a scalar", "lr.base", false, BASE],
    ["below a missing map", "optim.lr", false, BASE],
  ];
  for (const [name, path, found, expected] of cases) {
    await t.step(name, () => {
      const original = structuredClone(BASE);
      const target = structuredClone(BASE);
      const nested = target.model;
      assert.equal(remove(target, path), found);
      assert.deepEqual(target, expected);
      // The nested maps of the target are copied, not changed, on the way down.
      assert.deepEqual(nested, original.model);
    });
  }
});

Deno.test("getPath() reads the value at a dotted path", async (t) => {
  const cases: [string, string, Json | undefined][] = [
    ["a top-level key", "lr", 0.01],
    ["a map", "model.act", { name: "relu", slope: 0 }],
    ["a nested key", "model.act.name", "relu"],
    ["a zero", "model.act.slope", 0],
    ["a list", "tags", ["a", "b"]],
    ["a missing key", "seed", undefined],
    ["a missing nested key", "model.height", undefined],
    ["below a scalar", "lr.base", undefined],
    ["not into a list", "tags.0", undefined],
  ];
  for (const [name, path, expected] of cases) {
    await t.step(name, () => assert.deepEqual(getPath(BASE, path), expected));
  }
  await t.step("null is a value, not a missing key", () => {
    assert.equal(getPath({ a: { b: null } }, "a.b"), null);
  });
});
