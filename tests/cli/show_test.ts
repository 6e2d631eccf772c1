import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFixtureTrial } from "../query/_fixtures.ts";
import { withFixtureProject, xpRun } from "./_query_helpers.ts";

Deno.test("xp show prints config, status, metrics, artifacts and the stderr tail", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout, stderr } = await xpRun(["show", keys[3]!.slice(0, 6)], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^trial ${keys[3]!.slice(0, 12)}  train/lr=0\\.01,depth=4\n`));
    assert.match(
      stdout,
      /\nstatus\n {2}state {6}failed\n {2}error {6}Error: diverged\n {2}exit code {2}1\n/,
    );
    assert.match(stdout, /\n {2}attempt {4}1\n/);
    assert.match(stdout, /\nconfig\n {2}lr {11}0\.01\n {2}model\.depth {2}4\n/);
    assert.match(stdout, /\nmetrics\n {2}loss {2}0\.26\n/);
    const tail = stdout.slice(stdout.indexOf("\nstderr (last 10 lines"));
    assert.deepEqual(tail.trimEnd().split("\n").slice(2).map((l) => l.trim()), [
      ...Array.from({ length: 9 }, (_, i) => `warn ${i + 7}`),
      "Error: diverged",
    ]);
  });
});

Deno.test("xp show finds a trial by name or STAGE/NAME and lists artifacts", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout } = await xpRun(["show", "lr=0.1,depth=4"], { cwd: dir });
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`key {9}${keys[1]}`));
    assert.match(
      stdout,
      /\nartifacts\n {2}artifact {2}model {2}model\.bin {2}7 B {2}sha256:[0-9a-f]{12}\n/,
    );
    const staged = await xpRun(["show", "eval/lr=0.1,depth=2"], { cwd: dir });
    assert.equal(staged.code, 0);
    assert.match(staged.stdout, /^trial \w+ {2}eval\/lr=0\.1,depth=2\n/);
  });
});

Deno.test("xp show --json is one object", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout } = await xpRun(["show", keys[0]!, "--json"], { cwd: dir });
    assert.equal(code, 0);
    const trial = JSON.parse(stdout);
    assert.equal(trial.key, keys[0]);
    assert.equal(trial.stage, "train");
    assert.equal(trial.status.state, "ok");
    assert.deepEqual(trial.config, { lr: 0.1, model: { depth: 2, kind: "mlp" }, opt: "adam" });
    assert.equal(trial.metrics.accuracy, 0.8200000000000001);
    assert.equal(trial.artifacts[0].name, "model");
    assert.deepEqual(trial.stderr_tail, []);
    assert.equal(trial.indexed, true);
  });
});

Deno.test("xp show of an ambiguous name lists the candidates, exit 2", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout, stderr } = await xpRun(["show", "lr=0.1,depth=2"], { cwd: dir });
    assert.equal(code, 2);
    assert.equal(stdout, "");
    const sorted: [string, string][] = [[keys[4]!, "eval"], [keys[0]!, "train"]];
    assert.equal(
      stderr,
      `error: "lr=0.1,depth=2" matches 2 trials:\n` +
        sorted.map(([k, s]) => `  ${k.slice(0, 12)}  ${s}/lr=0.1,depth=2  ok\n`).join("") +
        "hint: give a longer key prefix or STAGE/NAME, e.g. xp show eval/lr=0.1,depth=2\n",
    );
  });
});

Deno.test("xp show of an ambiguous key prefix lists the candidates", async () => {
  const trials = ["a", "b"].map((name, i) => ({
    key: `abc${i}`.padEnd(64, "0"),
    name,
    params: { i },
  }));
  await withFixtureProject(async ({ dir }) => {
    const { code, stderr } = await xpRun(["show", "abc"], { cwd: dir });
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^error: "abc" matches 2 trials:\n {2}abc000000000 {2}train\/a {2}ok\n {2}abc100000000 {2}train\/b {2}ok\n/,
    );
    const one = await xpRun(["show", "abc1"], { cwd: dir });
    assert.equal(one.code, 0);
  }, trials);
});

Deno.test("xp show of an unknown trial suggests a close name, exit 2", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stderr } = await xpRun(["show", "lr=0.1,depth=3"], { cwd: dir });
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^error: No trial "lr=0\.1,depth=3" in .*\.xp\nhint: did you mean "lr=0\.1,depth=2"/,
    );
    const far = await xpRun(["show", "zzzzzzzzzzzzzzzzz"], { cwd: dir });
    assert.match(far.stderr, /hint: give a key prefix or a trial name; "xp ls" lists the trials/);
  });
});

Deno.test("xp show of a stage name says so and names its trials as STAGE/NAME, exit 2", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stderr } = await xpRun(["show", "train"], { cwd: dir });
    assert.equal(code, 2);
    assert.match(stderr, /^error: No trial "train" in .*\.xp: it is a stage\n/);
    assert.match(stderr, /\nhint: name one of its trials as STAGE\/NAME: train\/lr=/);
  });
});

Deno.test("xp show of a running trial reads its events (not indexed yet)", async () => {
  await withFixtureProject(async ({ dir, store }) => {
    const key = "f".repeat(64);
    await writeFixtureTrial(store, key, {
      name: "live",
      params: { lr: 1 },
      state: "running",
      events: [{ t: "scalar", name: "loss", value: 0.5, step: 1 }, {
        t: "metric",
        name: "acc",
        value: 0.1,
      }],
      stderr: "working\n",
    }, "2026-01-02T00:00:00Z");
    const { code, stdout } = await xpRun(["show", "live"], { cwd: dir });
    assert.equal(code, 0);
    assert.match(stdout, /\n {2}state +running\n/);
    assert.match(
      stdout,
      /metrics \(from events; not indexed yet\)\n {2}loss {2}0\.5\n {2}acc {3}0\.1\n/,
    );
    assert.match(stdout, /\n {2}working\n$/);
    assert.ok(await Deno.stat(join(store, "trials", key)));
  });
});

Deno.test("xp show lists a trial's dependencies with their state", async () => {
  const prep = "1".repeat(64);
  await withFixtureProject(async ({ dir }) => {
    const { code, stdout } = await xpRun(["show", "eval/score"], { cwd: dir });
    assert.equal(code, 0);
    assert.match(
      stdout,
      /\ndeps\n {2}111111111111 {2}prep\/data {2}ok\n {2}222222222222 {2}\?\/\? {2}\?\n/,
    );
  }, [
    { key: prep, stage: "prep", name: "data", params: {} },
    { stage: "eval", name: "score", params: {}, deps: [prep, "2".repeat(64)] },
  ]);
});
