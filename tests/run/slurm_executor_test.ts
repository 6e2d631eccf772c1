/**
 * The Slurm executor's watcher without a cluster: a fake `squeue` (and `scancel`) on PATH stands in
 * for Slurm, and a fake submitter records the arrays, so the exit record, a job that vanished, a
 * job stuck on a failed dependency, a controller that stopped answering, and attempts batched into
 * one array are all covered.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Stage } from "../../lib/config/mod.ts";
import type { TrialLaunch } from "../../lib/run/executor.ts";
import type { ArraySubmitter, ArrayTask } from "../../lib/run/slurm_array.ts";
import { slurmExecutor, type SlurmExecutorOptions } from "../../lib/run/slurm_executor.ts";
import { withTempDir } from "../_helpers.ts";

/**
 * Runs `fn` with PATH starting with a `squeue` that runs `body` and a `scancel` that appends its
 * arguments to `dir/scancelled`, then restores PATH.
 */
async function withFakeSqueue<T>(body: string, fn: (dir: string) => Promise<T>): Promise<T> {
  return await withTempDir(async (dir) => {
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    await Deno.writeTextFile(join(bin, "squeue"), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    await Deno.writeTextFile(
      join(bin, "scancel"),
      `#!/bin/sh\necho "$@" >> '${dir}/scancelled'\n`,
      {
        mode: 0o755,
      },
    );
    const path = Deno.env.get("PATH") ?? "";
    Deno.env.set("PATH", `${bin}:${path}`);
    try {
      return await fn(dir);
    } finally {
      Deno.env.set("PATH", path);
    }
  });
}

const stage = { name: "main", retry: 0, env: {}, permissions: {} } as unknown as Stage;

/** A submitter that records each array instead of calling sbatch; job ids count from 40. */
function fakeSubmitter(): ArraySubmitter & { arrays: ArrayTask[][] } {
  const arrays: ArrayTask[][] = [];
  return {
    arrays,
    maxArraySize: () => Promise.resolve(1001),
    submit(_stage, tasks) {
      arrays.push(tasks);
      const job = String(40 + arrays.length);
      return Promise.resolve({ job, log: (task) => `/logs/${job}_${task}.log` });
    },
  };
}

const executor = (more: Partial<SlurmExecutorOptions> = {}) =>
  slurmExecutor({
    deno: "deno",
    slurm: {},
    submitter: fakeSubmitter(),
    cancelOnInterrupt: false,
    pollMs: 20,
    lostContactMs: 200,
    ...more,
  });

Deno.test("a job's exit record is its outcome", async () => {
  await withFakeSqueue('echo "42|RUNNING|None"', async (dir) => {
    const record = { exit_code: 0, elapsed_s: 1, timeout_s: null, job: "42", host: "vm" };
    setTimeout(
      () => Deno.writeTextFileSync(join(dir, "slurm_exit.json"), JSON.stringify(record)),
      50,
    );
    const outcome = await executor().attach!({ job: "42", trialDir: dir, stage }, {
      signal: new AbortController().signal,
    });
    assert.deepEqual(outcome, { state: "ok", exitCode: 0, signal: null, error: null });
  });
});

Deno.test("a job gone without an exit record takes Slurm's state and reason", async () => {
  await withFakeSqueue('echo "42|TIMEOUT|TimeLimit"', async (dir) => {
    const outcome = await executor().attach!({ job: "42", trialDir: dir, stage }, {
      signal: new AbortController().signal,
    });
    assert.equal(outcome.state, "timeout");
    assert.match(outcome.error!, /Slurm job 42 reached its time limit, reason TimeLimit/);
  });
});

Deno.test("when squeue keeps failing, xp detaches instead of waiting forever", async () => {
  await withFakeSqueue(
    "echo 'slurm_load_jobs error: Unable to contact slurm controller' >&2; exit 1",
    async (dir) => {
      const outcome = await executor().attach!({ job: "42", trialDir: dir, stage }, {
        signal: new AbortController().signal,
      });
      assert.equal(outcome.detached, true);
      assert.match(
        outcome.error!,
        /lost contact with Slurm \(squeue has failed for \d+s\); job 42 may still run/,
      );
    },
  );
});

Deno.test("Ctrl-C detaches from a running job unless told to cancel it", async () => {
  await withFakeSqueue('echo "42|RUNNING|None"', async (dir) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await executor().attach!({ job: "42", trialDir: dir, stage }, {
      signal: controller.signal,
    });
    assert.equal(outcome.detached, true);
    assert.equal(outcome.state, "interrupted");
  });
});

