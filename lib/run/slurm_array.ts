/**
 * Submitting trials as one Slurm job array: a task list (`TASK_ID TRIAL_DIR` per line) and a small
 * array script go into the run's directory; each array task looks up its trial by
 * `SLURM_ARRAY_TASK_ID` and runs that trial's own job script (`slurm_job.sh`, the same wrapper a
 * single job would run). `%N` throttles how many tasks run at once (`-j`).
 *
 * @module
 */

import { join } from "node:path";
import type { Stage } from "../config/mod.ts";
import { shellQuote } from "./command.ts";
import { maxArraySize, sbatch } from "./slurm_cli.ts";
import {
  jobName,
  sbatchLines,
  sbatchValue,
  SLURM_SCRIPT_FILE,
  type SlurmOptions,
  stageSlurmOptions,
} from "./slurm_script.ts";

/** The directory of a run's array scripts, task lists and Slurm logs. */
export const SLURM_RUN_DIR = "slurm";

/** One task of an array to submit. */
export interface ArrayTask {
  /** The trial's directory (its `slurm_job.sh` is written already). */
  dir: string;
  /** `SLURM_ARRAY_TASK_ID`. */
  task: number;
}

/** A submitted array. */
export interface SubmittedArray {
  /** The array's job id (`12`); its tasks are `12_0`, `12_1`, … */
  job: string;
  /** Where Slurm writes a task's own output (errors of the job itself, cancellations). */
  log(task: number): string;
}

/** Submits job arrays for one run. */
export interface ArraySubmitter {
  /** Slurm's MaxArraySize (asked once). */
  maxArraySize(): Promise<number>;
  /** Submits `tasks` of `stage` as one array, waiting on `dependency` (`afterok:12`) if given. */
  submit(stage: Stage, tasks: ArrayTask[], dependency?: string): Promise<SubmittedArray>;
}

/** Options of {@linkcode arraySubmitter}. */
export interface ArraySubmitterOptions {
  /** The run's directory: array files go to its `slurm/`. */
  runDir: string;
  /** The experiment's name (in job names). */
  experiment: string;
  /** Every trial's working directory. */
  experimentDir: string;
  /** sbatch options. */
  slurm: SlurmOptions;
  /** At most this many tasks of an array at once (`-j`); none: as many as Slurm gives. */
  throttle?: number;
  /** How long sbatch keeps trying while the controller cannot be reached. */
  retryMs?: number;
}

/** The submitter of a run's arrays. */
export function arraySubmitter(options: ArraySubmitterOptions): ArraySubmitter {
  const dir = join(options.runDir, SLURM_RUN_DIR);
  let size: Promise<number> | undefined;
  let count = 0;
  return {
    maxArraySize: () => size ??= maxArraySize(),
    async submit(stage, tasks, dependency) {
      await Deno.mkdir(dir, { recursive: true });
      // Numbered before submitting: the script names its task list, and the job id comes after.
      const name = `array-${String(++count).padStart(3, "0")}-${stage.name}`.replace(
        /[^\w.-]/g,
        "_",
      );
      const list = join(dir, `${name}.tasks`);
      await Deno.writeTextFile(list, tasks.map((t) => `${t.task} ${t.dir}\n`).join(""));
      const script = arrayScript(stage, tasks, list, dir, { ...options, dependency });
      await Deno.writeTextFile(join(dir, `${name}.sh`), script);
      const job = await sbatch(script, { retryMs: options.retryMs ?? 0 });
      return { job, log: (task) => join(dir, `${job}_${task}.log`) };
    },
  };
}

/** `0-9`, `0,2,5-7`: task ids as `--array` takes them. */
export function arraySpec(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length;) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(j === i ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

function arrayScript(
  stage: Stage,
  tasks: ArrayTask[],
  list: string,
  dir: string,
  options: ArraySubmitterOptions & { dependency: string | undefined },
): string {
  const throttle = options.throttle === undefined ? "" : `%${options.throttle}`;
  return [
    "#!/bin/sh",
    `#SBATCH --job-name=${jobName(options.experiment, stage.name)}`,
    `#SBATCH --array=${arraySpec(tasks.map((t) => t.task))}${throttle}`,
    `#SBATCH --output=${sbatchValue(join(dir, "%A_%a.log"))}`,
    `#SBATCH --chdir=${sbatchValue(options.experimentDir)}`,
    ...(options.dependency ? [`#SBATCH --dependency=${options.dependency}`] : []),
    ...sbatchLines(stageSlurmOptions(stage, options.slurm)),
    "# Written by xp: each task runs the trial on its line of the task list.",
    `dir=$(sed -n "s/^$SLURM_ARRAY_TASK_ID //p" ${shellQuote(list)})`,
    `[ -n "$dir" ] || { echo "xp: no trial for task $SLURM_ARRAY_TASK_ID in" ${
      shellQuote(list)
    } >&2; exit 1; }`,
    `exec sh "$dir/${SLURM_SCRIPT_FILE}"`,
    "",
  ].join("\n");
}
