/**
 * Job arrays and `--detach` against a real one-node Slurm cluster (scripts/slurm-local.sh): a
 * sweep as one array; a pipeline submitted whole with `aftercorr`/`afterok` and left to Slurm;
 * dependents of a failed trial skipped and their jobs cancelled; `--fail-fast` withdrawing the
 * tasks not started; a detached trial followed (not run again) by a local run; paths with blanks; the controller restarting mid-run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MAIN, withTempDir, xp } from "../_helpers.ts";
import { restartController, stopController, withCluster } from "./_slurm_cluster.ts";
import {
  entries,
  exists,
  runRecords,
  storedStates,
  storedTrials,
  waitFor,
  writeFiles,
} from "./_run_helpers.ts";

interface Status {
  trials: Record<string, number>;
  waiting: number;
  slurm: Record<string, number>;
}

async function status(dir: string, env: Record<string, string>): Promise<Status> {
  const { code, stdout, stderr } = await xp(["status", "--json"], { cwd: dir, env });
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

/** The Slurm state of each job (`12_3`, …) as squeue lists it. */
async function jobStates(jobs: string[], env: Record<string, string>): Promise<string[]> {
  const { stdout } = await new Deno.Command("squeue", {
    args: [
      "-h",
      "-r",
      "-t",
      "all",
      "-j",
      jobs.map((j) => j.split("_")[0]).join(","),
      "-o",
      "%i %T",
    ],
    env,
    stdout: "piped",
    stderr: "null",
  }).output();
  const states = new Map(
    new TextDecoder().decode(stdout).trim().split("\n").map((line) =>
      line.split(" ") as [string, string]
    ),
  );
  return jobs.map((job) => states.get(job) ?? states.get(job.split("_")[0]!) ?? "gone");
}

/** The files of the newest run's `slurm/` directory. */
async function arrayFiles(dir: string): Promise<{ dir: string; names: string[] }> {
  const runs = await entries(join(dir, ".xp", "runs"));
  const slurm = join(dir, ".xp", "runs", runs.at(-1)!, "slurm");
  return { dir: slurm, names: await entries(slurm) };
}

