import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { canonicalJson } from "../../lib/config/canonical.ts";
import type { JsonObject } from "../../lib/config/model.ts";
import { ConfigError } from "../../lib/errors.ts";
import type { Plan } from "../../lib/plan/model.ts";
import { keyOf, planExperiment } from "../../lib/plan/plan.ts";
import { DENO, experimentOf, load, writeFiles } from "./_experiment.ts";

/** Plans a document of command stages (no files needed). */
async function plan(doc: JsonObject, dir?: string): Promise<Plan> {
  return await planExperiment(experimentOf(doc, dir), { deno: DENO });
}

/** Keys by `stage/name`. */
function keys(p: Plan): Record<string, string> {
  return Object.fromEntries(p.trials.map((t) => [`${t.stage}/${t.name}`, t.key]));
}

/** The `stage/name` entries whose keys differ between two plans. */
function changed(a: Plan, b: Plan): string[] {
  const before = keys(a);
  return Object.entries(keys(b)).filter(([id, key]) => before[id] !== key).map(([id]) => id);
}

const PIPELINE: JsonObject = {
  name: "demo",
  params: { lr: 0.1, data: { path: "d" } },
  sweep: { lr: [0.1, 0.01] },
  stages: {
    prep: { command: "echo prep", params: { "data.rows": 100 } },
    train: {
      command: "echo train",
      depends_on: ["prep"],
      params: { model: { depth: 2, width: 8 } },
      sweep: { "model.depth": [2, 4] },
    },
    eval: {
      command: "echo eval",
      depends_on: ["train"],
      params: { split: "val", "data.path": "e", "model.width": 16 },
    },
  },
};

Deno.test("planExperiment() reports a dependency that matches several trials", async () => {
  await assert.rejects(() => plan(PIPELINE), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /"eval": 2 trials of stage "train" agree/);
    assert.match(error.hint ?? "", /\(model\.depth\)$/);
    return true;
  });
});

/** The pipeline with eval sweeping model.depth too, so that each eval trial has one train. */
const CHAIN: JsonObject = {
  ...PIPELINE,
  stages: {
    ...(PIPELINE.stages as JsonObject),
    eval: { ...(PIPELINE.stages as JsonObject).eval as JsonObject, sweep: { "model.depth": [4] } },
  },
};

Deno.test("planExperiment() lists trials in dependency order with their dependencies", async () => {
  const p = await plan(CHAIN);
  assert.deepEqual(p.stages.map((s) => s.stage.name), ["prep", "train", "eval"]);
  assert.deepEqual(
    p.trials.map((t) => `${t.stage}/${t.name}`),
    [
      "prep/lr=0.1",
      "prep/lr=0.01",
      "train/lr=0.1,model.depth=2",
      "train/lr=0.1,model.depth=4",
      "train/lr=0.01,model.depth=2",
      "train/lr=0.01,model.depth=4",
      "eval/lr=0.1,model.depth=4",
      "eval/lr=0.01,model.depth=4",
    ],
  );
  assert.equal(p.byKey.size, p.trials.length);
  const train = p.trials.find((t) => t.name === "lr=0.01,model.depth=4")!;
  assert.deepEqual(train.deps, [keys(p)["prep/lr=0.01"]]);
  assert.deepEqual(train.swept, { lr: 0.01, "model.depth": 4 });
  assert.equal(train.experiment, "demo");
  assert.equal(train.gather, false);
  assert.match(train.codeDigest, /^[0-9a-f]{64}$/);
  assert.equal(train.canonical, canonicalJson(train.config));
});

Deno.test("planExperiment() gives effective params through a chain of stages", async () => {
  const p = await plan(CHAIN);
  const evalTrial = p.trials.find((t) => t.stage === "eval" && t.name === "lr=0.01,model.depth=4");
  assert.ok(evalTrial);
  assert.deepEqual(evalTrial.config, {
    lr: 0.01,
    data: { path: "e" },
    model: { depth: 4, width: 16 },
    split: "val",
  });
  // rows from prep, through train; eval's own data.path, model.width and split win at the leaf.
  assert.deepEqual(evalTrial.effective, {
    lr: 0.01,
    data: { path: "e", rows: 100 },
    model: { depth: 4, width: 16 },
    split: "val",
  });
  const train = p.byKey.get(evalTrial.deps[0]!)!;
  assert.equal(train.name, "lr=0.01,model.depth=4");
  assert.deepEqual(train.effective, {
    lr: 0.01,
    data: { path: "d", rows: 100 },
    model: { depth: 4, width: 8 },
  });
});

Deno.test("keyOf() hashes the canonical JSON of the trial's identity", async (t) => {
  const parts = {
    experiment: "demo",
    stage: "train",
    canonical: canonicalJson({ lr: 0.1, model: { depth: 2 } }),
    code: "c0de",
    deps: ["b", "a"],
  };
  await t.step("the bytes are those of canonicalJson", () => {
    const json = canonicalJson({
      experiment: "demo",
      stage: "train",
      config: { model: { depth: 2 }, lr: 0.1 },
      code: "c0de",
      deps: ["a", "b"],
    });
    assert.equal(keyOf(parts), createHash("sha256").update(json).digest("hex"));
  });
  await t.step("the order of dependencies does not matter", () => {
    assert.equal(keyOf({ ...parts, deps: ["a", "b"] }), keyOf(parts));
  });
  await t.step("names with quotes are written as JSON strings", () => {
    const odd = { ...parts, experiment: 'a"b\\', stage: "s\n" };
    const json = canonicalJson({
      experiment: 'a"b\\',
      stage: "s\n",
      config: JSON.parse(parts.canonical),
      code: "c0de",
      deps: ["a", "b"],
    });
    assert.equal(keyOf(odd), createHash("sha256").update(json).digest("hex"));
  });
});

