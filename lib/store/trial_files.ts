/**
 * The per-trial files that are the truth: `status.json` (written last, atomically), `meta.json`,
 * `config.json`; and reading them back.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { settled, writeJsonAtomicSync } from "./atomic.ts";
import { trialFile } from "./layout.ts";

/** Every state a trial can be in (ARCHITECTURE section 5). */
export const TRIAL_STATES = [
  "queued",
  "running",
  "ok",
  "failed",
  "timeout",
  "killed",
  "skipped",
  "interrupted",
] as const;

/** A trial's state. */
export type TrialState = (typeof TRIAL_STATES)[number];

/** The states a trial ends in. */
export const FINAL_STATES: readonly TrialState[] = [
  "ok",
  "failed",
  "timeout",
  "killed",
  "skipped",
  "interrupted",
];

/** `status.json`: where a trial is, and how it ended. */
export interface TrialStatus {
  /** The state. */
  state: TrialState;
  /** The process's exit code, when it exited. */
  exit_code: number | null;
  /** The signal that ended it (`SIGKILL`), if one did. */
  signal: string | null;
  /** What went wrong, in one line, when it did not end `ok`. */
  error: string | null;
  /** ISO 8601. */
  started_at: string | null;
  /** ISO 8601, once it ended. */
  finished_at: string | null;
  /** 1 for the first attempt; retries and re-runs count up. */
  attempt: number;
  /** The run that ran (or skipped) it. */
  run_id: string;
  /** While running: the `xp run` process that owns it, to tell a live trial from a stale one. */
  pid?: number;
  /** While running: the host of that process. */
  host?: string;
  /** While running: the trial's own process (and process group) id. */
  trial_pid?: number;
  /**
   * While running under Slurm: the job id, `ARRAYJOB_TASK` for an array task (a re-run follows
   * this job instead of resubmitting it).
   */
  slurm_job?: string;
  /** While running under Slurm: the file Slurm writes the job's own output to. */
  slurm_log?: string;
}

/** `meta.json`: what a trial is. */
export interface TrialMeta {
  /** The experiment's name. */
  experiment: string;
  /** The stage's name. */
  stage: string;
  /** The trial's name. */
  name: string;
  /** The trial's key. */
  key: string;
  /** The stage's code digest. */
  code_digest: string;
  /** Dependency keys. */
  deps: string[];
  /** The key of the trial it forked from (`xp run --from`), when it did. */
  parent?: string;
  /**
   * The experiment directory's git state, when it is in a repository; `diff` is the sha256 of
   * the blob holding `git diff HEAD` of tracked files when the tree was dirty.
   */
  git: {
    commit: string | null;
    branch: string | null;
    dirty: boolean | null;
    diff?: string | null;
  };
  /** Versions of what ran it. */
  versions: Record<string, string>;
  /** The host it ran on. */
  host: string;
  /** The operating system (`linux`, `darwin`, `windows`) and architecture; absent before xp 0.1. */
  os?: string;
  /** CPUs of the machine xp ran on. */
  cpus?: number;
  /** The user who ran it (`USER` or `USERNAME`), `null` when unknown. */
  user?: string | null;
  /** The variables named by `capture_env:` and their values (`null`: unset). */
  env?: Record<string, string | null>;
  /** The swept values that made it. */
  swept: Record<string, unknown>;
  /** Its config plus the params inherited from its dependencies. */
  effective_params: Record<string, unknown>;
}

/**
 * Writes `status.json` atomically; when the state is final and the trial is in a store
 * (`…/trials/<key>`), then notes the write in the store's `status-writes`
 * (`StoreLayout.statusWrites`: opening the index then knows to look for changed trials; only
 * final states are indexed, so the others need no look).
 */
export function writeStatus(dir: string, status: TrialStatus): Promise<void> {
  // Synchronous inside: see writeTextAtomicSync.
  return settled(() => {
    writeJsonAtomicSync(trialFile(dir, "status"), status);
    const trials = dirname(dir);
    if (FINAL_STATES.includes(status.state) && basename(trials) === "trials") {
      Deno.writeTextFileSync(join(dirname(trials), "status-writes"), ".", { append: true });
    }
  });
}

/** Reads `status.json`; `undefined` when there is none or it is not valid. */
export function readStatus(dir: string): Promise<TrialStatus | undefined> {
  return settled(() => readStatusSync(dir));
}

function readStatusSync(dir: string): TrialStatus | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(trialFile(dir, "status"));
  } catch {
    return undefined;
  }
  try {
    const status = JSON.parse(text);
    return TRIAL_STATES.includes(status?.state) ? status as TrialStatus : undefined;
  } catch {
    return undefined;
  }
}

/** Reads `meta.json`; `undefined` when there is none or it is not a JSON object. */
export async function readMeta(dir: string): Promise<Partial<TrialMeta> | undefined> {
  try {
    const meta = JSON.parse(await Deno.readTextFile(trialFile(dir, "meta")));
    return meta !== null && typeof meta === "object" && !Array.isArray(meta) ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the last `result` event of a trial's `events.ndjson` (`undefined` when there is none). */
export async function readResult(dir: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(trialFile(dir, "events"));
  } catch {
    return undefined;
  }
  // The result is written last; scan from the end so long series are not parsed.
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end).trim();
    end = start - 1;
    if (!line.includes('"result"')) continue;
    try {
      const event = JSON.parse(line);
      if (event?.t === "result") return event.value;
    } catch {
      // A torn last line (the trial was killed mid-write) is skipped.
    }
  }
  return undefined;
}
