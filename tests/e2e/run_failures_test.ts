/**
 * `xp run` end to end when trials go wrong: each way a trial can fail gives its state and a
 * message of its own, dependents are skipped with the reason, the rest still runs, `retry:`
 * and `--fail-fast`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import {
  entries,
  exists,
  readJson,
  runRecords,
  storedStates,
  storedTrial,
  storedTrials,
  writeFiles,
} from "./_run_helpers.ts";
import type { TrialStatus } from "../../lib/store/mod.ts";

/** Writes the experiment, runs `xp run` once, and returns the result and the one trial's status. */
async function runOne(dir: string, files: Record<string, string>, ...args: string[]) {
  await writeFiles(dir, files);
  const result = await xp(["run", ...args], { cwd: dir });
  const [trial, ...more] = await storedTrials(dir);
  assert.ok(trial, result.stderr);
  assert.equal(more.length, 0);
  return { ...result, trial, status: trial.status! };
}

Deno.test("a command that exits non-zero fails with its code and last stderr line", async () => {
  await withTempDir(async (dir) => {
    const { code, stdout, stderr, trial, status } = await runOne(dir, {
      "xp.yaml": `name: exits
command: |
  echo working
  echo "loading data" >&2
  echo "disk full" >&2
  exit 3
`,
    });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(status.state, "failed");
    assert.equal(status.exit_code, 3);
    assert.equal(status.signal, null);
    assert.equal(status.error, "exited with code 3: disk full");
    assert.equal(status.attempt, 1);
    assert.equal(await Deno.readTextFile(join(trial.dir, "stdout.log")), "working\n");
    // Printed when it happens: the error, the stderr tail, the path of the full log.
    const stderrLog = join(trial.dir, "stderr.log");
    assert.ok(
      stderr.includes(
        [
          "  failed main default: exited with code 3: disk full",
          "    │ loading data",
          "    │ disk full",
          `    └ ${stderrLog}`,
        ].join("\n"),
      ),
      stderr,
    );
    assert.match(stderr, /\nfailed: 1 failed in \S+ \(run \S+\)\n$/);
    const [record] = await runRecords(dir);
    assert.equal(record!.status, "failed");
    assert.deepEqual(record!.counts, { failed: 1 });
  });
});

Deno.test("a TS trial that throws fails with the error's message and a stack", async () => {
  await withTempDir(async (dir) => {
    const { code, stdout, stderr, trial, status } = await runOne(dir, {
      "xp.yaml": "name: throws\nscript: train.ts\n",
      "train.ts": `export default () => {
  throw new RangeError("the loss diverged at step 7");
};
`,
    });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(status.state, "failed");
    assert.equal(status.exit_code, 1);
    assert.match(status.error!, /the loss diverged at step 7/);
    const log = await Deno.readTextFile(join(trial.dir, "stderr.log"));
    assert.match(log, /^error: RangeError: the loss diverged at step 7\n/);
    assert.match(log, /train\.ts:2:9/);
    assert.match(stderr, /failed main default: .*the loss diverged at step 7\n/);
    assert.ok(stderr.includes(`└ ${join(trial.dir, "stderr.log")}`));
    // Nothing logged, no result: the events file is never created.
    assert.equal(await exists(join(trial.dir, "events.ndjson")), false);
  });
});

Deno.test("xp run marks a trial that exceeds its timeout as timeout", async () => {
  await withTempDir(async (dir) => {
    const began = performance.now();
    const { code, stderr, status } = await runOne(dir, {
      "xp.yaml": "name: slow\ntimeout: 1s\ncommand: echo begun; sleep 20\n",
    });
    assert.ok(performance.now() - began < 10_000, "the trial was stopped, not waited for");
    assert.equal(code, 1);
    assert.equal(status.state, "timeout");
    assert.equal(status.exit_code, null);
    assert.equal(status.signal, "SIGTERM");
    assert.equal(status.error, 'timed out after 1s (timeout: in stage "main")');
    assert.match(stderr, /^ {2}timeout main default: timed out after 1s/m);
    assert.match(stderr, /\nfailed: 1 timeout in /);
  });
});

