import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import type { Experiment, Json, JsonObject } from "../../lib/config/model.ts";
import { applyOverrides, type Override, parseOverride } from "../../lib/config/overrides.ts";
import { expandTrials } from "../../lib/config/trials.ts";
import { validateExperiment } from "../../lib/config/validate.ts";
import { thrown } from "../_helpers.ts";

function usageError(fn: () => unknown): UsageError {
  return thrown(fn, UsageError);
}

/** An experiment from a document, as `xp.yaml` would give it. */
function experiment(doc: JsonObject): Experiment {
  return validateExperiment(doc, {
    file: "/exp/demo/xp.yaml",
    dir: "/exp/demo",
    locate: () => ({ file: "xp.yaml" }),
    dialect: "yaml",
  });
}

/** Applies override texts in order. */
function apply(exp: Experiment, ...texts: string[]): Experiment {
  return applyOverrides(exp, texts.map(parseOverride));
}

Deno.test("parseOverride() parses key=value as one YAML value", async (t) => {
  const cases: [string, string, Json][] = [
    ["an integer", "epochs=10", 10],
    ["a float in exponent form", "lr=1e-3", 0.001],
    ["a boolean", "debug=true", true],
    ["null", "init=null", null],
    ["a string", "act=relu", "relu"],
    ["a string with spaces", "msg=hello world", "hello world"],
    ["a quoted number, as a string", "tag='1'", "1"],
    ["a list, as one value", "sizes=[1,2]", [1, 2]],
    ["a map, as one value", "opt={name: adam, lr: 1}", { name: "adam", lr: 1 }],
    ["a quoted comma, as one string", "labels='a,b'", "a,b"],
    ["a double-quoted comma", 'labels="a,b"', "a,b"],
    ["an empty quoted string", "prefix=''", ""],
    ["a value holding =", "expr='a=b'", "a=b"],
    ["a dotted key", "model.depth=8", 8],
    ["spaces around the value", "lr= 0.5 ", 0.5],
  ];
  for (const [name, text, value] of cases) {
    await t.step(name, () => {
      const path = text.slice(0, text.indexOf("="));
      assert.deepEqual(parseOverride(text), { op: "set", path, value, add: false, text });
    });
  }
});

Deno.test("parseOverride() parses key=a,b as a sweep", async (t) => {
  const cases: [string, string, Json[]][] = [
    ["numbers", "lr=0.1,1e-3", [0.1, 0.001]],
    ["strings", "act=relu,gelu,tanh", ["relu", "gelu", "tanh"]],
    ["mixed types", "x=1,true,null,a", [1, true, null, "a"]],
    ["two lists", "sizes=[1,2],[3,4]", [[1, 2], [3, 4]]],
    ["two maps", "opt={a: 1, b: 2},{a: 3}", [{ a: 1, b: 2 }, { a: 3 }]],
    ["a quoted item beside a plain one", "labels='a,b',c", ["a,b", "c"]],
    ["spaces after the commas", "lr=0.1, 0.2", [0.1, 0.2]],
  ];
  for (const [name, text, values] of cases) {
    await t.step(name, () => {
      const path = text.slice(0, text.indexOf("="));
      assert.deepEqual(parseOverride(text), { op: "sweep", path, values, add: false, text });
    });
  }
});

Deno.test("parseOverride() parses +key=value and ~key", async (t) => {
  const cases: [string, string, Override][] = [
    ["+ adds a value", "+extra.key=1", {
      op: "set",
      path: "extra.key",
      value: 1,
      add: true,
      text: "+extra.key=1",
    }],
    ["++ adds a value (Hydra's force-add)", "++seed=3", {
      op: "set",
      path: "seed",
      value: 3,
      add: true,
      text: "++seed=3",
    }],
    ["+ adds a sweep", "+wd=0,0.1", {
      op: "sweep",
      path: "wd",
      values: [0, 0.1],
      add: true,
      text: "+wd=0,0.1",
    }],
    ["~ removes", "~model.depth", { op: "remove", path: "model.depth", text: "~model.depth" }],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.deepEqual(parseOverride(text), expected));
  }
});

