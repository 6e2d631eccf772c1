/**
 * `xp run --executor slurm` against a real one-node Slurm cluster (scripts/slurm-local.sh): sweeps
 * of command and TS trials, a failing trial, a time limit, a scancel'ed job, Ctrl-C detaching and
 * the next run following the same job; and the errors when sbatch is missing or rejects the job.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import { withCluster } from "./_slurm_cluster.ts";
import { MAIN } from "../_helpers.ts";
import {
  readJson,
  storedStates,
  storedTrial,
  storedTrials,
  waitFor,
  writeFiles,
} from "./_run_helpers.ts";
import type { TrialStatus } from "../../lib/store/mod.ts";

const TS_TRIALS = {
  "xp.yaml": `name: tsgrid
sweep:
  lr: [0.5, 0.25]
script: train.ts
`,
  "train.ts": `import type { TrialContext } from "xp";
export default function train(cfg: { lr: number }, ctx: TrialContext<{ lr: number }>) {
  ctx.log.scalar("loss", cfg.lr, { step: 0 });
  console.log(\`trained \${ctx.name}\`);
  return { score: cfg.lr * 2 };
}
`,
};

function spawn(args: string[], cwd: string, env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function collect(child: Deno.ChildProcess) {
  const { code, stderr } = await child.output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

/** The job id of the single trial once it is running under Slurm. */
function runningJob(dir: string): Promise<string> {
  return waitFor("the trial's Slurm job", async () => {
    const trials = await storedTrials(dir);
    return trials[0]?.status?.state === "running" ? trials[0].status.slurm_job : undefined;
  }, 60_000);
}

