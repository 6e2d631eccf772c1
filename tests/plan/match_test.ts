import assert from "node:assert/strict";
import type { JsonObject } from "../../lib/config/model.ts";
import { expandTrials, type StageTrials } from "../../lib/config/trials.ts";
import { ConfigError } from "../../lib/errors.ts";
import { matchDependencies, sweptPaths } from "../../lib/plan/match.ts";
import { experimentOf } from "./_experiment.ts";

/** Each trial of `stage` as `name → [stage/name of its deps]`. */
function depsOf(doc: JsonObject, stage: string): Record<string, string[]> {
  const experiment = experimentOf(doc);
  const stages = expandTrials(experiment);
  const matched = matchDependencies(experiment, stages);
  const s = stages.findIndex((x) => x.stage.name === stage);
  assert.ok(s >= 0, `no stage ${stage}`);
  return Object.fromEntries(stages[s]!.trials.map((trial, t) => [
    trial.name,
    matched[s]![t]!.map((ref) => label(stages, ref.stage, ref.trial)),
  ]));
}

function label(stages: readonly StageTrials[], s: number, t: number): string {
  const stage = stages[s]!;
  return `${stage.stage.name}/${stage.trials[t]!.name}`;
}

function matchError(doc: JsonObject): ConfigError {
  const experiment = experimentOf(doc);
  try {
    matchDependencies(experiment, expandTrials(experiment));
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("sweptPaths() lists the experiment's and the stage's axes, ** removed", () => {
  const experiment = experimentOf({
    sweep: [{ lr: [1, 2] }, { lr: [3], "**opt": [{ a: 1 }] }],
    stages: { train: { command: "echo", sweep: { "model.**head": [{ n: 1 }], seed: [1] } } },
  });
  const [train] = expandTrials(experiment);
  assert.deepEqual(sweptPaths(train!.shape), ["lr", "model.head", "seed", "opt"]);
});

Deno.test("matchDependencies() matches trials on the params both stages sweep", async (t) => {
  const cases: { name: string; doc: JsonObject; stage: string; deps: Record<string, string[]> }[] =
    [
      {
        name: "one-to-one on a shared experiment sweep",
        doc: {
          sweep: { lr: [0.1, 0.01] },
          stages: { train: { command: "echo" }, eval: { command: "echo", depends_on: ["train"] } },
        },
        stage: "eval",
        deps: { "lr=0.1": ["train/lr=0.1"], "lr=0.01": ["train/lr=0.01"] },
      },
      {
        name: "many-to-one when the dependent sweeps more",
        doc: {
          sweep: { lr: [0.1, 0.01] },
          stages: {
            train: { command: "echo" },
            eval: { command: "echo", depends_on: ["train"], sweep: { split: ["val", "test"] } },
          },
        },
        stage: "eval",
        deps: {
          "lr=0.1,split=val": ["train/lr=0.1"],
          "lr=0.1,split=test": ["train/lr=0.1"],
          "lr=0.01,split=val": ["train/lr=0.01"],
          "lr=0.01,split=test": ["train/lr=0.01"],
        },
      },
      {
        name: "one trial when nothing is swept on either side",
        doc: {
          stages: { train: { command: "echo" }, eval: { command: "echo", depends_on: "train" } },
        },
        stage: "eval",
        deps: { default: ["train/default"] },
      },
      {
        name: "on resolved values: a **key axis matches a plain one",
        doc: {
          params: { opt: {} },
          stages: {
            train: { command: "echo", sweep: { "**opt": [{ lr: 1 }, { lr: 2 }] } },
            eval: { command: "echo", depends_on: ["train"], sweep: { opt: [{ lr: 2 }] } },
          },
        },
        stage: "eval",
        deps: { 'opt={"lr":2}': ['train/opt={"lr":2}'] },
      },
      {
        name: "a stage sweep of the same param on both sides",
        doc: {
          stages: {
            train: { command: "echo", sweep: { seed: [1, 2, 3] } },
            eval: { command: "echo", depends_on: ["train"], sweep: { seed: [3, 1] } },
          },
        },
        stage: "eval",
        deps: { "seed=3": ["train/seed=3"], "seed=1": ["train/seed=1"] },
      },
      {
        name: "several dependency stages, in stage order",
        doc: {
          sweep: { lr: [1] },
          stages: {
            prep: { command: "echo" },
            train: { command: "echo" },
            eval: { command: "echo", depends_on: ["train", "prep"] },
          },
        },
        stage: "eval",
        deps: { "lr=1": ["prep/lr=1", "train/lr=1"] },
      },
      {
        name: "gather: every trial when nothing is shared",
        doc: {
          stages: {
            train: { command: "echo", sweep: { seed: [1, 2, 3] } },
            report: { command: "echo", depends_on: ["train"], gather: true },
          },
        },
        stage: "report",
        deps: { default: ["train/seed=1", "train/seed=2", "train/seed=3"] },
      },
      {
        name: "gather: one trial over the whole experiment sweep",
        doc: {
          sweep: { lr: [0.1, 0.01] },
          stages: {
            train: { command: "echo", sweep: { seed: [1, 2] } },
            report: { command: "echo", depends_on: ["train"], gather: true },
          },
        },
        stage: "report",
        deps: {
          default: [
            "train/lr=0.1,seed=1",
            "train/lr=0.1,seed=2",
            "train/lr=0.01,seed=1",
            "train/lr=0.01,seed=2",
          ],
        },
      },
      {
        name: "gather: per value of what the gather stage itself sweeps",
        doc: {
          sweep: { lr: [0.1, 0.01] },
          stages: {
            train: { command: "echo", sweep: { seed: [1, 2] } },
            report: {
              command: "echo",
              depends_on: ["train"],
              gather: true,
              sweep: { lr: [0.1, 0.01] },
            },
          },
        },
        stage: "report",
        deps: {
          "lr=0.1": ["train/lr=0.1,seed=1", "train/lr=0.1,seed=2"],
          "lr=0.01": ["train/lr=0.01,seed=1", "train/lr=0.01,seed=2"],
        },
      },
    ];
  for (const c of cases) {
    await t.step(c.name, () => assert.deepEqual(depsOf(c.doc, c.stage), c.deps));
  }
});

Deno.test("matchDependencies() names the trial that matches none or several", async (t) => {
  const cases: { name: string; doc: JsonObject; message: string; hint: string }[] = [
    {
      name: "no trial agrees",
      doc: {
        stages: {
          train: { command: "echo", sweep: { lr: [0.1, 0.2] } },
          eval: { command: "echo", depends_on: ["train"], sweep: { lr: [0.3] } },
        },
      },
      message: 'Cannot match trial "lr=0.3" of stage "eval": no trial of stage "train" agrees ' +
        "with it",
      hint: 'the values of lr in eval trial "lr=0.3" match no trial of train',
    },
    {
      name: "several trials agree",
      doc: {
        sweep: { lr: [0.1] },
        stages: {
          train: { command: "echo", sweep: { seed: [1, 2], wd: [0] } },
          eval: { command: "echo", depends_on: ["train"] },
        },
      },
      message: 'Cannot match trial "lr=0.1" of stage "eval": 2 trials of stage "train" agree ' +
        "with it",
      hint: '2 trials of train match eval trial "lr=0.1"; add gather: true, or sweep the params ' +
        "that tell them apart (seed, wd)",
    },
    {
      name: "gather still needs one agreeing trial",
      doc: {
        stages: {
          train: { command: "echo", sweep: { lr: [0.1] } },
          eval: { command: "echo", depends_on: ["train"], gather: true, sweep: { lr: [0.2] } },
        },
      },
      message: 'Cannot match trial "lr=0.2" of stage "eval": no trial of stage "train" agrees ' +
        "with it",
      hint: 'the values of lr in eval trial "lr=0.2" match no trial of train',
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const error = matchError(c.doc);
      assert.equal(error.message, c.message);
      assert.equal(error.hint, c.hint);
      assert.deepEqual(error.at, { file: "xp.yaml#stages.eval.depends_on" });
    });
  }
});

Deno.test("matchDependencies() matches 10,000 × 10,000 trials in linear time", () => {
  const values = Array.from({ length: 10_000 }, (_, i) => i);
  const experiment = experimentOf({
    sweep: { x: values },
    stages: { a: { command: "echo" }, b: { command: "echo", depends_on: ["a"] } },
  });
  const stages = expandTrials(experiment);
  const start = performance.now();
  const matched = matchDependencies(experiment, stages);
  const ms = performance.now() - start;
  assert.equal(matched[1]!.length, 10_000);
  assert.ok(matched[1]!.every((refs, t) => refs.length === 1 && refs[0]!.trial === t));
  // Quadratic matching would compare 10^8 pairs; linear takes tens of milliseconds.
  assert.ok(ms < 2_000, `matching took ${ms.toFixed(0)} ms`);
});
