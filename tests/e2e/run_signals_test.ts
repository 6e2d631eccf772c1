/**
 * `xp run` end to end when xp itself is stopped: Ctrl-C (SIGINT) marks the running trials
 * `interrupted` and exits 130; after a SIGKILL the next run finds the trial left `running`
 * stale. Either way the next `xp run` resumes: finished trials stay cached.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import {
  exists,
  killGroup,
  runRecords,
  spawnXp,
  storedStates,
  storedTrial,
  storedTrials,
  waitFor,
  writeFiles,
} from "./_run_helpers.ts";

/**
 * A quick trial and a slow one. The slow one writes its shell's pid (its process group) and a
 * marker, then sleeps, until the file "resume" exists (named through $XP_EXPERIMENT_DIR so it is
 * not hashed into the key).
 */
const TWO_TRIALS = `name: resumable
params: { job: quick }
sweep: { job: [quick, slow] }
command: |
  if [ \${job} = slow ] && [ ! -f "$XP_EXPERIMENT_DIR/resume" ]; then
    echo $$ > "$XP_EXPERIMENT_DIR/slow.pid"
    touch "$XP_EXPERIMENT_DIR/slow.started"
    sleep 30
  fi
  echo done \${job}
`;

/** Starts `xp run -j 2` and waits until the quick trial is ok and the slow one is sleeping. */
async function startAndWait(dir: string) {
  await writeFiles(dir, { "xp.yaml": TWO_TRIALS });
  const run = spawnXp(["run", "-j", "2"], dir);
  await waitFor("the slow trial to start", () => exists(join(dir, "slow.started")));
  // The slow trial may start before xp has recorded it running (a busy machine): wait for both.
  await waitFor("the quick trial to finish and the slow one to be recorded", async () => {
    const states = await storedStates(dir);
    return states["main job=quick"] === "ok" && states["main job=slow"] === "running";
  });
  const pid = Number(await Deno.readTextFile(join(dir, "slow.pid")));
  return { run, pid };
}

Deno.test("Ctrl-C stops xp run with 130, marks the running trial interrupted, and the next run resumes it", async () => {
  await withTempDir(async (dir) => {
    const { run, pid } = await startAndWait(dir);
    try {
      run.child.kill("SIGINT");
      const { code, stdout, stderr } = await run.done();
      assert.equal(code, 130, stderr);
      assert.equal(stdout, "");
      assert.match(stderr, /^ {2}interrupted main job=slow: interrupted/m);
      assert.match(stderr, /\ninterrupted: 1 ok, 1 interrupted in \S+ \(run \S+\)\n$/);
    } finally {
      killGroup(pid);
    }
    assert.deepEqual(await storedStates(dir), {
      "main job=quick": "ok",
      "main job=slow": "interrupted",
    });
    const slow = await storedTrial(dir, "main", "job=slow");
    assert.equal(slow.status!.attempt, 1);
    assert.ok(slow.status!.finished_at);
    assert.equal(await exists(join(slow.dir, "lock")), false, "the lock is released");
    const [record] = await runRecords(dir);
    assert.equal(record!.status, "interrupted");
    assert.deepEqual(record!.counts, { ok: 1, interrupted: 1 });
    const quick = await storedTrial(dir, "main", "job=quick");

    await Deno.writeTextFile(join(dir, "resume"), "");
    const { code, stderr } = await xp(["run"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.match(stderr, /\(1 to run, 1 cached\)/);
    assert.match(stderr, /^ {2}start {2}main job=slow \(attempt 2\)$/m);
    assert.doesNotMatch(stderr, /start {2}main job=quick/);
    assert.deepEqual(await storedStates(dir), { "main job=quick": "ok", "main job=slow": "ok" });
    assert.equal((await storedTrial(dir, "main", "job=slow")).status!.attempt, 2);
    assert.deepEqual(await storedTrial(dir, "main", "job=quick"), quick, "quick stayed cached");
  });
});

Deno.test("after xp run is killed with SIGKILL, the next run reruns the trial left running", async () => {
  await withTempDir(async (dir) => {
    const { run, pid } = await startAndWait(dir);
    try {
      run.child.kill("SIGKILL");
      const { code } = await run.done();
      assert.equal(code, 137);
    } finally {
      // Trials run in their own process group, so they outlive a SIGKILLed xp.
      killGroup(pid);
    }
    const slow = await storedTrial(dir, "main", "job=slow");
    assert.equal(slow.status!.state, "running", "nobody was left to write its end");
    assert.equal(slow.status!.pid, run.child.pid);
    const quick = await storedTrial(dir, "main", "job=quick");
    assert.equal(quick.status!.state, "ok");
    const [record] = await runRecords(dir);
    assert.equal(record!.status, "running");

    await Deno.writeTextFile(join(dir, "resume"), "");
    const { code, stdout, stderr } = await xp(["run"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, /\(1 to run, 1 cached\)/);
    assert.match(stderr, /^ {2}start {2}main job=slow \(attempt 2\)$/m);
    assert.match(stderr, /\nok: 1 ok, 1 cached in /);
    const trials = await storedTrials(dir);
    assert.deepEqual(trials.map((t) => [t.meta.name, t.status?.state, t.status?.attempt]), [
      ["job=quick", "ok", 1],
      ["job=slow", "ok", 2],
    ]);
    assert.deepEqual(trials[0], quick, "the finished trial was not touched");
    assert.equal(
      await Deno.readTextFile(join(trials[1]!.dir, "stdout.log")),
      "done slow\n",
    );
  });
});
