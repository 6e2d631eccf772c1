import assert from "node:assert/strict";
import type { Experiment, JsonObject } from "../../lib/config/model.ts";
import { expandTrials, type StageTrials } from "../../lib/config/trials.ts";
import { validateExperiment } from "../../lib/config/validate.ts";

/** An experiment from a document, as `xp.yaml` would give it. */
function experiment(doc: JsonObject): Experiment {
  return validateExperiment(doc, {
    file: "/exp/demo/xp.yaml",
    dir: "/exp/demo",
    locate: () => ({ file: "xp.yaml" }),
    dialect: "yaml",
  });
}

function stageOf(all: StageTrials[], name: string): StageTrials {
  const found = all.find((s) => s.stage.name === name);
  assert.ok(found, `no stage ${name}`);
  return found;
}

Deno.test("expandTrials() merges stage params over experiment params", async (t) => {
  const base = { lr: 0.01, model: { depth: 4, width: 128 }, tag: "base" };
  const cases: [string, JsonObject, JsonObject][] = [
    ["no stage params", {}, base],
    ["a plain key replaces", { lr: 0.1 }, { ...base, lr: 0.1 }],
    ["a plain map replaces the whole map", { model: { depth: 2 } }, {
      ...base,
      model: { depth: 2 },
    }],
    ["a **key merges", { "**model": { depth: 2 } }, { ...base, model: { depth: 2, width: 128 } }],
    ["a dotted key reaches one value", { "model.width": 64 }, {
      ...base,
      model: { depth: 4, width: 64 },
    }],
    ["a new key is added", { dropout: 0.5 }, { ...base, dropout: 0.5 }],
  ];
  for (const [name, params, expected] of cases) {
    await t.step(name, () => {
      const exp = experiment({ params: base, stages: { train: { command: "echo", params } } });
      const [train] = expandTrials(exp);
      assert.deepEqual(train!.trials.map((t) => t.params), [expected]);
    });
  }
  await t.step("a swept value wins over both", () => {
    const exp = experiment({
      params: base,
      sweep: { "model.depth": [8] },
      stages: { train: { command: "echo", params: { model: { depth: 2 } } } },
    });
    assert.deepEqual(expandTrials(exp)[0]!.trials[0]!.params.model, { depth: 8 });
  });
  await t.step("the experiment's params are not changed", () => {
    const exp = experiment({
      params: structuredClone(base),
      sweep: { "model.depth": [1, 2] },
      stages: { train: { command: "echo", params: { "**model": { width: 1 } } } },
    });
    expandTrials(exp);
    assert.deepEqual(exp.params, base);
  });
});

Deno.test("expandTrials() expands one stage with no sweep to one default trial", () => {
  const [main] = expandTrials(experiment({ params: { lr: 1 }, command: "echo" }));
  assert.equal(main!.stage.name, "main");
  assert.equal(main!.trials.length, 1);
  const trial = main!.trials[0]!;
  assert.equal(trial.stage, "main");
  assert.equal(trial.name, "default");
  assert.deepEqual(trial.params, { lr: 1 });
  assert.deepEqual(trial.swept, []);
  assert.deepEqual(main!.shape, { grids: [] });
});

