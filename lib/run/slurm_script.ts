/**
 * The batch script of one Slurm trial attempt: `#SBATCH` lines from the Slurm options, then exactly
 * the process the local executor would spawn (same sandbox flags, same clean environment, output
 * to the trial's logs), then an exit record the executor reads back from the shared store. An
 * array task runs this same script (see slurm_array.ts).
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Stage } from "../config/mod.ts";
import { UsageError } from "../errors.ts";
import { TRIAL_FILES } from "../store/mod.ts";
import { shellQuote } from "./command.ts";
import type { TrialLaunch } from "./executor.ts";
import { commandTrialProcess, denoTrialProcess, type ProcessSpec } from "./sandbox.ts";

/** The file a Slurm trial's job script writes when the trial process has exited. */
export const SLURM_EXIT_FILE = "slurm_exit.json";
/** The job script, kept in the trial directory (to read or to resubmit by hand). */
export const SLURM_SCRIPT_FILE = "slurm_job.sh";
/** Slurm's own output when the job script is submitted by hand. */
export const SLURM_LOG_FILE = "slurm.log";

/** The module a job runs first when it was submitted before its dependencies ended. */
const FILL_DEPS_MAIN = fileURLToPath(new URL("./slurm_deps_main.ts", import.meta.url));

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
  "SLURM_ARRAY_JOB_ID",
  "SLURM_ARRAY_TASK_ID",
  "SLURM_CPUS_PER_TASK",
  "SLURM_JOB_NODELIST",
  "CUDA_VISIBLE_DEVICES",
  "ROCR_VISIBLE_DEVICES",
];

/** Slurm's time limit is coarse (checked every ~30 s): xp enforces `timeout:` itself, with `timeout(1)`. */
const KILL_AFTER_S = 5;

/**
 * A path (or any value) as one `#SBATCH` argument. Slurm splits these lines on blanks and reads
 * double quotes and, inside them, backslash escapes; a newline cannot be written at all.
 *
 * @example
 * ```ts
 * import { sbatchValue } from "./slurm_script.ts";
 * if (sbatchValue('/a b/"c"') !== '"/a b/\\"c\\""') throw new Error();
 * ```
 */
