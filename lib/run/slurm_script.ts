/**
 * The batch script of one Slurm trial: `#SBATCH` lines from the Slurm options, then exactly the
 * process the local executor would spawn (same sandbox flags, same clean environment, output to
 * the trial's logs), then an exit record the executor reads back from the shared store.
 *
 * @module
 */

import { join } from "node:path";
import { TRIAL_FILES } from "../store/mod.ts";
import { shellQuote } from "./command.ts";
import type { TrialLaunch } from "./executor.ts";
import type { ProcessSpec } from "./sandbox.ts";

/** The file a Slurm trial's job script writes when the trial process has exited. */
export const SLURM_EXIT_FILE = "slurm_exit.json";
/** The job script, kept in the trial directory (to read or to resubmit by hand). */
export const SLURM_SCRIPT_FILE = "slurm_job.sh";
/** Slurm's own output for the job (errors of the batch script itself). */
export const SLURM_LOG_FILE = "slurm.log";

/** `sbatch` options, from `--executor slurm` and the experiment's `slurm:` key. */
export interface SlurmOptions {
  /** `--partition`. */
  partition?: string;
  /** `--time` as Slurm writes it (`10`, `1:00:00`, `2-0`). */
  time?: string;
  /** `--cpus-per-task`. */
  cpus?: number;
  /** `--mem` (`4G`). */
  mem?: string;
  /** `--gres` (`gpu:1`). */
  gres?: string;
  /** `--account`. */
  account?: string;
  /** `--qos`. */
  qos?: string;
  /** More `sbatch` options, one per line, as written after `#SBATCH `. */
  extra?: string[];
}

/**
 * What the job's allocation says, passed on to the trial besides its clean environment: the job id
 * (for logs) and the devices and CPUs Slurm gave it (a `gres: gpu:1` trial needs to know which).
 */
const JOB_ENV = [
  "SLURM_JOB_ID",
  "SLURM_ARRAY_TASK_ID",
  "SLURM_CPUS_PER_TASK",
  "SLURM_JOB_NODELIST",
  "CUDA_VISIBLE_DEVICES",
  "ROCR_VISIBLE_DEVICES",
];

/** Slurm's time limit is coarse (checked every ~30 s): xp enforces `timeout:` itself, with `timeout(1)`. */
const KILL_AFTER_S = 5;

/** The `#SBATCH` lines shared by trial jobs and the probe job. */
export function sbatchLines(options: SlurmOptions): string[] {
  const lines: string[] = [];
  if (options.partition) lines.push(`--partition=${options.partition}`);
  if (options.time) lines.push(`--time=${options.time}`);
  if (options.cpus !== undefined) lines.push(`--cpus-per-task=${options.cpus}`);
  if (options.mem) lines.push(`--mem=${options.mem}`);
  if (options.gres) lines.push(`--gres=${options.gres}`);
  if (options.account) lines.push(`--account=${options.account}`);
  if (options.qos) lines.push(`--qos=${options.qos}`);
  for (const line of options.extra ?? []) lines.push(line.replace(/^#SBATCH\s+/, "").trim());
  return lines.map((line) => `#SBATCH ${line}`);
}

/** The whole batch script of one attempt of `launch`, running `spec`. */
export function trialJobScript(
  launch: TrialLaunch,
  spec: ProcessSpec,
  options: SlurmOptions,
): string {
  const file = (name: keyof typeof TRIAL_FILES) =>
    shellQuote(join(launch.trialDir, TRIAL_FILES[name]));
  const exit = join(launch.trialDir, SLURM_EXIT_FILE);
  const timeoutS = launch.stage.timeoutMs === undefined
    ? undefined
    : Math.max(1, Math.ceil(launch.stage.timeoutMs / 1000));
  // Without a Slurm time of its own, the job may run a little longer than the trial's limit, so
  // that xp's `timeout` (precise, recorded) ends it rather than Slurm's (coarse, unrecorded).
  const time = options.time ??
    (timeoutS === undefined ? undefined : String(Math.ceil((timeoutS + KILL_AFTER_S) / 60) + 1));
  const env = Object.entries(launch.env).map(([k, v]) => shellQuote(`${k}=${v}`));
  const limit = timeoutS === undefined
    ? []
    : ["timeout", `--kill-after=${KILL_AFTER_S}`, `${timeoutS}`];
  const fromJob = JOB_ENV.map((name) => `\${${name}:+"${name}=$${name}"}`);
  const argv = [
    "env",
    "-i",
    ...env,
    ...fromJob,
    ...limit,
    spec.program,
    ...spec.args.map(shellQuote),
  ];
  return [
    "#!/bin/sh",
    `#SBATCH --job-name=${jobName(launch)}`,
    `#SBATCH --output=${join(launch.trialDir, SLURM_LOG_FILE)}`,
    `#SBATCH --chdir=${launch.experimentDir}`,
    ...sbatchLines({ ...options, ...(time === undefined ? {} : { time }) }),
    "# Written by xp: the trial process exactly as the local executor runs it.",
    `rm -f ${shellQuote(exit)}`,
    `cd ${shellQuote(launch.experimentDir)} || exit 1`,
    "start=$(date +%s)",
    `${argv.join(" ")} </dev/null >${file("stdout")} 2>${file("stderr")}`,
    "code=$?",
    "elapsed=$(( $(date +%s) - start ))",
    `printf '{"exit_code":%d,"elapsed_s":%d,"timeout_s":%s,"job":"%s","host":"%s"}\\n' ` +
    `"$code" "$elapsed" ${timeoutS ?? "null"} "$SLURM_JOB_ID" "$(hostname)" > ${
      shellQuote(`${exit}.tmp`)
    }`,
    `mv -f ${shellQuote(`${exit}.tmp`)} ${shellQuote(exit)}`,
    "exit $code",
    "",
  ].join("\n");
}

function jobName(launch: TrialLaunch): string {
  return `xp-${launch.stage.name}-${launch.name}`.replace(/[^\w.=-]/g, "_").slice(0, 100);
}
