/**
 * The Slurm executor against the local one, side by side: 200 trivial command trials through
 * `xp run --executor slurm` on a one-node cluster (scripts/slurm-local.sh, 8 job slots on this
 * machine's cores) vs `xp run` with the local executor at -j 8: wall time and per-trial overhead.
 * Starts its own cluster when none answers (needs root) and stops it afterwards.
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
  const slurm = await xpRun(
    await experiment(root, "slurm"),
    ["--executor", "slurm", "-j", String(TRIALS)],
    env,
  );
  const what = `${TRIALS} \`true\` trials, ${SLOTS} slots`;
  row("slurm", `${what}: local executor`, `${local.toFixed(1)} s`, "");
  row(
    "slurm",
    `${what}: slurm executor`,
    `${slurm.toFixed(1)} s`,
    `${(slurm / local).toFixed(1)}× local`,
  );
  // Overhead per trial: wall time × slots / trials (what one slot spends per trial).
  const perLocal = (local * SLOTS / TRIALS) * 1000;
  const perSlurm = (slurm * SLOTS / TRIALS) * 1000;
  row("slurm", "per-trial slot time: local", `${perLocal.toFixed(0)} ms`, "");
  row(
    "slurm",
    "per-trial slot time: slurm",
    `${perSlurm.toFixed(0)} ms`,
    `+${(perSlurm - perLocal).toFixed(0)} ms`,
  );
} finally {
  await Deno.remove(root, { recursive: true });
  await cluster("purge");
}
