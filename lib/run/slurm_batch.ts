/**
 * Trial attempts that the scheduler hands over within a moment of each other (the dependents a
 * finished trial released, retries) go out together: one job array per stage.
 *
 * @module
 */

import type { Stage } from "../config/mod.ts";
import type { ArraySubmitter } from "./slurm_array.ts";

/** Where one attempt went. */
export interface SubmittedTask {
  /** `ARRAYJOB_TASK`, as squeue and scancel name it. */
  job: string;
  /** Slurm's own output of the task. */
  log: string;
}

/** Collects attempts into arrays. */
export interface ArrayBatcher {
  /** Queues the trial in `dir` (its job script written); resolves once its array is submitted. */
  add(stage: Stage, dir: string): Promise<SubmittedTask>;
}

interface Pending {
  stage: Stage;
  dir: string;
  resolve: (task: SubmittedTask) => void;
  reject: (error: unknown) => void;
}

/**
 * Submits what was added once nothing more came for `quietMs`, or `maxWaitMs` after the first
 * one: Slurm starts jobs on a ~1 s tick, so the wait costs nothing a user would see.
 */
export function arrayBatcher(
  submitter: ArraySubmitter,
  quietMs = 100,
  maxWaitMs = 1000,
): ArrayBatcher {
  let pending: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAt = 0;

  async function flush(): Promise<void> {
    timer = undefined;
    const batch = pending;
    pending = [];
    const stages = new Map<string, Pending[]>();
    for (const item of batch) {
      (stages.get(item.stage.name) ?? stages.set(item.stage.name, []).get(item.stage.name)!)
        .push(item);
    }
    const size = await submitter.maxArraySize();
    for (const items of stages.values()) {
      for (let i = 0; i < items.length; i += size) {
        const chunk = items.slice(i, i + size);
        try {
          const array = await submitter.submit(
            chunk[0]!.stage,
            chunk.map((item, task) => ({ dir: item.dir, task })),
          );
          chunk.forEach((item, task) =>
            item.resolve({ job: `${array.job}_${task}`, log: array.log(task) })
          );
        } catch (error) {
          for (const item of chunk) item.reject(error);
        }
      }
    }
  }

  return {
    add(stage, dir) {
      return new Promise((resolve, reject) => {
        if (pending.length === 0) firstAt = Date.now();
        pending.push({ stage, dir, resolve, reject });
        if (timer !== undefined) clearTimeout(timer);
        const wait = Math.max(0, Math.min(quietMs, firstAt + maxWaitMs - Date.now()));
        timer = setTimeout(() => void flush(), wait);
      });
    },
  };
}
