/**
 * The Slurm executor against the local one, side by side: 200 trivial command trials through
 * `xp run --executor slurm` on a one-node cluster (scripts/slurm-local.sh, 8 job slots on this
 * machine's cores) vs `xp run` with the local executor at -j 8: wall time and per-trial overhead.
 * Beside them: the same 200 tasks as one bare `sbatch --array` (Slurm's own floor, without xp),
 * and the figure of the executor before job arrays (one sbatch per trial), measured on this
 * machine when arrays came in. Starts its own cluster (needs root) and stops it afterwards.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { row } from "./_report.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const SLURM_LOCAL = fileURLToPath(new URL("../slurm-local.sh", import.meta.url));
const TRIALS = 200;
const SLOTS = 8;
/**
 * 200 `true` trials, one sbatch job per trial (xp before job arrays, commit 95c4b54), on this
 * 2-core machine with 8 job slots: the median of 25.4, 24.7 and 21.2 s, measured beside the
 * array executor (22.8, 21.3, 24.7 s) on 2026-11-23; not re-run here (that code is gone).
 */
const ONE_JOB_PER_TRIAL_S = 24.7;
const CLUSTER = {
  XP_SLURM_DIR: "/tmp/xp-slurm-bench",
  XP_SLURM_CTLD_PORT: "8817",
  XP_SLURM_SLURMD_PORT: "8818",
  XP_SLURM_CPUS: String(SLOTS),
  XP_SLURM_CLEAN: "1",
};

async function cluster(action: "start" | "purge"): Promise<boolean> {
  const { success } = await new Deno.Command("bash", {
    args: [SLURM_LOCAL, action],
    env: CLUSTER,
    stdout: "null",
    stderr: "null",
  }).output();
  return success;
}

async function xpRun(dir: string, args: string[], env: Record<string, string>): Promise<number> {
  const start = performance.now();
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "run", "-q", ...args],
    cwd: dir,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(`xp run ${args.join(" ")} failed:\n${new TextDecoder().decode(stderr)}`);
  }
  return (performance.now() - start) / 1000;
}

/** One bare job array of `true` tasks, from sbatch to the last task's end: Slurm alone. */
async function bareArray(env: Record<string, string>): Promise<number> {
  const start = performance.now();
  const submit = await new Deno.Command("sbatch", {
    args: ["--parsable", `--array=0-${TRIALS - 1}`, "--output=/dev/null", "--wrap", "true"],
    env,
    stdout: "piped",
  }).output();
  const job = new TextDecoder().decode(submit.stdout).trim();
  for (;;) {
    const { stdout } = await new Deno.Command("squeue", {
      args: ["-h", "-r", "-j", job, "-t", "PENDING,RUNNING,COMPLETING", "-o", "%i"],
      env,
      stdout: "piped",
    }).output();
    if (stdout.length === 0) return (performance.now() - start) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function experiment(root: string, name: string): Promise<string> {
  const dir = join(root, name);
  await Deno.mkdir(dir);
  const values = Array.from({ length: TRIALS }, (_, i) => i).join(", ");
  await Deno.writeTextFile(
    join(dir, "xp.yaml"),
    `name: ${name}\nsweep:\n  i: [${values}]\ncommand: "true"\n`,
  );
  return dir;
}

if (Deno.uid() !== 0) {
  row("slurm", "skipped", "-", "slurm-local.sh needs root to start slurmd");
  Deno.exit(0);
}
if (!(await cluster("start"))) {
  row("slurm", "skipped", "-", "the one-node Slurm cluster did not start");
  Deno.exit(0);
}
const root = await Deno.makeTempDir({ prefix: "xp_bench_slurm_" });
try {
  const env = { SLURM_CONF: `${CLUSTER.XP_SLURM_DIR}/etc/slurm.conf` };
  const local = await xpRun(await experiment(root, "local"), ["-j", String(SLOTS)], env);
  const slurm = await xpRun(await experiment(root, "slurm"), ["--executor", "slurm"], env);
  const bare = await bareArray(env);
  const what = `${TRIALS} \`true\` trials, ${SLOTS} slots`;
  // Overhead per trial: wall time × slots / trials (what one slot spends per trial).
  const perTrial = (seconds: number) => `${(seconds * SLOTS / TRIALS * 1000).toFixed(0)} ms/trial`;
  row("slurm", `${what}: local executor`, `${local.toFixed(1)} s`, perTrial(local));
  row(
    "slurm",
    `${what}: slurm, job arrays`,
    `${slurm.toFixed(1)} s`,
    `${perTrial(slurm)}, ${(slurm / local).toFixed(1)}× local`,
  );
  row(
    "slurm",
    `${what}: slurm, one job per trial`,
    `${ONE_JOB_PER_TRIAL_S.toFixed(1)} s`,
    `${perTrial(ONE_JOB_PER_TRIAL_S)}, before arrays (measured once)`,
  );
  row(
    "slurm",
    `${TRIALS} tasks, one bare sbatch --array`,
    `${bare.toFixed(1)} s`,
    `${perTrial(bare)}: Slurm's own floor, xp adds ${(slurm - bare).toFixed(1)} s`,
  );
} finally {
  await Deno.remove(root, { recursive: true });
  await cluster("purge");
}