Deno.test("parseOverride() rejects malformed overrides with a UsageError", async (t) => {
  const cases: [string, string, string, RegExp][] = [
    ["no =", "lr", 'Cannot parse override "lr": it has no "="', /write key=value/],
    ["no key", "=1", 'Cannot parse override "=1": "" is not a key', /model\.depth/],
    ["no value", "lr=", 'Cannot parse override "lr=": the value is empty', /lr="''"/],
    ["a blank value", "lr=  ", 'Cannot parse override "lr=  ": the value is empty', /''/],
    [
      "an empty sweep item",
      "lr=0.1,,0.2",
      'Cannot parse override "lr=0.1,,0.2": item 2 of "0.1,,0.2" is empty',
      /remove the extra comma/,
    ],
    [
      "a trailing comma",
      "lr=0.1,",
      'Cannot parse override "lr=0.1,": item 2 of "0.1," is empty',
      /quote the value/,
    ],
    [
      "a key starting with a digit",
      "1bad=2",
      'Cannot parse override "1bad=2": "1bad" is not a key',
      /keys are names/,
    ],
    ["a key with a space", "a b=2", 'Cannot parse override "a b=2": "a b" is not a key', /dots/],
    [
      "an empty path segment",
      "a..b=2",
      'Cannot parse override "a..b=2": "a..b" is not a key',
      /dots/,
    ],
    ["a trailing dot", "a.=2", 'Cannot parse override "a.=2": "a." is not a key', /dots/],
    [
      "a ** key",
      "**model={}",
      'Cannot parse override "**model={}": "**model" is not a key',
      /dots/,
    ],
    ["~ without a key", "~", 'Cannot parse override "~": "" is not a key', /~key/],
    ["~ with a value", "~lr=1", 'Cannot parse override "~lr=1": "lr=1" is not a key', /~key/],
    [
      "bad YAML",
      "sizes=[1,2",
      'Cannot parse override "sizes=[1,2": "[1,2" is not a YAML value',
      /quote strings/,
    ],
  ];
  for (const [name, text, message, hint] of cases) {
    await t.step(name, () => {
      const error = usageError(() => parseOverride(text));
      assert.equal(error.message, message);
      assert.match(error.hint ?? "", hint);
    });
  }
});

const BASE = experiment({
  params: { lr: 0.01, model: { depth: 4, width: 128 }, batch: 32 },
  sweep: { lr: [0.1, 0.01], "model.depth": [2, 4] },
  command: "echo",
});

Deno.test("applyOverrides() sets a value", async (t) => {
  await t.step("replacing the param and removing its sweep axis", () => {
    const result = apply(BASE, "lr=0.5");
    assert.deepEqual(result.params, { lr: 0.5, model: { depth: 4, width: 128 }, batch: 32 });
    assert.deepEqual(result.sweep, { "model.depth": [2, 4] });
  });
  await t.step("at a dotted key, keeping the siblings", () => {
    const result = apply(BASE, "model.depth=8");
    assert.deepEqual(result.params, { lr: 0.01, model: { depth: 8, width: 128 }, batch: 32 });
    assert.deepEqual(result.sweep, { lr: [0.1, 0.01] });
  });
  await t.step("replacing a whole subtree", () => {
    const result = apply(BASE, "model={depth: 1}");
    assert.deepEqual(result.params.model, { depth: 1 });
  });
  await t.step("removing a ** axis of the same key", () => {
    const exp = experiment({
      params: { model: { depth: 4 } },
      sweep: { "**model": [{ depth: 2 }], lr: [1, 2] },
      command: "echo",
    });
    assert.deepEqual(apply(exp, "model={depth: 1}").sweep, { lr: [1, 2] });
  });
  await t.step("removing the axis from each grid of a list sweep", () => {
    const exp = experiment({
      params: { lr: 1, wd: 0 },
      sweep: [{ lr: [1, 2], wd: [0, 1] }, { lr: [3] }],
      command: "echo",
    });
    assert.deepEqual(apply(exp, "lr=5").sweep, [{ wd: [0, 1] }, {}]);
  });
  await t.step("removing samples and seed with the last axis of a random grid", () => {
    const exp = experiment({
      params: { lr: 1, wd: 0 },
      sweep: [{ lr: { uniform: [0, 1] }, samples: 4, seed: 1 }, { wd: [0, 1] }],
      command: "echo",
    });
    assert.deepEqual(apply(exp, "lr=5").sweep, [{}, { wd: [0, 1] }]);
  });
  await t.step("the trials follow", () => {
    const trials = expandTrials(apply(BASE, "lr=0.5"))[0]!.trials;
    assert.deepEqual(trials.map((t) => t.params.lr), [0.5, 0.5]);
    assert.deepEqual(trials.map((t) => t.name), ["model.depth=2", "model.depth=4"]);
  });
  await t.step("the experiment given is not changed", () => {
    const before = structuredClone({ params: BASE.params, sweep: BASE.sweep });
    apply(BASE, "lr=0.5", "model.depth=1,2,3", "~batch");
    assert.deepEqual({ params: BASE.params, sweep: BASE.sweep }, before);
  });
});

