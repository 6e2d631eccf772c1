import assert from "node:assert/strict";
import { join } from "node:path";
import { memoryStore, openStore } from "../../lib/store/mod.ts";
import { compileFilter, loadNameSchema } from "../../lib/query/filter.ts";
import { openResults } from "../../lib/query/mod.ts";
import { filterPlanned } from "../../lib/query/planned.ts";
import {
  type FixtureTrial,
  series,
  standardTrials,
  writeFixtureStore,
  writeFixtureTrial,
} from "./_fixtures.ts";

async function withStore<T>(
  fn: (root: string, keys: string[]) => Promise<T>,
  trials: readonly FixtureTrial[] = standardTrials(),
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "xp_results_" });
  try {
    const root = join(dir, ".xp");
    return await fn(root, await writeFixtureStore(root, trials));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("openResults() loads every trial with params, metrics, swept and effective params", async () => {
  await withStore(async (root, keys) => {
    const results = await openResults(root);
    try {
      const trials = results.trials();
      assert.equal(trials.length, 5);
      const first = results.get(keys[0]!);
      assert.equal(first.name, "lr=0.1,depth=2");
      assert.equal(first.stage, "train");
      assert.equal(first.status, "ok");
      assert.equal(first.durationS, 2);
      assert.deepEqual(first.params, { lr: 0.1, model: { depth: 2, kind: "mlp" }, opt: "adam" });
      assert.deepEqual(first.effectiveParams, first.params);
      assert.deepEqual(first.metrics, { accuracy: 0.8200000000000001, loss: 0.35 });
      assert.deepEqual(first.swept, { lr: 0.1, "model.depth": 2 });
      assert.equal(first.dir, join(root, "trials", keys[0]!));
      assert.equal(results.get(keys[1]!).metrics.accuracy, 0.8400000000000001);
      assert.equal(trials.filter({ accuracy: "NaN" }).length, 1);
      assert.equal(trials.filter({ stage: "train", status: "ok" }).length, 3);
      assert.equal(trials.filter({ lr: 0.1, model__depth__ge: 4 }).at(0)?.key, keys[1]);
      assert.deepEqual(trials.filter({ stage: "train" }).shape, [2, 2]);
      assert.deepEqual(
        trials.filter({ stage: "train" }).isel({ lr: 0, "model.depth": 1 }).map((t) => t.name),
        [
          "lr=0.01,depth=4",
        ],
      );
      assert.equal(Object.keys(results.effectiveParams).length, 5);
      assert.throws(() => results.get("lr=0.1,depth=2"), /matches 2 trials/);
      assert.equal(results.get("eval/lr=0.1,depth=2").key, keys[4]);
      const row = trials.filter({ stage: "eval" }).toRows()[0]!;
      assert.deepEqual(row, {
        key: keys[4],
        experiment: "mnist",
        stage: "eval",
        name: "lr=0.1,depth=2",
        status: "ok",
        lr: 0.1,
        split: "val",
        f1: 0.7,
        loss: 0.3,
      });
    } finally {
      await results.close();
    }
  });
});

Deno.test("toRows() has the columns of the results view", async () => {
  await withStore(async (root) => {
    const store = await openStore(root);
    const results = await openResults(store);
    const view = await store.query("select * from results order by key");
    const rows = results.trials().toRows().sort((a, b) => String(a.key) < String(b.key) ? -1 : 1);
    view.rows.forEach((r, i) => {
      const fromView = Object.fromEntries(
        view.columns.map((c, j) => [c.name, r[j]]).filter(([, v]) => v !== null),
      );
      assert.deepEqual(rows[i], fromView);
    });
    await results.close();
  });
});

Deno.test("outputPath() and loadCsv() read a trial's out/ files", async () => {
  await withStore(async (root, keys) => {
    const results = await openResults(root);
    const trial = results.get(keys[0]!);
    assert.equal(results.outputPath(trial, "preds.csv"), join(trial.dir, "out", "preds.csv"));
    assert.equal(results.outputPath(keys[0]!, "sub/x.bin"), join(trial.dir, "out", "sub", "x.bin"));
    assert.throws(() => results.outputPath(trial, "../status.json"), RangeError);
    assert.throws(() => results.outputPath(trial, "/etc/passwd"), RangeError);
    assert.deepEqual(await results.loadCsv(trial, "preds.csv"), [
      { step: 1, pred: 0.5 },
      { step: 2, pred: 0.75 },
    ]);
    await assert.rejects(results.loadCsv(trial, "missing.csv"), Deno.errors.NotFound);
    await results.close();
  });
});

Deno.test("scalars() returns every point of a series, for some trials or all", async () => {
  const trials: FixtureTrial[] = [
    {
      name: "a",
      params: { lr: 1 },
      events: [...series("loss", [3, 2, 1]), ...series("acc", [0.5], { subset: "val" })],
    },
    { name: "b", params: { lr: 2 }, events: series("loss", [4, "NaN"]) },
  ];
  await withStore(async (root, keys) => {
    const results = await openResults(root);
    const all = await results.scalars("loss");
    assert.equal(all.length, 5);
    const b = await results.scalars("loss", results.trials().filter({ name: "b" }));
    assert.deepEqual(b.map((p) => [p.key, p.step, p.value]), [[keys[1], 0, 4], [
      keys[1],
      1,
      "NaN",
    ]]);
    const acc = await results.scalars("acc");
    assert.equal(acc[0]!.context, '{"subset":"val"}');
    assert.deepEqual(await results.scalars("loss", []), []);
    await results.close();
  }, trials);
});

Deno.test("reload() sees trials indexed since", async () => {
  await withStore(async (root) => {
    const store = await memoryStore(root);
    const results = await openResults(store);
    assert.equal(results.trials().length, 5);
    const key = "9".repeat(64);
    await writeFixtureTrial(root, key, { name: "late", params: { lr: 3 } }, "2026-02-01T00:00:00Z");
    await store.ingest([key]);
    assert.equal(results.trials().length, 5);
    await results.reload();
    assert.equal(results.trials().length, 6);
    assert.equal(results.get("late").params.lr, 3);
    await results.close();
    await store.close();
  });
});

Deno.test("xp run --filter (planned trials) and xp ls --filter (the index) agree", async (t) => {
  await withStore(async (root) => {
    const store = await memoryStore(root);
    try {
      const schema = await loadNameSchema(store);
      const trials = standardTrials();
      const planned = trials.map((f) => ({
        stage: f.stage ?? "train",
        name: f.name,
        experiment: "mnist",
        params: f.params,
      }));
      for (
        const expr of [
          "lr < 0.05",
          "model.depth >= 4 or split = 'val'",
          "model.kind = 'mlp' and lr = 0.1",
          "stage = 'eval'",
          "opt is null",
          "lr * 10 = 1",
          "lower(opt) like 'ad%'",
          "name like 'lr=0.1,%' and model.depth = 2",
        ]
      ) {
        await t.step(expr, async () => {
          const filter = compileFilter(expr, schema);
          const indexed = await store.query(
            `select stage, name from trials t where (${filter.sql}) order by stage, name`,
          );
          const matched = await filterPlanned(store, expr, planned);
          const fromPlan = planned.filter((_, i) => matched[i]).map((p) => [p.stage, p.name])
            .sort((a, b) => `${a}` < `${b}` ? -1 : 1);
          assert.deepEqual(fromPlan, indexed.rows);
        });
      }
    } finally {
      await store.close();
    }
  });
});

Deno.test("filterPlanned() runs through the file store's read-only query too", async () => {
  await withStore(async (root) => {
    const store = await openStore(root);
    const rows = [{ params: { lr: 0.1, tags: ["a"] } }, { params: { lr: 0.01, tags: ["b"] } }];
    assert.deepEqual(await filterPlanned(store, "lr < 0.05", rows), [false, true]);
    assert.deepEqual(await filterPlanned(store, `tags = '["a"]'`, rows), [true, false]);
    await store.close();
  });
});
