/**
 * A real one-node Slurm cluster for the tests, started and stopped with scripts/slurm-local.sh in
 * its own state directory and ports (so a developer's cluster, or another test run's, is left alone).
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The repository's copy of slurm-local.sh. */
export const SLURM_LOCAL = fileURLToPath(new URL("../../scripts/slurm-local.sh", import.meta.url));

/** Where the test cluster lives and how clients reach it. */
export interface TestCluster {
  /** Environment for xp and the Slurm commands (`SLURM_CONF`). */
  env: Record<string, string>;
  /** The slurm-local.sh settings it was started with. */
  settings: Record<string, string>;
  /** Why it could not start (`undefined` when it runs). */
  unavailable: string | undefined;
}

/**
 * Each test process gets its own cluster (state directory and ports): two test runs on one machine
 * (a developer's and a helper's, say) must not stop each other's daemons mid-test.
 */
function clusterSettings(): Record<string, string> {
  const base = 20000 + 2 * Math.floor(Math.random() * 5000);
  return {
    // `deno test --parallel` runs test files in one process: the pid alone is not enough.
    XP_SLURM_DIR: `/tmp/xp-slurm-test-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
    XP_SLURM_CTLD_PORT: String(base),
    XP_SLURM_SLURMD_PORT: String(base + 1),
    // Oversubscribe the cores: the tests run many tiny jobs at once.
    XP_SLURM_CPUS: "8",
    XP_SLURM_CLEAN: "1",
  };
}

async function script(
  action: "start" | "purge",
  settings: Record<string, string>,
): Promise<{ ok: boolean; log: string }> {
  const { success, stderr } = await new Deno.Command("bash", {
    args: [SLURM_LOCAL, action],
    env: settings,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  return { ok: success, log: new TextDecoder().decode(stderr).trim() };
}

/** Starts the cluster (installing Slurm with apt-get when missing; needs root). */
export async function startCluster(): Promise<TestCluster> {
  if (Deno.uid() !== 0) {
    return { env: {}, settings: {}, unavailable: "slurm-local.sh needs root to start slurmd" };
  }
  let last = "";
  // A port taken by something else makes the script fail with nothing started: try others.
  for (let tries = 0; tries < 3; tries++) {
    const settings = clusterSettings();
    const env = { SLURM_CONF: `${settings.XP_SLURM_DIR}/etc/slurm.conf` };
    const started = await script("start", settings);
    if (started.ok) return { env, settings, unavailable: undefined };
    await script("purge", settings);
    last = started.log.split("\n").at(-1) ?? "";
    if (!/port \d+ is taken/.test(last)) break;
  }
  return { env: {}, settings: {}, unavailable: `slurm-local.sh start failed: ${last}` };
}

/** Stops the daemons of `cluster` (cancelling what is left of its jobs) and deletes its state. */
export async function stopCluster(cluster: TestCluster): Promise<void> {
  const stopped = await script("purge", cluster.settings);
  if (!stopped.ok) throw new Error(`slurm-local.sh purge failed: ${stopped.log}`);
}

/**
 * Stops the cluster's slurmctld (only it: slurmd and the jobs go on), as a controller restart or
 * crash would; resolves once the process is gone.
 */
export async function stopController(cluster: TestCluster): Promise<void> {
  const run = `${cluster.settings.XP_SLURM_DIR}/run`;
  const pid = Number((await Deno.readTextFile(`${run}/slurmctld.pid`)).trim());
  // The pid file is ours, but check the process is the controller of this cluster before signalling.
  const ps = await new Deno.Command("ps", { args: ["-o", "args=", "-p", String(pid)] }).output();
  if (!new TextDecoder().decode(ps.stdout).includes(cluster.env.SLURM_CONF!)) {
    throw new Error(`pid ${pid} is not this cluster's slurmctld`);
  }
  Deno.kill(pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (await Deno.stat(`/proc/${pid}`).then(() => true, () => false)) {
    if (Date.now() > deadline) throw new Error(`slurmctld ${pid} did not stop within 30s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts the controller again with the job state it saved (what a restart keeps). */
export async function restartController(cluster: TestCluster): Promise<void> {
  const started = await script("start", { ...cluster.settings, XP_SLURM_CLEAN: "0" });
  if (!started.ok) throw new Error(`slurm-local.sh start failed: ${started.log}`);
}

/** A test step that is skipped, saying why, when the cluster could not start. */
export type ClusterStep = (name: string, fn: () => Promise<void>) => Promise<boolean>;

/** Starts a cluster, runs `body` with its steps, and stops the cluster whatever happens. */
export async function withCluster(
  t: Deno.TestContext,
  body: (step: ClusterStep, cluster: TestCluster) => Promise<void>,
): Promise<void> {
  const cluster = await startCluster();
  const ignore = cluster.unavailable !== undefined;
  const step: ClusterStep = (name, fn) =>
    t.step({ name: ignore ? `${name} (skipped: ${cluster.unavailable})` : name, ignore, fn });
  try {
    await body(step, cluster);
  } finally {
    if (!ignore) await stopCluster(cluster);
  }
}