Deno.test("applyOverrides() sweeps a value", async (t) => {
  await t.step("replacing an axis of the same key, in its place", () => {
    const result = apply(BASE, "lr=1,2,3");
    assert.deepEqual(result.sweep, { lr: [1, 2, 3], "model.depth": [2, 4] });
    assert.deepEqual(Object.keys(result.sweep!), ["lr", "model.depth"]);
    const trials = expandTrials(result)[0]!.trials;
    assert.equal(trials.length, 6);
    assert.equal(trials[0]!.name, "lr=1,model.depth=2");
  });
  await t.step("adding an axis for a param that was not swept", () => {
    const result = apply(BASE, "batch=16,64");
    assert.deepEqual(result.sweep, { lr: [0.1, 0.01], "model.depth": [2, 4], batch: [16, 64] });
    assert.equal(expandTrials(result)[0]!.trials.length, 8);
  });
  await t.step("starting a sweep when there was none", () => {
    const exp = experiment({ params: { lr: 1 }, command: "echo" });
    const result = apply(exp, "lr=1,2");
    assert.deepEqual(result.sweep, { lr: [1, 2] });
    assert.deepEqual(expandTrials(result)[0]!.trials.map((t) => t.params), [{ lr: 1 }, { lr: 2 }]);
  });
  await t.step("adding the axis to each grid of a list sweep", () => {
    const exp = experiment({
      params: { lr: 1, wd: 0, batch: 32 },
      sweep: [{ lr: [1, 2] }, { wd: [0, 1] }],
      command: "echo",
    });
    const result = apply(exp, "batch=16,64");
    assert.deepEqual(result.sweep, [{ lr: [1, 2], batch: [16, 64] }, {
      wd: [0, 1],
      batch: [16, 64],
    }]);
    assert.equal(expandTrials(result)[0]!.trials.length, 8);
  });
  await t.step("removing a stage-level axis of the same key", () => {
    const exp = experiment({
      params: { lr: 1 },
      stages: {
        train: { command: "echo", sweep: { lr: [5, 6], wd: [0, 1] } },
        eval: { command: "echo", sweep: { lr: [7] } },
      },
    });
    const result = apply(exp, "lr=1,2");
    assert.deepEqual(result.sweep, { lr: [1, 2] });
    assert.deepEqual(result.stages.map((s) => s.sweep), [{ wd: [0, 1] }, {}]);
    const lrs = expandTrials(result).map((s) => s.trials.map((t) => t.params.lr));
    assert.deepEqual(lrs, [[1, 1, 2, 2], [1, 2]]);
  });
});