Deno.test("a trial killed by a signal is killed", async () => {
  await withTempDir(async (dir) => {
    const { code, stderr, status } = await runOne(dir, {
      "xp.yaml": "name: sig\ncommand: kill -9 $$\n",
    });
    assert.equal(code, 1);
    assert.equal(status.state, "killed");
    assert.equal(status.signal, "SIGKILL");
    assert.equal(status.exit_code, null);
    assert.match(status.error!, /^killed by SIGKILL/);
    assert.match(stderr, /^ {2}killed main default: killed by SIGKILL/m);
  });
});

Deno.test("a TS trial over its memory: limit is killed as out of memory", async () => {
  await withTempDir(async (dir) => {
    const { code, stderr, status } = await runOne(dir, {
      "xp.yaml": "name: oom\nmemory: 64M\nscript: train.ts\n",
      "train.ts": `export default () => {
  const keep: number[][] = [];
  for (;;) keep.push(new Array(1_000_000).fill(1.5));
};
`,
    });
    assert.equal(code, 1);
    assert.equal(status.state, "killed");
    assert.equal(status.exit_code, null);
    assert.equal(status.error, "out of memory (memory: 64M)");
    assert.match(stderr, /^ {2}killed main default: out of memory \(memory: 64M\)$/m);
  });
});