export function sbatchValue(value: string): string {
  if (/[\n\r]/.test(value)) {
    throw new UsageError(`A Slurm job file cannot name a path with a line break: ${value}`, {
      hint: "use a store and experiment directory whose paths have no line breaks",
    });
  }
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

/**
 * Throws a usage error when Slurm could not write job output under `dir` (the store): slurmstepd
 * reads a backslash in an output file name as an escape, and `#SBATCH` lines end at a line break.
 */
export function checkSlurmOutputDir(dir: string): void {
  if (!/[\\\n\r]/.test(dir)) return;
  throw new UsageError(
    `Slurm cannot write job output under ${dir}: it reads a backslash in a file` +
      " name as an escape, and a line break ends an #SBATCH line",
    { hint: "use a store (--store DIR) whose path has neither" },
  );
}

/** The `#SBATCH` lines shared by trial jobs, arrays and the probe job. */
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

/** The stage's `timeout:` in whole seconds, when it has one. */
function timeoutSeconds(stage: Stage): number | undefined {
  return stage.timeoutMs === undefined ? undefined : Math.max(1, Math.ceil(stage.timeoutMs / 1000));
}

/**
 * The options of a stage's jobs: without a Slurm time of its own, a job may run a little longer
 * than the trial's limit, so that xp's `timeout` (precise, recorded) ends it rather than Slurm's
 * (coarse, unrecorded).
 */
export function stageSlurmOptions(stage: Stage, options: SlurmOptions): SlurmOptions {
  const timeoutS = timeoutSeconds(stage);
  if (options.time !== undefined || timeoutS === undefined) return options;
  return { ...options, time: String(Math.ceil((timeoutS + KILL_AFTER_S) / 60) + 1) };
}

/** Options of {@linkcode trialJobScript}. */
export interface TrialJobOptions {
  /**
   * The trial was submitted before its dependencies ended (`--dependency`): its `deps.json` gets
   * their results at the start of the job, by running xp's filler with this `deno`.
   */
  fillDepsWith?: string;
}

/** The whole batch script of one attempt of `launch`, running `spec`. */
export function trialJobScript(
  launch: TrialLaunch,
  spec: ProcessSpec,
  options: SlurmOptions,
  job: TrialJobOptions = {},
): string {
  const file = (name: keyof typeof TRIAL_FILES) =>
    shellQuote(join(launch.trialDir, TRIAL_FILES[name]));
  const exit = join(launch.trialDir, SLURM_EXIT_FILE);
  const timeoutS = timeoutSeconds(launch.stage);
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
  const fill = job.fillDepsWith === undefined ? [] : [
    shellQuote(job.fillDepsWith),
    "run",
    "--no-prompt",
    "--no-config",
    "--quiet",
    shellQuote(`--allow-read=${dirname(launch.trialDir)}`),
    shellQuote(`--allow-write=${launch.trialDir}`),
    shellQuote(FILL_DEPS_MAIN),
    shellQuote(launch.trialDir),
    "&&",
  ];
  return [
    "#!/bin/sh",
    `#SBATCH --job-name=${jobName(launch.stage.name, launch.name)}`,
    `#SBATCH --output=${sbatchValue(join(launch.trialDir, SLURM_LOG_FILE))}`,
    `#SBATCH --chdir=${sbatchValue(launch.experimentDir)}`,
    ...sbatchLines(stageSlurmOptions(launch.stage, options)),
    "# Written by xp: the trial process exactly as the local executor runs it.",
    `rm -f ${shellQuote(exit)}`,
    `cd ${shellQuote(launch.experimentDir)} || exit 1`,
    "start=$(date +%s)",
    `{ ${[...fill, ...argv].join(" ")}; } </dev/null >${file("stdout")} 2>${file("stderr")}`,
    "code=$?",
    "elapsed=$(( $(date +%s) - start ))",
    // An array task is known to squeue (and to xp) as ARRAYJOB_TASK, not by its own job id.
    "job=${SLURM_ARRAY_JOB_ID:+${SLURM_ARRAY_JOB_ID}_$SLURM_ARRAY_TASK_ID}",
    `printf '{"exit_code":%d,"elapsed_s":%d,"timeout_s":%s,"job":"%s","host":"%s"}\\n' ` +
    `"$code" "$elapsed" ${timeoutS ?? "null"} "\${job:-$SLURM_JOB_ID}" "$(hostname)" > ${
      shellQuote(`${exit}.tmp`)
    }`,
    `mv -f ${shellQuote(`${exit}.tmp`)} ${shellQuote(exit)}`,
    "exit $code",
    "",
  ].join("\n");
}

/**
 * Writes the job script of an attempt of `launch` into its trial directory, and removes an exit
 * record an earlier attempt left (it would be read as this attempt's end).
 */
export async function writeTrialJob(
  launch: TrialLaunch,
  deno: string,
  options: SlurmOptions,
  job: { fillDeps: boolean },
): Promise<void> {
  const spec = launch.command === undefined
    ? denoTrialProcess(launch, deno)
    : commandTrialProcess(launch, launch.command);
  const fill = job.fillDeps ? { fillDepsWith: deno } : {};
  const script = trialJobScript(launch, spec, options, fill);
  await Deno.writeTextFile(join(launch.trialDir, SLURM_SCRIPT_FILE), script);
  await Deno.remove(join(launch.trialDir, SLURM_EXIT_FILE)).catch(() => undefined);
}

/** A job name Slurm shows in squeue: `xp-STAGE-NAME`, cut to what Slurm keeps. */
export function jobName(...parts: string[]): string {
  return ["xp", ...parts].join("-").replace(/[^\w.=-]/g, "_").slice(0, 100);
}