Deno.test("xp run --executor slurm: job arrays and --detach on a real one-node cluster", async (t) => {
  await withCluster(t, async (step, cluster) => {
    const { env } = cluster;
    await step("a sweep goes out as one job array, one task per trial", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, {
          "xp.yaml":
            'name: arr\nsweep:\n  n: [1, 2, 3]\ncommand: echo "$SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID"\n',
        });
        const { code, stderr } = await xp(["run", "--executor", "slurm", "-j", "2"], {
          cwd: dir,
          env,
        });
        assert.equal(code, 0, stderr);
        const files = await arrayFiles(dir);
        const scripts = files.names.filter((n) => n.endsWith(".sh"));
        assert.deepEqual(scripts, ["array-001-main.sh"]);
        const script = await Deno.readTextFile(join(files.dir, scripts[0]!));
        assert.match(script, /^#SBATCH --array=0-2%2$/m, "-j 2 throttles the array");
        const seen = new Set<string>();
        const tasks = [];
        for (const trial of await storedTrials(dir)) {
          assert.equal(trial.status?.state, "ok");
          const [array, task] = (await Deno.readTextFile(join(trial.dir, "stdout.log"))).trim()
            .split(" ");
          seen.add(array!);
          tasks.push(Number(task));
        }
        assert.equal(seen.size, 1, "every trial ran in the same array");
        assert.deepEqual(tasks.sort(), [0, 1, 2]);
      });
    });

    await step(
      "--detach submits what it can at once and exits; status, the same command and attach follow",
      async () => {
        await withTempDir(async (dir) => {
          // a → sum is a whole stage feeding the next (afterok); a and c → b match trial by trial
          // on two inputs (b waits for its inputs and goes out on a later run). a takes 3 s, so
          // none of b's inputs can have ended when the detached run looks once.
          await writeFiles(dir, {
            "xp.yaml": `name: det
sweep:
  i: { range: [0, 9] }
stages:
  a: { command: 'sleep 3; echo "{\\"t\\":\\"result\\",\\"value\\":{\\"a\\":\${i}}}" >> "$XP_EVENTS"' }
  c: { command: "true" }
  b: { command: "sleep 2", depends_on: [a, c] }
  sum: { command: 'cat "$XP_DEPS"', depends_on: a, gather: true }
`,
          });
          const began = performance.now();
          const first = await xp(["run", "--executor", "slurm", "--detach"], { cwd: dir, env });
          assert.equal(first.code, 0, first.stderr);
          const runId = first.stdout.trim();
          assert.match(runId, /^\d{8}T\d{9}Z-[0-9a-f]{4}$/);
          assert.match(first.stderr, new RegExp(`xp status ${runId}.*xp attach ${runId}`));
          assert.ok(performance.now() - began < 20_000, "it did not wait for the trials");
          const script = (await arrayFiles(dir)).names.filter((n) => n.endsWith(".sh"));
          assert.deepEqual(script, ["array-001-a.sh", "array-002-c.sh", "array-003-sum.sh"]);
          const sum = await Deno.readTextFile(join((await arrayFiles(dir)).dir, script[2]!));
          assert.match(sum, /^#SBATCH --dependency=afterok:\d+$/m);
          const [record] = await runRecords(dir);
          assert.deepEqual([record!.status, record!.finished_at, record!.detached], [
            "running",
            null,
            true,
          ]);
          assert.equal(record!.counts.queued, 9, "b's trials are recorded as waiting");
          const early = await status(dir, env);
          assert.equal(early.waiting, 9, "b's trials wait for their inputs");
          // A trial that ended before xp looked is recorded at once; the rest run on.
          assert.equal((early.trials.running ?? 0) + (early.trials.ok ?? 0), 19);
          // Slurm runs a, c and then sum without xp.
          await waitFor("the submitted jobs to end", async () => {
            const trials = await storedTrials(dir);
            const ended = await Promise.all(
              trials.map((t) => exists(join(t.dir, "slurm_exit.json"))),
            );
            return ended.filter(Boolean).length === 19 ? true : undefined;
          }, 120_000);
          // Ended, but not recorded until a run follows them.
          assert.deepEqual(Object.keys((await status(dir, env)).slurm), ["exited"]);
          // The same command again: records what ended, submits b, and detaches again.
          const again = await xp(["run", "--executor", "slurm", "--detach"], { cwd: dir, env });
          assert.equal(again.code, 0, again.stderr);
          const states = await storedStates(dir);
          assert.equal(states["sum default"], "ok");
          assert.equal(states["a i=0"], "ok");
          assert.equal(states["b i=0"], "running");
          const attached = await xp(["attach"], { cwd: dir, env });
          assert.equal(attached.code, 0, attached.stderr);
          for (const trial of await storedTrials(dir)) {
            assert.equal(trial.status?.state, "ok", `${trial.meta.stage} ${trial.meta.name}`);
            assert.equal(trial.status?.attempt, 1, "followed, never submitted twice");
          }
          // sum went out before a ended: its deps.json got a's results when its job started.
          const summed = (await storedTrials(dir)).find((t) => t.meta.stage === "sum")!;
          const deps = JSON.parse(await Deno.readTextFile(join(summed.dir, "stdout.log")));
          assert.deepEqual(
            deps.map((d: { result: unknown }) => d.result).sort((
              x: { a: number },
              y: { a: number },
            ) => x.a - y.a),
            Array.from({ length: 9 }, (_, i) => ({ a: i })),
          );
        });
      },
    );

    await step("trial-by-trial dependents wait inside Slurm with aftercorr", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, {
          "xp.yaml": `name: corr
sweep:
  n: [1, 2, 3]
stages:
  train: { command: 'sleep 1; echo "{\\"t\\":\\"result\\",\\"value\\":\${n}}" >> "$XP_EVENTS"' }
  eval: { command: 'cat "$XP_DEPS"', depends_on: train }
`,
        });
        const { code, stderr } = await xp(["run", "--executor", "slurm"], { cwd: dir, env });
        assert.equal(code, 0, stderr);
        const files = await arrayFiles(dir);
        const evalScript = await Deno.readTextFile(join(files.dir, "array-002-eval.sh"));
        assert.match(evalScript, /^#SBATCH --dependency=aftercorr:\d+$/m);
        for (const trial of (await storedTrials(dir)).filter((t) => t.meta.stage === "eval")) {
          const deps = JSON.parse(await Deno.readTextFile(join(trial.dir, "stdout.log")));
          assert.equal(
            `n=${deps[0].result}`,
            trial.meta.name,
            "each eval got its own train's result",
          );
        }
      });
    });

    await step(
      "a failed dependency: its afterok dependents end skipped, their jobs cancelled",
      async () => {
        await withTempDir(async (dir) => {
          await writeFiles(dir, {
            "xp.yaml": `name: dep
sweep:
  n: [1, 2]
stages:
  a: { command: "test \${n} != 2" }
  g: { command: "echo never", depends_on: a, gather: true }
`,
          });
          const { code, stderr } = await xp(["run", "--executor", "slurm"], { cwd: dir, env });
          assert.equal(code, 1, stderr);
          const gathered = (await storedTrials(dir)).find((t) => t.meta.stage === "g")!;
          assert.equal(gathered.status?.state, "skipped");
          const match = gathered.status?.error?.match(
            /^dependency a n=2 ended failed; its Slurm job (\d+_0) was cancelled$/,
          );
          assert.ok(match, gathered.status?.error ?? "no error");
          assert.deepEqual(await jobStates([match[1]!], env), ["CANCELLED"]);
          assert.equal(await exists(join(gathered.dir, "stdout.log")), false, "it never ran");
        });
      },
    );

    await step(
      "--fail-fast: after a failure the tasks Slurm has not started are cancelled and skipped",
      async () => {
        await withTempDir(async (dir) => {
          // -j 1 throttles the array to one task at a time: the first fails at once, and Slurm
          // may start the second before xp sees that; the others wait behind its 3 s.
          await writeFiles(dir, {
            "xp.yaml":
              'name: ff\nsweep:\n  n: [1, 2, 3, 4]\ncommand: "test ${n} != 1 && sleep 3"\n',
          });
          const { code, stderr } = await xp(
            ["run", "--executor", "slurm", "-j", "1", "--fail-fast"],
            { cwd: dir, env },
          );
          assert.equal(code, 1, stderr);
          const states = await storedStates(dir);
          assert.equal(states["main n=1"], "failed");
          const others = ["main n=2", "main n=3", "main n=4"].map((t) => states[t]);
          assert.ok(others.every((s) => s === "ok" || s === "skipped"), JSON.stringify(states));
          assert.ok(others.filter((s) => s === "skipped").length >= 2, JSON.stringify(states));
          for (const trial of await storedTrials(dir)) {
            if (trial.status?.state !== "skipped") continue;
            const match = trial.status.error?.match(
              /^not started: --fail-fast stopped the run after a failure \(Slurm job (\d+_\d+) cancelled\)$/,
            );
            assert.ok(match, trial.status.error ?? "no error");
            assert.deepEqual(await jobStates([match[1]!], env), ["CANCELLED"]);
            assert.equal(await exists(join(trial.dir, "stdout.log")), false, "it never ran");
          }
        });
      },
    );

    await step(
      "a dependency that failed once and then passed on retry: its dependent is resubmitted",
      async () => {
        await withTempDir(async (dir) => {
          await writeFiles(dir, {
            "xp.yaml": `name: retried
stages:
  a: { command: "test -f \${out}/tried || { touch \${out}/tried; exit 1; }", retry: 1 }
  g: { command: "echo after", depends_on: a, gather: true }
`,
          });
          const { code, stderr } = await xp(["run", "--executor", "slurm"], { cwd: dir, env });
          assert.equal(code, 0, stderr);
          const [a, g] = await storedTrials(dir);
          assert.deepEqual([a!.status?.state, a!.status?.attempt], ["ok", 2]);
          // g's first job waited on a's failed first attempt (DependencyNeverSatisfied).
          assert.deepEqual([g!.status?.state, g!.status?.attempt], ["ok", 1]);
          assert.equal(await Deno.readTextFile(join(g!.dir, "stdout.log")), "after\n");
          const scripts = (await arrayFiles(dir)).names.filter((n) => n.endsWith(".sh"));
          assert.deepEqual(scripts, [
            "array-001-a.sh",
            "array-002-g.sh",
            "array-003-a.sh",
            "array-004-g.sh",
          ]);
        });
      },
    );

    await step(
      "a detached trial run again with --executor local is followed, not run twice",
      async () => {
        await withTempDir(async (dir) => {
          await writeFiles(dir, {
            "xp.yaml": "name: twice\ncommand: echo ran >> ${out}/runs; sleep 3\n",
          });
          const first = await xp(["run", "--executor", "slurm", "--detach"], { cwd: dir, env });
          assert.equal(first.code, 0, first.stderr);
          const local = await xp(["run", "--executor", "local"], { cwd: dir, env });
          assert.equal(local.code, 0, local.stderr);
          const [trial] = await storedTrials(dir);
          assert.equal(trial!.status?.state, "ok");
          assert.equal(trial!.status?.attempt, 1);
          assert.equal(await Deno.readTextFile(join(trial!.dir, "out", "runs")), "ran\n");
        });
      },
    );

    await step(
      "a store and experiment directory with blanks, quotes and # in their paths (not backslashes)",
      async () => {
        await withTempDir(async (root) => {
          const dir = join(root, "my exp #1");
          await writeFiles(dir, {
            "xp.yaml": 'name: spaced\nsweep:\n  n: [1, 2]\ncommand: echo "n=${n} in $PWD"\n',
          });
          // Slurm reads a backslash in an output file name as an escape: xp says so up front.
          const slashed = await xp(
            ["run", "--executor", "slurm", "--store", join(root, "back\\slash")],
            { cwd: dir, env },
          );
          assert.equal(slashed.code, 2, slashed.stderr);
          assert.match(slashed.stderr, /error: Slurm cannot write job output under .*back\\slash/);
          assert.match(slashed.stderr, /hint: /);
          const store = join(root, 'st "ore" 2');
          const { code, stderr } = await xp(
            ["run", "--executor", "slurm", "--store", store],
            { cwd: dir, env },
          );
          assert.equal(code, 0, stderr);
          for (const key of await entries(join(store, "trials"))) {
            const out = await Deno.readTextFile(join(store, "trials", key, "stdout.log"));
            assert.match(
              out,
              new RegExp(`^n=\\d in ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n$`),
            );
          }
        });
      },
    );

    await step("the controller restarting mid-run: nothing lost, the run completes", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, {
          "xp.yaml": `name: restart
sweep:
  n: [1, 2, 3]
stages:
  a: { command: "sleep 3" }
  b: { command: "echo b", depends_on: a }
`,
        });
        const child = new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "--quiet", MAIN, "run", "--executor", "slurm"],
          cwd: dir,
          env: { NO_COLOR: "1", ...env },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const jobs = await waitFor("a's three jobs running", async () => {
          const a = (await storedTrials(dir)).filter((t) => t.meta.stage === "a");
          const ids = a.map((t) => t.status?.slurm_job).filter((j) => j !== undefined);
          if (ids.length < 3) return undefined;
          return (await jobStates(ids, env)).every((s) => s === "RUNNING") ? ids : undefined;
        }, 60_000);
        await stopController(cluster);
        try {
          // a's jobs end while no controller answers: only their exit records say so.
          await waitFor("a's exit records", async () => {
            const a = (await storedTrials(dir)).filter((t) => t.meta.stage === "a");
            const ended = await Promise.all(a.map((t) => exists(join(t.dir, "slurm_exit.json"))));
            return ended.every(Boolean) ? true : undefined;
          }, 60_000);
        } finally {
          await restartController(cluster);
        }
        const { code, stderr } = await child.output();
        const text = new TextDecoder().decode(stderr);
        assert.equal(code, 0, text);
        assert.deepEqual(Object.values(await storedStates(dir)), Array(6).fill("ok"));
        assert.equal(jobs.length, 3);
      });
    });
  });
});

Deno.test("--detach with the local executor is a usage error with a hint", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": "name: nodetach\ncommand: echo hi\n" });
    const { code, stderr } = await xp(["run", "--detach"], { cwd: dir });
    assert.equal(code, 2, stderr);
    assert.match(stderr, /error: --detach needs --executor slurm, not local/);
    assert.match(stderr, /hint: add --executor slurm/);
    assert.equal(await exists(join(dir, ".xp", "runs")), false, "nothing was recorded");
  });
});
