/**
 * Talking to Slurm through its commands (`sbatch`, `squeue`, `scancel`), and the checks before a
 * run: Slurm is there, and the store is on a filesystem the compute nodes share.
 *
 * @module
 */

import { join } from "node:path";
import { UsageError } from "../errors.ts";
import { shellQuote } from "./command.ts";
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

/** sbatch's words for a controller it could not reach: nothing was submitted, so trying again is safe. */
const NO_CONTACT = /Unable to contact slurm controller|Connection refused|connect failure/i;

/** Options of {@linkcode sbatch}. */
export interface SbatchOptions {
  /**
   * While the controller cannot be reached (restarting), try again for this long before
   * failing. @default {0}
   */
  retryMs?: number;
}

/** Submits a batch script (its text, given on stdin); returns the job id. */
export async function sbatch(script: string, options: SbatchOptions = {}): Promise<string> {
  const deadline = Date.now() + (options.retryMs ?? 0);
  for (let wait = 500;; wait = Math.min(wait * 2, 5000)) {
    const ran = await slurmCommand("sbatch", ["--parsable"], script);
    // `--parsable` prints `id` or `id;cluster`.
    if (ran.code === 0) return ran.stdout.trim().split(";")[0]!;
    if (!NO_CONTACT.test(ran.stderr) || Date.now() + wait > deadline) {
      throw new Error(`sbatch failed: ${ran.stderr || `exit code ${ran.code}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * The state of each job in `ids` that Slurm still knows (`undefined` when squeue itself failed,
 * e.g. while the controller restarts). An array task is asked for as `ARRAYJOB_TASK`; squeue is
 * called once with the array jobs, `-r` listing each task on its own line (pending ones too).
 */
export async function squeue(ids: string[]): Promise<Map<string, SlurmJobState> | undefined> {
  const jobs = new Map<string, SlurmJobState>();
  if (ids.length === 0) return jobs;
  const bases = [...new Set(ids.map((id) => id.split("_")[0]!))];
  const ran = await slurmCommand("squeue", [
    "-h",
    "-r",
    "-t",
    "all",
    "-j",
    bases.join(","),
    "-o",
    "%i|%T|%r",
  ]);
  // squeue exits 1 with "Invalid job id" when every listed job has been purged.
  if (ran.code !== 0 && !/Invalid job id/i.test(ran.stderr)) return undefined;
  const listed = new Map(parseSqueue(ran.stdout).map((job) => [job.id, job]));
  for (const id of ids) {
    // A one-task array cancelled while pending is listed under the array's id alone.
    const job = listed.get(id) ?? listed.get(id.split("_")[0]!);
    if (job) jobs.set(id, { ...job, id });
  }
  return jobs;
}

/**
 * The most tasks one job array may have (`MaxArraySize`: task ids run from 0 to one less);
 * Slurm's default when scontrol does not say.
 */
export async function maxArraySize(): Promise<number> {
  const ran = await slurmCommand("scontrol", ["show", "config"]).catch(() => undefined);
  const size = Number(ran?.stdout.match(/^MaxArraySize\s*=\s*(\d+)/m)?.[1]);
  return Number.isInteger(size) && size > 0 ? size : 1001;
}

/** Cancels jobs (`12`, or one array task `12_3`); errors (a job already gone) are ignored. */
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
    `echo "$(hostname)" > ${shellQuote(probe)}`,
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