Deno.test("applyOverrides() removes a key", async (t) => {
  await t.step("from the params and the sweep", () => {
    const result = apply(BASE, "~model.depth");
    assert.deepEqual(result.params, { lr: 0.01, model: { width: 128 }, batch: 32 });
    assert.deepEqual(result.sweep, { lr: [0.1, 0.01] });
  });
  await t.step("a whole subtree", () => {
    assert.deepEqual(apply(BASE, "~model").params, { lr: 0.01, batch: 32 });
  });
  await t.step("from the stages' params and sweeps", () => {
    const exp = experiment({
      params: { lr: 1, wd: 0 },
      stages: { train: { command: "echo", params: { wd: 1 }, sweep: { wd: [1, 2], lr: [3] } } },
    });
    const result = apply(exp, "~wd");
    assert.deepEqual(result.params, { lr: 1 });
    assert.deepEqual(result.stages[0]!.params, {});
    assert.deepEqual(result.stages[0]!.sweep, { lr: [3] });
  });
  await t.step("a key that is only swept", () => {
    const exp = experiment({ params: {}, sweep: { wd: [1, 2], lr: [1] }, command: "echo" });
    assert.deepEqual(apply(exp, "~wd").sweep, { lr: [1] });
  });
});

Deno.test("applyOverrides() rejects an unknown key unless it is added", async (t) => {
  const cases: [string, string, string | RegExp][] = [
    ["a typo, with a suggestion", "lrr=0.1", 'did you mean "lr"? To add a new key write +lrr=0.1'],
    ["a typo in a sweep", "model.dept=1,2", /^did you mean "model\.depth"\? .*\+model\.dept=1,2$/],
    ["an unrelated key", "optimizer.name=adam", "To add a new key write +optimizer.name=adam"],
    ["a key below a scalar", "lr.base=1", /To add a new key write \+lr\.base=1$/],
    ["a removal", "~bacth", 'did you mean "batch"?'],
    ["an unrelated removal", "~optimizer", /^params are: lr, model\.depth, model\.width, batch\b/],
  ];
  for (const [name, text, hint] of cases) {
    await t.step(name, () => {
      const error = usageError(() => apply(BASE, text));
      const path = text.replace(/^~/, "").replace(/=.*$/, "");
      assert.equal(error.message, `Cannot override "${path}": the experiment has no such param`);
      if (typeof hint === "string") assert.equal(error.hint, hint);
      else assert.match(error.hint ?? "", hint);
    });
  }
  await t.step("the hint names no params when there are none", () => {
    const exp = experiment({ command: "echo" });
    assert.equal(usageError(() => apply(exp, "~x")).hint, "params are: (none)");
  });
});

Deno.test("applyOverrides() adds a key with +", async (t) => {
  await t.step("a new nested value", () => {
    const result = apply(BASE, "+optim.name=adam");
    assert.deepEqual(result.params.optim, { name: "adam" });
    assert.equal(result.params.lr, 0.01);
  });
  await t.step("a new value inside an existing map", () => {
    const result = apply(BASE, "+model.act=relu");
    assert.deepEqual(result.params.model, { depth: 4, width: 128, act: "relu" });
  });
  await t.step("a new swept key", () => {
    const result = apply(BASE, "+wd=0,0.1");
    assert.deepEqual(result.sweep, { lr: [0.1, 0.01], "model.depth": [2, 4], wd: [0, 0.1] });
    const wds = expandTrials(result)[0]!.trials.map((t) => t.params.wd);
    assert.deepEqual(wds, [0, 0.1, 0, 0.1, 0, 0.1, 0, 0.1]);
  });
  await t.step("an existing key, like a plain set", () => {
    assert.equal(apply(BASE, "+lr=3").params.lr, 3);
  });
  await t.step("a later override may use a key an earlier one added", () => {
    assert.equal(apply(BASE, "+wd=1", "wd=2").params.wd, 2);
  });
});