Deno.test("a job left pending on a failed dependency is cancelled, to be submitted again", async () => {
  await withFakeSqueue('echo "42_3|PENDING|DependencyNeverSatisfied"', async (dir) => {
    const outcome = await executor().attach!({ job: "42_3", trialDir: dir, stage }, {
      signal: new AbortController().signal,
    });
    assert.equal(outcome.stale, true);
    assert.match(
      outcome.error!,
      /Slurm job 42_3 waited on a dependency .*DependencyNeverSatisfied/,
    );
    assert.equal(await Deno.readTextFile(join(dir, "scancelled")), "42_3\n");
  });
});

Deno.test("detached, a queued job is left to run and followed no further", async () => {
  await withFakeSqueue('echo "42_0|PENDING|Priority"', async (dir) => {
    const outcome = await executor({ detach: true }).attach!(
      { job: "42_0", trialDir: dir, stage },
      {
        signal: new AbortController().signal,
      },
    );
    assert.equal(outcome.detached, true);
    assert.match(outcome.error!, /detached: Slurm job 42_0 keeps running/);
  });
});

Deno.test("a job squeue has forgotten is read from Slurm's own output", async () => {
  await withFakeSqueue("exit 0", async (dir) => {
    const log = join(dir, "42_1.log");
    await Deno.writeTextFile(
      log,
      "slurmstepd: error: *** JOB 57 ON vm CANCELLED AT 2026-11-23T10:00:00 DUE TO TIME LIMIT ***\n",
    );
    const outcome = await executor().attach!({ job: "42_1", trialDir: dir, stage, log }, {
      signal: new AbortController().signal,
    });
    assert.equal(outcome.state, "timeout");
    assert.match(outcome.error!, /Slurm job 42_1 reached its time limit, reason TimeLimit/);
  });
});

Deno.test("attempts handed over together go out as one array, each told its task", async () => {
  await withFakeSqueue("exit 0", async (dir) => {
    const submitter = fakeSubmitter();
    const run = executor({ submitter, detach: true });
    const submitted: string[] = [];
    const launches = [0, 1, 2].map((i): TrialLaunch => ({
      key: `k${i}`,
      name: `n=${i}`,
      stage,
      experimentDir: dir,
      experimentFile: join(dir, "xp.yaml"),
      trialDir: join(dir, `t${i}`),
      depOuts: [],
      command: "true",
      env: {},
    }));
    for (const launch of launches) await Deno.mkdir(launch.trialDir);
    const outcomes = await Promise.all(launches.map((launch) =>
      run.run(launch, {
        signal: new AbortController().signal,
        onSubmit: (job, log) => submitted.push(`${launch.key} ${job} ${log}`),
      })
    ));
    // One array; each trial told the task that runs it (in whatever order they were ready).
    assert.equal(submitter.arrays.length, 1);
    const tasks = new Map(submitter.arrays[0]!.map((t) => [t.dir, t.task]));
    assert.deepEqual([...tasks.values()].sort(), [0, 1, 2]);
    assert.deepEqual(
      submitted.sort(),
      launches.map((l) => {
        const job = `41_${tasks.get(l.trialDir)}`;
        return `${l.key} ${job} /logs/${job}.log`;
      }),
    );
    assert.ok(outcomes.every((o) => o.detached));
    for (const launch of launches) {
      const script = await Deno.readTextFile(join(launch.trialDir, "slurm_job.sh"));
      assert.match(script, /sh '-c' 'true'; }/);
    }
  });
});