Deno.test("expandTrials() takes the product of the experiment and stage sweeps", async (t) => {
  const exp = experiment({
    params: { lr: 0.01, wd: 0, seed: 0 },
    sweep: { lr: [0.1, 0.01] },
    stages: {
      prep: { command: "echo" },
      train: { command: "echo", sweep: { wd: [0, 0.1, 0.2] } },
      eval: { command: "echo", sweep: [{ "**seed": [1] }, { "**seed": [2, 3] }] },
    },
  });
  const all = expandTrials(exp);
  await t.step("a stage without a sweep has the experiment's", () => {
    const prep = stageOf(all, "prep");
    assert.deepEqual(prep.trials.map((t) => t.params.lr), [0.1, 0.01]);
    assert.deepEqual(prep.trials.map((t) => t.name), ["lr=0.1", "lr=0.01"]);
  });
  await t.step("a stage sweep multiplies, the stage's axes varying fastest", () => {
    const train = stageOf(all, "train");
    assert.deepEqual(train.trials.map((t) => [t.params.lr, t.params.wd]), [
      [0.1, 0],
      [0.1, 0.1],
      [0.1, 0.2],
      [0.01, 0],
      [0.01, 0.1],
      [0.01, 0.2],
    ]);
    assert.deepEqual(train.trials[4]!.swept, [["lr", 0.01], ["wd", 0.1]]);
    assert.equal(train.trials[4]!.name, "lr=0.01,wd=0.1");
  });
  await t.step("a list of stage grids multiplies grid by grid", () => {
    const evalStage = stageOf(all, "eval");
    assert.deepEqual(evalStage.trials.map((t) => [t.params.lr, t.params.seed]), [
      [0.1, 1],
      [0.01, 1],
      [0.1, 2],
      [0.1, 3],
      [0.01, 2],
      [0.01, 3],
    ]);
    assert.deepEqual(evalStage.trials.map((t) => t.index), [
      [0, 0],
      [1, 0],
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    assert.deepEqual(evalStage.shape.grids.map((g) => g.dims), [[2, 1], [2, 2]]);
    assert.equal(evalStage.trials[3]!.name, "lr=0.1,seed=3");
  });
  await t.step("every trial's params hold every key", () => {
    for (const stage of all) {
      for (const trial of stage.trials) {
        assert.deepEqual(Object.keys(trial.params).sort(), ["lr", "seed", "wd"]);
      }
    }
  });
});

Deno.test("expandTrials() orders stages after their dependencies", async (t) => {
  const cases: [string, JsonObject, string[]][] = [
    ["the written order when free", {
      a: { command: "echo" },
      b: { command: "echo" },
    }, ["a", "b"]],
    ["a dependency written later", {
      report: { command: "echo", depends_on: ["eval"], gather: true },
      eval: { command: "echo", depends_on: ["train"] },
      train: { command: "echo" },
    }, ["train", "eval", "report"]],
    ["a /regex/ dependency", {
      summary: { command: "echo", depends_on: ["/^train_/"] },
      train_a: { command: "echo" },
      train_b: { command: "echo" },
    }, ["train_a", "train_b", "summary"]],
  ];
  for (const [name, stages, order] of cases) {
    await t.step(name, () => {
      const all = expandTrials(experiment({ stages }));
      assert.deepEqual(all.map((s) => s.stage.name), order);
    });
  }
});

Deno.test("expandTrials() writes each config as canonical JSON", async (t) => {
  await t.step("with sorted keys at every depth", () => {
    const exp = experiment({
      params: { zeta: 1, alpha: { y: 2, x: [{ b: 1, a: 2 }] } },
      sweep: { mid: [true] },
      command: "echo",
    });
    const trial = expandTrials(exp)[0]!.trials[0]!;
    assert.equal(trial.canonical, '{"alpha":{"x":[{"a":2,"b":1}],"y":2},"mid":true,"zeta":1}');
    assert.deepEqual(JSON.parse(trial.canonical), trial.params);
  });
  await t.step("equal for equal configs written in another order", () => {
    const one = experiment({ params: { a: 1, b: { c: 2, d: 3 } }, command: "echo" });
    const two = experiment({
      params: { b: { d: 3 }, a: 0 },
      sweep: { a: [1], "b.c": [2] },
      command: "echo",
    });
    const [first] = expandTrials(one)[0]!.trials;
    const [second] = expandTrials(two)[0]!.trials;
    assert.equal(first!.canonical, second!.canonical);
  });
  await t.step("different for different configs", () => {
    const exp = experiment({ params: { a: 1 }, sweep: { a: [1, "1", [1]] }, command: "echo" });
    const canonical = expandTrials(exp)[0]!.trials.map((t) => t.canonical);
    assert.deepEqual(canonical, ['{"a":1}', '{"a":"1"}', '{"a":[1]}']);
  });
});

Deno.test("expandTrials() names trials uniquely and deterministically", async (t) => {
  const doc: JsonObject = {
    params: { lr: 0, model: {} },
    sweep: [
      { lr: [0.1, 0.01], "model.depth": [2, 4] },
      { lr: [0.1], "model.depth": [2] },
      { "**model": [{ depth: 2 }, { depth: 2 }] },
    ],
    command: "echo",
  };
  const names = expandTrials(experiment(doc))[0]!.trials.map((t) => t.name);
  await t.step("from the swept values", () => {
    assert.deepEqual(names.slice(0, 4), [
      "lr=0.1,model.depth=2",
      "lr=0.1,model.depth=4",
      "lr=0.01,model.depth=2",
      "lr=0.01,model.depth=4",
    ]);
  });
  await t.step("unique, also where the values repeat", () => {
    assert.equal(names.length, 7);
    assert.equal(new Set(names).size, names.length);
  });
  await t.step("the same on every expansion", () => {
    const again = expandTrials(experiment(structuredClone(doc)))[0]!.trials.map((t) => t.name);
    assert.deepEqual(again, names);
  });
  await t.step("indexed by their place in the sweep", () => {
    const trials = expandTrials(experiment(doc))[0]!.trials;
    const indexes = trials.map((t) => JSON.stringify(t.index));
    assert.deepEqual(indexes, ["[0,0]", "[0,1]", "[1,0]", "[1,1]", "[0,0]", "[0]", "[1]"]);
    assert.deepEqual(trials.map((t) => t.stage), new Array(7).fill("main"));
  });
});