Deno.test("applyOverrides() reaches a key that only a stage has", async (t) => {
  const exp = experiment({
    params: { lr: 1 },
    stages: {
      train: { command: "echo", params: { dropout: 0.1, "**model": { depth: 2 } } },
      eval: { command: "echo", depends_on: ["train"] },
    },
  });
  const trainOf = (result: Experiment) =>
    expandTrials(result).find((s) => s.stage.name === "train")!.trials;
  await t.step("a set changes that stage's trials", () => {
    const result = apply(exp, "dropout=0.5");
    assert.deepEqual(result.stages[0]!.params, { dropout: 0.5, "**model": { depth: 2 } });
    assert.deepEqual(trainOf(result).map((t) => t.params), [
      { lr: 1, dropout: 0.5, model: { depth: 2 } },
    ]);
  });
  await t.step("a set of a key under a stage's ** key", () => {
    const result = apply(exp, "model.depth=3");
    assert.deepEqual(trainOf(result).map((t) => t.params.model), [{ depth: 3 }]);
  });
  await t.step("a sweep changes that stage's trials", () => {
    const result = apply(exp, "dropout=0.2,0.3");
    assert.deepEqual(trainOf(result).map((t) => t.params.dropout), [0.2, 0.3]);
  });
  await t.step("a key only a stage sweeps", () => {
    const swept = experiment({
      params: {},
      stages: { train: { command: "echo", sweep: { wd: [1, 2] } } },
    });
    const result = apply(swept, "wd=5");
    assert.deepEqual(result.stages[0]!.sweep, {});
    assert.deepEqual(trainOf(result).map((t) => t.params.wd), [5]);
  });
});

Deno.test("parseOverride() rejects non-finite YAML numbers", async (t) => {
  for (const text of ["lr=.nan", "lr=.inf", "lr=[1,-.inf]"]) {
    await t.step(text, () => {
      const error = usageError(() => parseOverride(text));
      assert.match(error.message, /is not a JSON value/);
    });
  }
});

Deno.test("applyOverrides() tells a numeric seed of random draws from a swept seed param", async (t) => {
  const random = experiment({
    params: { lr: 0.1 },
    sweep: { lr: { uniform: [0, 1] }, samples: 2, seed: 7 },
    command: "echo",
  });
  await t.step("seed=3 is not a param here", () => {
    const error = usageError(() => apply(random, "seed=3"));
    assert.match(error.message, /Cannot override "seed"/);
  });
  await t.step("a set on lr keeps samples and seed out of the way", () => {
    const trials = expandTrials(apply(random, "lr=0.5"))[0]!.trials;
    assert.deepEqual(trials.map((t) => t.params.lr), [0.5]);
  });
  await t.step("a swept seed param can be overridden", () => {
    const swept = experiment({ params: { seed: 0 }, sweep: { seed: [0, 1] }, command: "echo" });
    const trials = expandTrials(apply(swept, "seed=5,6,7"))[0]!.trials;
    assert.deepEqual(trials.map((t) => t.params.seed), [5, 6, 7]);
  });
});

Deno.test("applyOverrides() sweeps a key in every grid of a list sweep", () => {
  const listed = experiment({
    params: { lr: 1, wd: 0 },
    sweep: [{ lr: [1, 2] }, { wd: [0, 1] }],
    command: "echo",
  });
  const trials = expandTrials(apply(listed, "lr=5,6"))[0]!.trials;
  // The second grid gains lr as its last axis.
  const pairs = trials.map((t) => [t.params.lr, t.params.wd]);
  assert.deepEqual(pairs, [[5, 0], [6, 0], [5, 0], [6, 0], [5, 1], [6, 1]]);
});

Deno.test("applyOverrides() changes only the stages that have a stage-only key", () => {
  const staged = experiment({
    params: { lr: 1 },
    stages: {
      train: { command: "echo", params: { dropout: 0.1 } },
      eval: { command: "echo" },
    },
  });
  const [train, evaluate] = expandTrials(apply(staged, "dropout=0.2,0.3"));
  assert.deepEqual(train!.trials.map((t) => t.params.dropout), [0.2, 0.3]);
  assert.deepEqual(evaluate!.trials.map((t) => t.params), [{ lr: 1 }]);
});

Deno.test("applyOverrides() lists each candidate once in an unknown-key hint", () => {
  const exp = experiment({ params: { lr: 1 }, sweep: { lr: [1, 2] }, command: "echo" });
  const error = usageError(() => apply(exp, "~zzzzzz"));
  assert.equal(error.hint, "params are: lr");
});
