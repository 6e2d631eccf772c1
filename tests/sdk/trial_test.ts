import assert from "node:assert/strict";
import { join } from "node:path";
import { runTrial } from "../../lib/sdk/trial.ts";
import { withTempDir } from "../_helpers.ts";
import { makeTrial, readEvents, SDK_MOD } from "./_trial.ts";

Deno.test("runTrial() calls a default-exported function with cfg and ctx and writes its result", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(
      dir,
      `export default async function (cfg, ctx) {
        ctx.log.scalar("loss", cfg.lr);
        await Deno.writeTextFile(ctx.out + "/seen.json", JSON.stringify({
          same: cfg === ctx.cfg, name: ctx.name, key: ctx.key, stage: ctx.stage, out: ctx.out, deps: ctx.deps,
          parent: ctx.parent,
        }));
        return { accuracy: 0.9, loss: NaN };
      }`,
      { config: { lr: 0.1 } },
    );
    assert.deepEqual(await runTrial(spec), { ok: true });
    const events = await readEvents(spec.eventsFile);
    assert.equal(events.length, 2);
    assert.deepEqual({ ...events[0], time: 0 }, {
      t: "scalar",
      name: "loss",
      value: 0.1,
      step: 0,
      time: 0,
    });
    assert.deepEqual(events[1], { t: "result", value: { accuracy: 0.9, loss: "NaN" } });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(spec.out, "seen.json"))), {
      same: true,
      name: "lr=0.1",
      key: "k123",
      stage: "main",
      out: spec.out,
      deps: {},
      parent: null,
    });
  });
});

Deno.test("runTrial() runs the stage's run of an experiment() object, else the top-level run", async () => {
  const source = `import { experiment } from ${JSON.stringify(SDK_MOD)};
    export default experiment({
      params: { lr: 0.1 },
      run: (cfg, ctx) => ({ from: "top", stage: ctx.stage }),
      stages: {
        train: { run(cfg, ctx) { return { from: "train", self: this.marker, lr: cfg.lr }; }, marker: 7 },
        eval: { dependsOn: ["train"] },
      },
    });`;
  await withTempDir(async (dir) => {
    const spec = await makeTrial(dir, source, { stage: "train", config: { lr: 0.5 } });
    assert.deepEqual(await runTrial(spec), { ok: true });
    assert.deepEqual((await readEvents(spec.eventsFile)).at(-1), {
      t: "result",
      value: { from: "train", self: 7, lr: 0.5 },
    });
  });
  await withTempDir(async (dir) => {
    const spec = await makeTrial(dir, source, { stage: "eval" });
    assert.deepEqual(await runTrial(spec), { ok: true });
    assert.deepEqual((await readEvents(spec.eventsFile)).at(-1), {
      t: "result",
      value: { from: "top", stage: "eval" },
    });
  });
});

Deno.test("runTrial() returns a throw as an error with the user's stack, keeping earlier events", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(
      dir,
      `function inner() { throw new RangeError("diverged", { cause: new Error("lr too high") }); }
      export default function (cfg, ctx) { ctx.log.scalar("loss", 1); inner(); }`,
    );
    const result = await runTrial(spec);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error, "RangeError: diverged\ncaused by: lr too high");
    assert.match(result.stack ?? "", /^ {4}at inner \(file:\/\/.*\/exp\/trial\.ts:1:/);
    assert.doesNotMatch(result.stack ?? "", /lib\/sdk\//);
    const events = await readEvents(spec.eventsFile);
    assert.deepEqual(events.map((e) => e.t), ["scalar"]);
  });
});

Deno.test("runTrial() reports a non-Error throw and a bad ctx.log call", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(dir, `export default () => { throw "nope"; }`);
    assert.deepEqual(await runTrial(spec), {
      ok: false,
      error: 'the trial threw a non-Error value: "nope"',
    });
  });
  await withTempDir(async (dir) => {
    const spec = await makeTrial(dir, `export default (cfg, ctx) => ctx.log.scalar("loss", "1");`);
    const result = await runTrial(spec);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(
      result.error,
      /^TypeError: ctx\.log\.scalar\("loss"\): the value must be a number/,
    );
    assert.match(
      result.stack ?? "",
      /^ {4}at default \(file:.*trial\.ts:1:/,
      "the user's call is the top frame",
    );
  });
});

Deno.test("runTrial() fails a result JSON cannot hold, naming the path", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(
      dir,
      `class Tensor {}
      export default () => ({ model: { weights: new Tensor() }, n: 1 });`,
    );
    const result = await runTrial(spec);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(
      result.error,
      /^TypeError: The trial's result cannot be saved: result\.model\.weights is an instance of Tensor/,
    );
    assert.deepEqual(await readEvents(spec.eventsFile), []);
  });
});

Deno.test("runTrial() writes no result event when the function returns undefined, and null when null", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(dir, `export default (cfg, ctx) => { ctx.log.metric("m", 1); };`);
    assert.deepEqual(await runTrial(spec), { ok: true });
    assert.deepEqual((await readEvents(spec.eventsFile)).map((e) => e.t), ["metric"]);
  });
  await withTempDir(async (dir) => {
    const spec = await makeTrial(dir, `export default () => null;`);
    assert.deepEqual(await runTrial(spec), { ok: true });
    assert.deepEqual(await readEvents(spec.eventsFile), [{ t: "result", value: null }]);
  });
});