Deno.test("planExperiment() keys change with exactly what they depend on", async (t) => {
  const base = await plan(CHAIN);
  await t.step("the same experiment gives the same keys", async () => {
    assert.deepEqual(keys(await plan(CHAIN)), keys(base));
  });
  const variant = (stage: string, patch: JsonObject): JsonObject => {
    const stages = structuredClone(CHAIN.stages) as Record<string, JsonObject>;
    stages[stage] = { ...stages[stage]!, ...patch };
    return { ...CHAIN, stages };
  };
  const cases: [string, JsonObject, string[]][] = [
    [
      "another experiment name changes every key",
      { ...CHAIN, name: "other" },
      Object.keys(
        keys(base),
      ),
    ],
    [
      "a config value changes that stage and its dependents",
      variant("train", {
        params: { model: { depth: 2, width: 9 } },
      }),
      [
        "train/lr=0.1,model.depth=2",
        "train/lr=0.1,model.depth=4",
        "train/lr=0.01,model.depth=2",
        "train/lr=0.01,model.depth=4",
        "eval/lr=0.1,model.depth=4",
        "eval/lr=0.01,model.depth=4",
      ],
    ],
    [
      "the code of the first stage changes every key",
      variant("prep", {
        command: "echo prep v2",
      }),
      Object.keys(keys(base)),
    ],
    [
      "the code of the last stage changes only its keys",
      variant("eval", {
        command: "echo eval v2",
      }),
      ["eval/lr=0.1,model.depth=4", "eval/lr=0.01,model.depth=4"],
    ],
    [
      "a stage setting changes its keys and its dependents'",
      variant("train", {
        env: { SEED: "1" },
      }),
      [
        "train/lr=0.1,model.depth=2",
        "train/lr=0.1,model.depth=4",
        "train/lr=0.01,model.depth=2",
        "train/lr=0.01,model.depth=4",
        "eval/lr=0.1,model.depth=4",
        "eval/lr=0.01,model.depth=4",
      ],
    ],
    ["a timeout changes nothing", variant("train", { timeout: 5 }), []],
  ];
  for (const [name, doc, expected] of cases) {
    await t.step(name, async () => assert.deepEqual(changed(base, await plan(doc)), expected));
  }
});

Deno.test("planExperiment() keys change when an input changes, and dependents' too", async () => {
  const dir = await Deno.makeTempDir({ prefix: "xp_test_" });
  try {
    await writeFiles(dir, {
      "xp.yaml": [
        "sweep: { lr: [1, 2] }",
        "stages:",
        "  train: { command: python3 train.py, inputs: [data/] }",
        "  eval: { command: python3 eval.py, depends_on: [train] }",
        "",
      ].join("\n"),
      "train.py": "",
      "eval.py": "",
      "data/a.csv": "1\n",
    });
    const before = await planExperiment(await load(dir), { deno: DENO });
    await writeFiles(dir, { "data/a.csv": "2\n" });
    const afterInput = await planExperiment(await load(dir), { deno: DENO });
    assert.deepEqual(changed(before, afterInput), [
      "train/lr=1",
      "train/lr=2",
      "eval/lr=1",
      "eval/lr=2",
    ]);
    await writeFiles(dir, { "eval.py": "print()\n" });
    const afterCode = await planExperiment(await load(dir), { deno: DENO });
    assert.deepEqual(changed(afterInput, afterCode), ["eval/lr=1", "eval/lr=2"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("planExperiment() locates a matching error in the YAML file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "xp_test_" });
  try {
    await writeFiles(dir, {
      "xp.yaml": [
        "stages:",
        "  train:",
        "    command: echo",
        "    sweep: { seed: [1, 2] }",
        "  eval:",
        "    command: echo",
        "    depends_on: [train]",
        "",
      ].join("\n"),
    });
    await assert.rejects(
      async () => planExperiment(await load(dir), { deno: DENO }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.at, { file: "xp.yaml", line: 7, column: 5 });
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("planExperiment() lists a trial once when a sweep repeats a config", async () => {
  const p = await plan({ sweep: { lr: [1, 1, 2] }, command: "echo" });
  assert.deepEqual(p.stages[0]!.trials.map((t) => t.name), ["lr=1", "lr=1~2", "lr=2"]);
  assert.deepEqual(p.trials.map((t) => t.name), ["lr=1", "lr=2"]);
});

Deno.test("planExperiment() gives a gathering trial every agreeing dependency", async () => {
  const p = await plan({
    sweep: { lr: [1, 2] },
    stages: {
      train: { command: "echo", sweep: { seed: [1, 2, 3] } },
      report: { command: "echo", depends_on: ["train"], gather: true, sweep: { lr: [1, 2] } },
    },
  });
  const report = p.trials.filter((t) => t.stage === "report");
  assert.deepEqual(report.map((t) => t.deps.map((k) => p.byKey.get(k)!.name)), [
    ["lr=1,seed=1", "lr=1,seed=2", "lr=1,seed=3"],
    ["lr=2,seed=1", "lr=2,seed=2", "lr=2,seed=3"],
  ]);
  assert.ok(report.every((t) => t.gather));
  // Inherited from the last dependency, in sweep order.
  assert.equal(report[0]!.effective.seed, 3);
});
