/**
 * `xp run` end to end, choosing what runs: `--stage` (dependencies pulled in), `--force`,
 * `--force=STAGE`, `--retry-failed`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import {
  entries,
  ndjson,
  storedStates,
  storedTrial,
  storedTrials,
  writeFiles,
} from "./_run_helpers.ts";

/**
 * train → eval, and an independent report stage; every trial appends its name to ran.txt. (Through
 * $XP_EXPERIMENT_DIR: a file named by a bare word of a command is hashed into the stage's key.)
 */
const PIPELINE = `name: pipeline
params: { lr: 0.1 }
sweep: { lr: [0.1, 0.2] }
stages:
  train:
    command: echo "train \${lr}" >> "$XP_EXPERIMENT_DIR/ran.txt"
  eval:
    command: echo "eval \${lr}" >> "$XP_EXPERIMENT_DIR/ran.txt"
    depends_on: [train]
  report:
    command: echo "report \${lr}" >> "$XP_EXPERIMENT_DIR/ran.txt"
`;

async function ran(dir: string): Promise<string[]> {
  const text = await Deno.readTextFile(join(dir, "ran.txt")).catch(() => "");
  return text.split("\n").filter(Boolean).sort();
}

/** `stage name → attempt` of every stored trial. */
async function attempts(dir: string): Promise<Record<string, number | undefined>> {
  return Object.fromEntries(
    (await storedTrials(dir)).map((t) => [`${t.meta.stage} ${t.meta.name}`, t.status?.attempt]),
  );
}

Deno.test("--stage eval runs eval and pulls in the train trials it needs, nothing else", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": PIPELINE });
    const { code, stdout, stderr } = await xp(["run", "--stage", "eval", "--json"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    assert.deepEqual(ndjson(stdout)[0]!.plan, { trials: 4, cached: 0, todo: 4, blocked: 0 });
    assert.deepEqual(await ran(dir), ["eval 0.1", "eval 0.2", "train 0.1", "train 0.2"]);
    assert.deepEqual(await storedStates(dir), {
      "eval lr=0.1": "ok",
      "eval lr=0.2": "ok",
      "train lr=0.1": "ok",
      "train lr=0.2": "ok",
    });
    const records = await entries(join(dir, ".xp", "runs"));
    assert.equal(records.length, 1);

    // Later, --stage report runs only report: nothing else is needed.
    const report = await xp(["run", "--stage", "report", "-q"], { cwd: dir });
    assert.equal(report.code, 0, report.stderr);
    assert.deepEqual((await ran(dir)).filter((l) => l.startsWith("report")), [
      "report 0.1",
      "report 0.2",
    ]);
    assert.equal((await ran(dir)).length, 6);
  });
});

Deno.test("--force reruns every trial, finished or not", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": PIPELINE });
    assert.equal((await xp(["run", "-q"], { cwd: dir })).code, 0);
    const { code, stderr } = await xp(["run", "--force"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.match(stderr, /^xp run \S+: pipeline, 6 trials \(6 to run, 0 cached\)/);
    assert.match(stderr, /\nok: 6 ok in /);
    assert.equal((await ran(dir)).length, 12);
    for (const trial of await storedTrials(dir)) {
      assert.equal(trial.status?.state, "ok");
      assert.equal(trial.status?.attempt, 2, `${trial.meta.stage} ${trial.meta.name}`);
      // The earlier attempt's files are set aside.
      assert.deepEqual(await entries(join(trial.dir, "attempts")), ["1"]);
      const first = await entries(join(trial.dir, "attempts", "1"));
      for (const file of ["status.json", "stderr.log", "stdout.log"]) {
        assert.ok(first.includes(file), `attempts/1/${file}`);
      }
    }
  });
});

Deno.test("--force=eval reruns the eval trials only; train stays cached", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": PIPELINE });
    assert.equal((await xp(["run", "-q"], { cwd: dir })).code, 0);
    const train = await storedTrial(dir, "train", "lr=0.1");
    const { code, stderr } = await xp(["run", "--force=eval"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.match(stderr, /\(2 to run, 4 cached\)/);
    assert.match(stderr, /\nok: 2 ok, 4 cached in /);
    assert.deepEqual(await attempts(dir), {
      "eval lr=0.1": 2,
      "eval lr=0.2": 2,
      "report lr=0.1": 1,
      "report lr=0.2": 1,
      "train lr=0.1": 1,
      "train lr=0.2": 1,
    });
    assert.deepEqual(await storedTrial(dir, "train", "lr=0.1"), train, "train was not touched");
  });
});

Deno.test("--retry-failed reruns only the trials that failed", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: retry
params: { lr: 0.1 }
sweep: { lr: [0.1, 0.2] }
stages:
  train:
    # lr=0.2 fails the first time (a transient failure); out/ is kept for the rerun.
    command: |
      echo "train \${lr}" >> "$XP_EXPERIMENT_DIR/ran.txt"
      test \${lr} = 0.1 || test -f "$XP_OUT/failed-once" || { touch "$XP_OUT/failed-once"; exit 1; }
  other:
    command: echo "other \${lr}" >> "$XP_EXPERIMENT_DIR/ran.txt"
`,
    });
    const first = await xp(["run", "--stage", "train", "-q"], { cwd: dir });
    assert.equal(first.code, 1);
    assert.deepEqual(await storedStates(dir), { "train lr=0.1": "ok", "train lr=0.2": "failed" });
    const ok = await storedTrial(dir, "train", "lr=0.1");

    const { code, stdout, stderr } = await xp(["run", "--retry-failed", "--json"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const events = ndjson(stdout);
    assert.deepEqual(events[0]!.plan, { trials: 2, cached: 1, todo: 1, blocked: 0 });
    assert.deepEqual(
      events.filter((e) => e.type === "trial_started").map((e) => `${e.stage} ${e.name}`),
      ["train lr=0.2"],
    );
    // The other stage never ran, so there is nothing of it to retry.
    assert.deepEqual(await ran(dir), ["train 0.1", "train 0.2", "train 0.2"]);
    assert.deepEqual(await storedStates(dir), { "train lr=0.1": "ok", "train lr=0.2": "ok" });
    assert.equal((await storedTrial(dir, "train", "lr=0.2")).status?.attempt, 2);
    assert.deepEqual(await storedTrial(dir, "train", "lr=0.1"), ok);
  });
});

Deno.test("an unknown --stage exits 2 with the stages as a hint, before anything runs", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": PIPELINE });
    for (const flag of [["--stage", "evl"], ["--force=evl"]]) {
      const { code, stdout, stderr } = await xp(["run", ...flag], { cwd: dir });
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.equal(
        stderr,
        `error: Unknown stage "evl" in ${flag[0]!.replace("=evl", "")}\n` +
          "hint: stages are: train, eval, report\n",
      );
    }
    assert.deepEqual(await entries(dir), ["xp.yaml"]);
  });
});