Deno.test("dependents of a failed trial are skipped with the reason; the others still run", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: skips
params: { lr: 0.1 }
sweep: { lr: [0.1, 0.01] }
stages:
  train:
    command: echo "lr \${lr} is too small" >&2; test \${lr} != 0.01
  eval:
    command: echo eval
    depends_on: [train]
  report:
    command: echo report
    depends_on: [eval]
`,
    });
    const { code, stdout, stderr } = await xp(["run", "-j", "2"], { cwd: dir });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.deepEqual(await storedStates(dir), {
      "eval lr=0.01": "skipped",
      "eval lr=0.1": "ok",
      "report lr=0.01": "skipped",
      "report lr=0.1": "ok",
      "train lr=0.01": "failed",
      "train lr=0.1": "ok",
    });
    const evaluate = await storedTrial(dir, "eval", "lr=0.01");
    assert.equal(evaluate.status!.error, "dependency train lr=0.01 ended failed");
    assert.equal(evaluate.status!.attempt, 0);
    assert.equal(evaluate.status!.started_at, null);
    assert.deepEqual(await entries(evaluate.dir), ["config.json", "meta.json", "status.json"]);
    const report = await storedTrial(dir, "report", "lr=0.01");
    assert.equal(report.status!.error, "dependency eval lr=0.01 was skipped");

    assert.match(stderr, /^ {2}failed train lr=0\.01: exited with code 1: lr 0\.01 is too small$/m);
    assert.match(stderr, /^ {2}skipped eval lr=0\.01: dependency train lr=0\.01 ended failed$/m);
    assert.match(stderr, /^ {2}skipped report lr=0\.01: dependency eval lr=0\.01 was skipped$/m);
    assert.match(stderr, /\nfailed: 3 ok, 1 failed, 2 skipped in \S+ \(run \S+\)\n$/);
    const [record] = await runRecords(dir);
    assert.equal(record!.status, "failed");
    assert.deepEqual(record!.counts, { ok: 3, failed: 1, skipped: 2 });
  });
});

Deno.test("retry: 1 reruns a failed trial; the first attempt's files go to attempts/1/", async () => {
  await withTempDir(async (dir) => {
    // out/ persists across attempts, so a counter there tells the attempts apart.
    const { code, stdout, stderr, trial, status } = await runOne(dir, {
      "xp.yaml": `name: flaky
retry: 1
command: |
  n=$(cat "$XP_OUT/count" 2>/dev/null || echo 0)
  n=$((n + 1))
  echo "$n" > "$XP_OUT/count"
  echo "attempt $n"
  echo "attempt $n on stderr" >&2
  test "$n" -ge 2
`,
    });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "");
    assert.equal(status.state, "ok");
    assert.equal(status.attempt, 2);
    assert.equal(status.error, null);
    assert.match(
      stderr,
      /^ {2}retry {2}main default: exited with code 1: attempt 1 on stderr \(attempt 2 in \S+\)$/m,
    );
    assert.match(stderr, /^ {2}start {2}main default \(attempt 2\)$/m);
    assert.match(stderr, /\nok: 1 ok in /);
    assert.equal(await Deno.readTextFile(join(trial.dir, "out", "count")), "2\n");
    assert.equal(await Deno.readTextFile(join(trial.dir, "stdout.log")), "attempt 2\n");
    const first = join(trial.dir, "attempts", "1");
    assert.equal(await Deno.readTextFile(join(first, "stdout.log")), "attempt 1\n");
    assert.equal(await Deno.readTextFile(join(first, "stderr.log")), "attempt 1 on stderr\n");
    const firstStatus = await readJson<TrialStatus>(join(first, "status.json"));
    assert.equal(firstStatus.state, "failed");
    assert.equal(firstStatus.attempt, 1);
    assert.equal(firstStatus.exit_code, 1);
    assert.deepEqual(await entries(join(trial.dir, "attempts")), ["1"]);
  });
});

Deno.test("retry: a TS trial with a dependency reads it again on its next attempt", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": 'name: deps\nstages:\n  a: { command: "true" }\n' +
        "  b: { script: b.ts, depends_on: [a], retry: 1 }\n",
      "b.ts": `export default (cfg: unknown, ctx: any) => {
  const seen = ctx.restore() ?? 0;
  ctx.checkpoint(seen + 1);
  if (seen === 0) throw new Error("first attempt fails");
  return { attempt: seen + 1, dep: ctx.deps.a.stage };
};
`,
    });
    const { code, stderr } = await xp(["run"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const b = (await storedTrials(dir)).find((t) => t.meta.stage === "b")!;
    assert.equal(b.status?.attempt, 2);
    assert.deepEqual(
      await readJson(join(b.dir, "attempts", "1", "deps.json")),
      await readJson(join(b.dir, "deps.json")),
    );
  });
});

Deno.test("retry: gives up after its last attempt and keeps every attempt's logs", async () => {
  await withTempDir(async (dir) => {
    const { code, status, trial } = await runOne(dir, {
      "xp.yaml": "name: hopeless\nretry: 1\ncommand: echo nope >&2; exit 5\n",
    });
    assert.equal(code, 1);
    assert.equal(status.state, "failed");
    assert.equal(status.attempt, 2);
    assert.equal(status.error, "exited with code 5: nope");
    assert.deepEqual(await entries(join(trial.dir, "attempts")), ["1"]);
  });
});

Deno.test("--fail-fast starts no new trial after the first failure", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: fast
params: { i: 1 }
sweep: { i: [1, 2, 3] }
command: echo \${i} >> ran.txt; test \${i} != 1
`,
    });
    const { code, stdout, stderr } = await xp(["run", "-j", "1", "--fail-fast"], { cwd: dir });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(await Deno.readTextFile(join(dir, "ran.txt")), "1\n");
    assert.deepEqual(await storedStates(dir), { "main i=1": "failed" });
    assert.doesNotMatch(stderr, /start {2}main i=2/);
    assert.match(stderr, /\nfailed: 1 failed in /);

    // Without --fail-fast the other trials run.
    const all = await xp(["run", "-j", "1"], { cwd: dir });
    assert.equal(all.code, 1);
    assert.deepEqual(await storedStates(dir), {
      "main i=1": "failed",
      "main i=2": "ok",
      "main i=3": "ok",
    });
    assert.ok(await exists(join(dir, "ran.txt")));
    assert.equal(await Deno.readTextFile(join(dir, "ran.txt")), "1\n1\n2\n3\n");
  });
});
