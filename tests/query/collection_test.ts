import assert from "node:assert/strict";
import { TrialCollection, trialOf } from "../../lib/query/collection.ts";
import type { Trial } from "../../lib/query/trial.ts";

function sweep(): TrialCollection {
  const trials: Trial[] = [];
  for (const lr of [0.1, 0.01]) {
    for (const depth of [2, 4, 8]) {
      const key = `${lr === 0.1 ? "a" : "b"}${depth}`.padEnd(64, "0");
      trials.push(trialOf({
        key,
        stage: "train",
        name: `lr=${lr},depth=${depth}`,
        status: depth === 8 ? "failed" : "ok",
        durationS: depth,
        params: { lr, model: { depth, kind: "mlp" }, tags: ["x", `d${depth}`] },
        metrics: depth === 8 ? { acc: "NaN" } : { acc: lr * depth, loss: 1 / depth },
        swept: { lr, "model.depth": depth },
      }));
    }
  }
  trials.push(trialOf({
    key: "c".padEnd(64, "0"),
    stage: "eval",
    name: "lr=0.1,depth=2",
    params: { split: "val" },
    metrics: { f1: 0.5 },
  }));
  return new TrialCollection(trials);
}

const names = (c: TrialCollection) => c.map((t) => `${t.stage}/${t.name}`);

Deno.test("filter() takes Django-style lookups", async (t) => {
  const trials = sweep();
  const cases: [Record<string, unknown>, number][] = [
    [{ lr: 0.1 }, 3],
    [{ lr__exact: 0.1 }, 3],
    [{ lr__lt: 0.05 }, 3],
    [{ lr__le: 0.01 }, 3],
    [{ lr__gt: 0.01 }, 3],
    [{ lr__ge: 0.01 }, 6],
    [{ lr__ne: 0.1 }, 3],
    [{ model__depth: 4 }, 2],
    [{ model__depth__in: [2, 8] }, 4],
    [{ model__depth__gte: 4, lr: 0.1 }, 2],
    [{ name__startswith: "lr=0.1," }, 4],
    [{ name__endswith: "depth=8" }, 2],
    [{ name__contains: "0.01" }, 3],
    [{ tags__contains: "d4" }, 2],
    [{ model__kind: "mlp" }, 6],
    [{ status: "failed" }, 2],
    [{ stage: "eval" }, 1],
    [{ acc__gt: 0 }, 4],
    [{ acc: "NaN" }, 2],
    [{ acc: NaN }, 2],
    [{ loss__isnull: true }, 3],
    [{ duration_s__gt: 3 }, 4],
    [{ durationS__gt: 3 }, 4],
    [{ metrics__acc__lt: 0.1 }, 2],
    [{ params__lr: 0.1 }, 3],
  ];
  for (const [lookups, count] of cases) {
    await t.step(JSON.stringify(lookups), () => {
      assert.equal(trials.filter(lookups).length, count);
    });
  }
});

Deno.test("filter() names the closest names when no trial has one", () => {
  assert.throws(
    () => sweep().filter({ model__dept: 2 }),
    /No trial has "model__dept"; did you mean "model__depth"/,
  );
  assert.throws(() => sweep().filter({ lr__in: 0.1 }), /needs an array/);
});

Deno.test("filter() takes a predicate", () => {
  assert.equal(sweep().filter((t) => t.params.lr === 0.01).length, 3);
});

Deno.test("get() finds by key, key prefix, name or stage/name", () => {
  const trials = sweep();
  assert.equal(trials.get("a4").name, "lr=0.1,depth=4");
  assert.equal(trials.get("b8".padEnd(64, "0")).name, "lr=0.01,depth=8");
  assert.equal(trials.get("lr=0.01,depth=2").key.slice(0, 2), "b2");
  assert.equal(trials.get("eval/lr=0.1,depth=2").stage, "eval");
  assert.throws(
    () => trials.get("lr=0.1,depth=2"),
    /matches 2 trials: a2000000 train\/lr=0.1,depth=2, c0000000 eval/,
  );
  assert.throws(() => trials.get("a"), /matches 3 trials/);
  assert.throws(() => trials.get("nope"), /No trial "nope" among 7 trials/);
});

Deno.test("select(), pick() and one() index pyexp-style", () => {
  const trials = sweep();
  assert.equal(trials.pick(0).name, "lr=0.1,depth=2");
  assert.equal(trials.pick(-1).stage, "eval");
  assert.throws(() => trials.pick(7), RangeError);
  assert.deepEqual(names(trials.select("lr=0.01,depth=4")), ["train/lr=0.01,depth=4"]);
  assert.deepEqual(names(trials.select("lr=0\\.01.*")), [
    "train/lr=0.01,depth=2",
    "train/lr=0.01,depth=4",
    "train/lr=0.01,depth=8",
  ]);
  assert.equal(trials.select(/depth=8$/).length, 2);
  assert.equal(trials.select({ lr: 0.1, "model.depth": 4 }).length, 1);
  const picked = trials.pick({ lr: 0.1, "model.depth": 4 });
  assert.ok(!(picked instanceof TrialCollection));
  assert.equal(picked.name, "lr=0.1,depth=4");
  assert.ok(trials.pick("lr=0.1.*") instanceof TrialCollection);
  assert.equal(trials.one({ split: "val" }).stage, "eval");
  assert.throws(() => trials.one({ lr: 0.1 }), /3 trials match \{"lr":0.1\}/);
});

Deno.test("axes, shape and isel() follow the sweep", () => {
  const trials = sweep();
  assert.deepEqual(trials.axes, [
    { name: "lr", values: [0.01, 0.1] },
    { name: "model.depth", values: [2, 4, 8] },
  ]);
  assert.deepEqual(trials.shape, [2, 3]);
  assert.deepEqual(names(trials.isel({ lr: 1, "model.depth": -1 })), ["train/lr=0.1,depth=8"]);
  assert.equal(trials.isel({ "model.depth": [0, 1] }).length, 4);
  assert.throws(
    () => trials.isel({ seed: 0 }),
    /"seed" is not a sweep axis; axes: lr, model.depth/,
  );
  assert.throws(() => trials.isel({ lr: 2 }), /No position 2 on axis "lr" of 2/);
});

Deno.test("length, iteration, slice, effectiveParams and toRows()", () => {
  const trials = sweep();
  assert.equal(trials.length, 7);
  assert.equal([...trials].length, 7);
  assert.equal(trials.slice(1, 3).length, 2);
  assert.deepEqual(Object.keys(trials.effectiveParams).length, 7);
  const rows = trials.slice(0, 1).toRows();
  assert.deepEqual(rows[0], {
    key: "a2".padEnd(64, "0"),
    experiment: "exp",
    stage: "train",
    name: "lr=0.1,depth=2",
    status: "ok",
    lr: 0.1,
    "model.depth": 2,
    "model.kind": "mlp",
    tags: ["x", "d2"],
    acc: 0.2,
    loss: 0.5,
  });
});

Deno.test("toRows() renames a param or metric that clashes", () => {
  const rows = new TrialCollection([
    trialOf({ key: "k", name: "n", params: { name: "p", lr: 1 }, metrics: { lr: 2, status: 3 } }),
  ]).toRows();
  assert.equal(rows[0]!.name, "n");
  assert.equal(rows[0]!["param.name"], "p");
  assert.equal(rows[0]!.lr, 1);
  assert.equal(rows[0]!["metric.lr"], 2);
  assert.equal(rows[0]!["metric.status"], 3);
});