Deno.test("runTrial() says what the default export should be when there is no function", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "no default export",
      `export const run = () => 1;`,
      /trial\.ts has no default export: export default a function \(cfg, ctx\) => result/,
    ],
    [
      "a default that is a number",
      `export default 42;`,
      /has no function to run for stage "main": export default a function/,
    ],
    [
      "an experiment without run for the stage",
      `export default { stages: { other: { run: () => 1 } } };`,
      /experiment\(\{ stages: \{ main: \{ run \} \} \}\)/,
    ],
  ];
  for (const [name, source, message] of cases) {
    await t.step(name, async () => {
      await withTempDir(async (dir) => {
        const result = await runTrial(await makeTrial(dir, source));
        assert.equal(result.ok, false);
        if (!result.ok) assert.match(result.error, message);
      });
    });
  }
});

Deno.test("runTrial() gives a dependency as an object, a gathered stage as an array", async () => {
  await withTempDir(async (dir) => {
    const dep = (stage: string, name: string, gather: boolean) => ({
      stage,
      name,
      key: `key-${name}`,
      result: { acc: name.length },
      out: `/store/${name}/out`,
      gather,
    });
    const spec = await makeTrial(dir, `export default (cfg, ctx) => ctx.deps;`, {
      deps: [dep("prep", "p", false), dep("train", "a", true), dep("train", "bb", true)],
    });
    assert.deepEqual(await runTrial(spec), { ok: true });
    assert.deepEqual((await readEvents(spec.eventsFile)).at(-1), {
      t: "result",
      value: {
        prep: { stage: "prep", name: "p", key: "key-p", result: { acc: 1 }, out: "/store/p/out" },
        train: [
          { stage: "train", name: "a", key: "key-a", result: { acc: 1 }, out: "/store/a/out" },
          { stage: "train", name: "bb", key: "key-bb", result: { acc: 2 }, out: "/store/bb/out" },
        ],
      },
    });
  });
});

Deno.test("runTrial() refuses a deps file with two trials of a stage that is not gathered", async () => {
  await withTempDir(async (dir) => {
    const one = { stage: "train", name: "a", key: "a", result: null, out: "/a", gather: false };
    const spec = await makeTrial(dir, `export default () => 1;`, {
      deps: [one, { ...one, name: "b" }],
    });
    const result = await runTrial(spec);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.error, /several trials of stage "train" without "gather": true/);
    }
  });
});

Deno.test("runTrial() gives ctx.checkpoint() and ctx.restore() across attempts", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(
      dir,
      `export default (cfg, ctx) => {
        const state = ctx.restore() ?? { attempt: 0 };
        ctx.checkpoint({ attempt: state.attempt + 1 });
        if (state.attempt === 0) throw new Error("first attempt fails");
        return state;
      }`,
    );
    const first = await runTrial(spec);
    assert.equal(first.ok, false);
    assert.deepEqual(await runTrial(spec), { ok: true });
    assert.deepEqual((await readEvents(spec.eventsFile)).at(-1), {
      t: "result",
      value: { attempt: 1 },
    });
  });
});

Deno.test("runTrial() gives a forked trial ctx.parent and its parent's checkpoint until it saves its own", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(
      dir,
      `export default (cfg, ctx) => {
        const state = ctx.restore();
        ctx.checkpoint({ step: state.step + 1 });
        return { restored: state.step, parent: ctx.parent };
      }`,
    );
    const parentDir = join(dir, "parent");
    await Deno.mkdir(parentDir);
    await Deno.writeTextFile(join(parentDir, "checkpoint.json"), '{"state":{"step":10}}');
    const parent = {
      stage: "main",
      name: "lr=1",
      key: "p456",
      result: { acc: 0.5 },
      out: "/p/out",
    };
    await Deno.writeTextFile(join(spec.trialDir, "parent.json"), JSON.stringify(parent));
    const forked = { ...spec, parentKey: "p456", parentDir };
    assert.deepEqual(await runTrial(forked), { ok: true });
    assert.deepEqual(await runTrial(forked), { ok: true });
    const results = (await readEvents(spec.eventsFile)).filter((e) => e.t === "result");
    assert.deepEqual(results.map((e) => e.value), [
      { restored: 10, parent },
      { restored: 11, parent },
    ], "the second attempt resumes its own checkpoint, not the parent's");
  });
});

Deno.test("runTrial() reports a missing or malformed config file", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(dir, `export default () => 1;`);
    await Deno.writeTextFile(spec.configFile, "[1]");
    const result = await runTrial(spec);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.error, /config\.json must hold the trial's config as a JSON object/);
    }
    await Deno.remove(spec.configFile);
    assert.equal((await runTrial(spec)).ok, false);
  });
});

Deno.test("runTrial() resolves a relative script from the experiment directory", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(dir, `export default () => "relative";`);
    assert.deepEqual(await runTrial({ ...spec, script: "trial.ts" }), { ok: true });
    assert.deepEqual((await readEvents(spec.eventsFile)).at(-1), {
      t: "result",
      value: "relative",
    });
  });
});

Deno.test("runTrial() imports a script whose path has spaces, #, ? and %", async () => {
  await withTempDir(async (dir) => {
    const spec = await makeTrial(join(dir, "a b#1?%20"), `export default () => "odd path";`);
    assert.deepEqual(await runTrial(spec), { ok: true });
    assert.deepEqual((await readEvents(spec.eventsFile)).at(-1), {
      t: "result",
      value: "odd path",
    });
  });
});
