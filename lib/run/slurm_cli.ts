/**
 * Talking to Slurm through its commands (`sbatch`, `squeue`, `scancel`), and the checks before a
 * run: Slurm is there, and the store is on a filesystem the compute nodes share.
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "../errors.ts";
import { sbatchLines, type SlurmOptions } from "./slurm_script.ts";
import { LIVE_STATES, parseSqueue, type SlurmJobState } from "./slurm_state.ts";

/** What a Slurm command printed. */
interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function slurmCommand(program: string, args: string[], stdin?: string): Promise<Ran> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`--executor slurm needs ${program}, and it is not on PATH`, {
        hint: "run xp on a Slurm login node (or install slurm-client), or leave out --executor",
      });
    }
    throw error;
  }
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr).trim() };
}

/** Submits a batch script (given on stdin); returns the job id. */
export async function sbatch(script: string): Promise<string> {
  const ran = await slurmCommand("sbatch", ["--parsable"], script);
  if (ran.code !== 0) {
    throw new Error(`sbatch failed: ${ran.stderr || `exit code ${ran.code}`}`);
  }
  // `--parsable` prints `id` or `id;cluster`.
  return ran.stdout.trim().split(";")[0]!;
}

/**
 * The state of each job in `ids` that Slurm still knows (`undefined` when squeue itself failed,
 * e.g. while the controller restarts).
 */
export async function squeue(ids: string[]): Promise<Map<string, SlurmJobState> | undefined> {
  const jobs = new Map<string, SlurmJobState>();
  if (ids.length === 0) return jobs;
  const ran = await slurmCommand("squeue", [
    "-h",
    "-t",
    "all",
    "-j",
    ids.join(","),
    "-o",
    "%i|%T|%r",
  ]);
  // squeue exits 1 with "Invalid job id" when every listed job has been purged.
  if (ran.code !== 0 && !/Invalid job id/i.test(ran.stderr)) return undefined;
  for (const job of parseSqueue(ran.stdout)) jobs.set(job.id, job);
  return jobs;
}

/** Cancels jobs; errors (a job already gone) are ignored. */
export async function scancel(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await slurmCommand("scancel", ids).catch(() => undefined);
}

/**
 * Checks that Slurm takes jobs and that what a job writes into `storeRoot` is seen here: a probe
 * job writes a file there. Throws a {@linkcode UsageError} saying what is wrong.
 */
export async function probeSlurm(
  storeRoot: string,
  options: SlurmOptions,
  timeoutMs = 120_000,
): Promise<void> {
  const probe = join(storeRoot, `slurm-probe-${crypto.randomUUID()}`);
  const script = [
    "#!/bin/sh",
    "#SBATCH --job-name=xp-probe",
    "#SBATCH --output=/dev/null",
    ...sbatchLines({ ...options, time: "1" }),
    `echo "$(hostname)" > '${probe}'`,
    "",
  ].join("\n");
  let id: string;
  try {
    id = await sbatch(script);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message, {
      hint: "check the Slurm options (partition, account, qos, …) and that slurmctld answers",
    });
  }
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (await Deno.stat(probe).then(() => true, () => false)) return;
      const jobs = await squeue([id]);
      const job = jobs?.get(id);
      if (jobs && (!job || !LIVE_STATES.includes(job.state))) {
        // Let a slow shared filesystem catch up before saying it is not shared.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        if (await Deno.stat(probe).then(() => true, () => false)) return;
        throw new UsageError(
          `The store ${storeRoot} is not on a filesystem the Slurm nodes share: probe job ${id}` +
            ` ended ${job?.state ?? "(gone)"} and its file never appeared here`,
          {
            hint:
              "put the store on a shared filesystem: --store DIR (e.g. under $HOME or /scratch)",
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new UsageError(
      `Slurm did not run the probe job ${id} within ${timeoutMs / 1000}s (still queued?)`,
      { hint: "check `squeue` and `sinfo`; the partition may be busy or down" },
    );
  } finally {
    await scancel([id]);
    await Deno.remove(probe).catch(() => undefined);
  }
}