async function jobState(job: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await new Deno.Command("squeue", {
    args: ["-h", "-t", "all", "-j", job, "-o", "%T"],
    env,
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(stdout).trim();
}

Deno.test("xp run --executor slurm on a real one-node cluster", async (t) => {
  await withCluster(t, async (step, cluster) => {
    const { env } = cluster;
    await step("a sweep of command trials: ok ones and a failing one", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, {
          "xp.yaml":
            'name: cmds\nsweep:\n  n: [1, 2, 3]\ncommand: echo "n=${n} on $SLURM_JOB_ID"; test ${n} != 3\n',
        });
        const { code, stderr } = await xp(["run", "--executor", "slurm"], { cwd: dir, env });
        assert.equal(code, 1, stderr);
        assert.deepEqual(await storedStates(dir), {
          "main n=1": "ok",
          "main n=2": "ok",
          "main n=3": "failed",
        });
        const failed = await storedTrial(dir, "main", "n=3");
        assert.equal(failed.status?.exit_code, 1);
        assert.equal(failed.status?.slurm_job, undefined, "a finished status has no job");
        const ok = await storedTrial(dir, "main", "n=1");
        assert.match(await Deno.readTextFile(join(ok.dir, "stdout.log")), /^n=1 on \d+\n$/);
        // The same run again: everything ok is cached, nothing is submitted.
        const again = await xp(["run", "--executor", "slurm"], { cwd: dir, env });
        assert.match(again.stderr, /2 cached/);
      });
    });

    await step("a sweep of TS trials runs sandboxed in the jobs and records results", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, TS_TRIALS);
        const { code, stderr } = await xp(["run", "--executor", "slurm"], { cwd: dir, env });
        assert.equal(code, 0, stderr);
        for (const trial of await storedTrials(dir)) {
          assert.equal(trial.status?.state, "ok");
          const events = await Deno.readTextFile(join(trial.dir, "events.ndjson"));
          assert.match(events, /"t":"result"/);
          assert.equal(
            await Deno.readTextFile(join(trial.dir, "stdout.log")),
            `trained ${trial.meta.name}\n`,
          );
        }
      });
    });

    await step("a trial over its timeout ends timeout", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, { "xp.yaml": "name: slow\ntimeout: 1s\ncommand: sleep 30\n" });
        const { code, stderr } = await xp(["run", "--executor", "slurm"], { cwd: dir, env });
        assert.equal(code, 1, stderr);
        const { status } = await storedTrial(dir, "main", "default");
        assert.equal(status?.state, "timeout");
        assert.equal(status?.error, 'timed out after 1s (timeout: in stage "main")');
      });
    });

    await step("a job cancelled with scancel ends killed, with Slurm's word for it", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, { "xp.yaml": "name: cancel\ncommand: sleep 60\n" });
        const child = spawn(["run", "--executor", "slurm"], dir, env);
        const job = await runningJob(dir);
        await new Deno.Command("scancel", { args: [job], env }).output();
        const { code, stderr } = await collect(child);
        assert.equal(code, 1, stderr);
        const { status } = await storedTrial(dir, "main", "default");
        assert.equal(status?.state, "killed");
        assert.match(status?.error ?? "", new RegExp(`Slurm job ${job} was cancelled`));
      });
    });

    await step("Ctrl-C detaches; the next xp run follows the same job to its end", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, { "xp.yaml": "name: detach\ncommand: sleep 4; echo done\n" });
        const child = spawn(["run", "--executor", "slurm"], dir, env);
        const job = await runningJob(dir);
        child.kill("SIGINT");
        const first = await collect(child);
        assert.equal(first.code, 130, first.stderr);
        assert.match(first.stderr, /detached: 1 trial still running under Slurm; `xp attach`/);
        const trial = await storedTrial(dir, "main", "default");
        assert.equal(trial.status?.state, "running");
        assert.equal(trial.status?.slurm_job, job);
        assert.match(await jobState(job, env), /RUNNING|PENDING|COMPLETED/);
        const second = await xp(["run", "--executor", "slurm"], { cwd: dir, env });
        assert.equal(second.code, 0, second.stderr);
        const status = await readJson<TrialStatus>(join(trial.dir, "status.json"));
        assert.equal(status.state, "ok");
        assert.equal(status.attempt, 1, "followed, not submitted again");
        assert.equal(await Deno.readTextFile(join(trial.dir, "stdout.log")), "done\n");
      });
    });

    await step("after a detach: xp status shows the job, xp cancel ends it killed", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, { "xp.yaml": "name: later\nexecutor: slurm\ncommand: sleep 60\n" });
        const child = spawn(["run"], dir, env);
        const job = await runningJob(dir);
        child.kill("SIGINT");
        assert.equal((await collect(child)).code, 130);
        const status = await xp(["status", "--json"], { cwd: dir, env });
        assert.equal(status.code, 0, status.stderr);
        const shown = JSON.parse(status.stdout);
        assert.deepEqual(shown.trials, { running: 1 });
        assert.match(Object.keys(shown.slurm)[0]!, /RUNNING|PENDING/);
        const cancel = await xp(["cancel"], { cwd: dir, env });
        assert.equal(cancel.code, 0, cancel.stderr);
        assert.match(cancel.stderr, /cancelled 1 Slurm job\b/);
        const { status: after } = await storedTrial(dir, "main", "default");
        assert.equal(after?.state, "killed");
        assert.match(after?.error ?? "", new RegExp(`Slurm job ${job} was cancelled`));
      });
    });

    await step("after a detach: xp attach follows the run's job to its end", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, { "xp.yaml": "name: back\ncommand: sleep 3; echo back\n" });
        const child = spawn(["run", "--executor", "slurm"], dir, env);
        await runningJob(dir);
        child.kill("SIGINT");
        assert.equal((await collect(child)).code, 130);
        const { code, stderr } = await xp(["attach"], { cwd: dir, env });
        assert.equal(code, 0, stderr);
        const { status } = await storedTrial(dir, "main", "default");
        assert.equal(status?.state, "ok");
        assert.equal(status?.attempt, 1);
      });
    });

    await step("Ctrl-C with --cancel-on-interrupt cancels the job", async () => {
      await withTempDir(async (dir) => {
        await writeFiles(dir, { "xp.yaml": "name: stop\ncommand: sleep 60\n" });
        const child = spawn(["run", "--executor", "slurm", "--cancel-on-interrupt"], dir, env);
        const job = await runningJob(dir);
        child.kill("SIGINT");
        const { code, stderr } = await collect(child);
        assert.equal(code, 130, stderr);
        const { status } = await storedTrial(dir, "main", "default");
        assert.equal(status?.state, "interrupted");
        await waitFor("the job cancelled", async () => {
          const state = await jobState(job, env);
          return state === "CANCELLED" || state === "" ? state || "gone" : undefined;
        }, 30_000);
      });
    });

    await step(
      "sbatch rejecting the job (invalid partition) is a usage error with its stderr",
      async () => {
        await withTempDir(async (dir) => {
          await writeFiles(dir, { "xp.yaml": "name: bad\ncommand: echo hi\n" });
          const { code, stderr } = await xp(
            ["run", "--executor", "slurm", "--slurm", "partition=nope"],
            { cwd: dir, env },
          );
          assert.equal(code, 2, stderr);
          assert.match(stderr, /sbatch failed: .*invalid partition/i);
        });
      },
    );
  });
});

Deno.test("xp run --executor slurm without sbatch on PATH says so (exit 2)", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": "name: nosbatch\ncommand: echo hi\n" });
    const { code, stderr } = await xp(["run", "--executor", "slurm"], {
      cwd: dir,
      env: { PATH: dir },
    });
    assert.equal(code, 2, stderr);
    assert.match(stderr, /--executor slurm needs sbatch, and it is not on PATH/);
    assert.match(stderr, /hint: /);
  });
});
