/**
 * Getting a trial's directory ready for an attempt: earlier attempts' logs moved to `attempts/N/`,
 * `config.json`, `meta.json`, `deps.json`, `parent.json` for a forked trial, an empty
 * `events.ndjson`, `out/`, and the launch (its environment of section 7, and for a command, the
 * substituted command line).
 *
 * @module
 */

import { join, resolve } from "node:path";
import { canonicalJson } from "../config/mod.ts";
import type { Plan, PlannedTrial } from "../plan/mod.ts";
import {
  readMeta,
  readResult,
  type StoreLayout,
  TRIAL_FILES,
  trialDir,
  type TrialMeta,
  writeJsonAtomic,
  writeJsonAtomicSync,
  writeTextAtomicSync,
} from "../store/mod.ts";
import { substituteCommand } from "./command.ts";
import type { TrialLaunch } from "./executor.ts";
import { trialEnvironment } from "./sandbox.ts";

/** What every trial of a run shares. */
export interface TrialContextInfo {
  /** This `xp run`'s process id (owner of locks and `running` statuses). */
  pid: number;
  /** Host name. */
  host: string;
  /** xp's own environment, from which the trial's clean one is taken. */
  env: (name: string) => string | undefined;
  /** The experiment directory's git state. */
  git: TrialMeta["git"];
  /** Versions of xp and deno. */
  versions: Record<string, string>;
  /** Operating system and architecture. */
  os?: string;
  /** CPUs of this machine. */
  cpus?: number;
  /** The user running xp. */
  user?: string | null;
}

/** A launch plus how to set an attempt's files aside before a retry. */
export interface PreparedLaunch extends TrialLaunch {
  /** Moves the attempt's logs, events and status to `attempts/N/`. */
  archive(attempt: number): Promise<void>;
}

/** Options of {@linkcode prepareTrial}. */
export interface PrepareOptions {
  /** The trial's directory. */
  dir: string;
  /** The store. */
  layout: StoreLayout;
  /** What the run shares. */
  context: TrialContextInfo;
  /** The attempt whose files are still in place and must be set aside first. */
  archive: number | undefined;
}

/** Writes a trial's `config.json` and `meta.json` (also for trials that end `skipped`). */
export function writeTrialFiles(
  trial: PlannedTrial,
  dir: string,
  context: TrialContextInfo,
): void {
  const meta: TrialMeta = {
    experiment: trial.experiment,
    stage: trial.stage,
    name: trial.name,
    key: trial.key,
    code_digest: trial.codeDigest,
    deps: trial.deps,
    ...(trial.parent === undefined ? {} : { parent: trial.parent }),
    git: context.git,
    versions: context.versions,
    host: context.host,
    ...(context.os === undefined ? {} : { os: context.os }),
    ...(context.cpus === undefined ? {} : { cpus: context.cpus }),
    ...(context.user === undefined ? {} : { user: context.user }),
    swept: trial.swept,
    effective_params: trial.effective,
  };
  if (trial.captureEnv !== undefined) {
    meta.env = Object.fromEntries(
      trial.captureEnv.map((name) => [name, context.env(name) ?? null]),
    );
  }
  // Synchronous: see writeTextAtomicSync. Atomic even in a new directory: readers (xp ls, the
  // viewer) look at a running trial's files while they are written.
  writeTextAtomicSync(join(dir, TRIAL_FILES.config), canonicalJson(trial.effective) + "\n");
  writeJsonAtomicSync(join(dir, TRIAL_FILES.meta), meta);
}

/** Prepares the directory for a trial's first attempt in this run and returns its launch. */
export async function prepareTrial(
  plan: Plan,
  trial: PlannedTrial,
  options: PrepareOptions,
): Promise<PreparedLaunch> {
  const { dir, layout, context } = options;
  const archive = (attempt: number) => archiveAttempt(dir, attempt);
  if (options.archive !== undefined) await archive(options.archive);
  const out = join(dir, TRIAL_FILES.out);
  const deps = await Promise.all(trial.deps.map(async (key) => {
    const dep = plan.byKey.get(key)!;
    const depDir = trialDir(layout, key);
    return {
      stage: dep.stage,
      name: dep.name,
      key,
      result: (await readResult(depDir)) ?? null,
      out: join(depDir, TRIAL_FILES.out),
      gather: trial.gather,
    };
  }));
  const parent = trial.parent === undefined
    ? undefined
    : await writeParent(dir, layout, trial.parent);
  const { experiment } = plan;
  const stage = experiment.stages.find((s) => s.name === trial.stage)!;
  writeAttemptFiles(trial, dir, context, { deps, eventsFirst: stage.sandbox === "bwrap" });
  const script = stage.inline
    ? experiment.file
    : stage.script && resolve(experiment.dir, stage.script);
  const xp: Record<string, string> = {
    XP_TRIAL_DIR: dir,
    XP_OUT: out,
    XP_EVENTS: join(dir, TRIAL_FILES.events),
    XP_CONFIG: join(dir, TRIAL_FILES.config),
    XP_DEPS: join(dir, TRIAL_FILES.deps),
    XP_TRIAL_KEY: trial.key,
    XP_TRIAL_NAME: trial.name,
    XP_STAGE: trial.stage,
    XP_EXPERIMENT: trial.experiment,
    XP_EXPERIMENT_DIR: experiment.dir,
  };
  if (script) xp.XP_SCRIPT = script;
  if (parent) {
    xp.XP_PARENT_KEY = parent.key;
    xp.XP_PARENT_DIR = parent.dir;
  }
  const launch: PreparedLaunch = {
    key: trial.key,
    name: trial.name,
    stage,
    experimentDir: experiment.dir,
    experimentFile: experiment.file,
    trialDir: dir,
    depOuts: deps.map((d) => d.out),
    ...(parent ? { parentDir: parent.dir } : {}),
    env: trialEnvironment(context.env, stage.env, xp),
    archive,
  };
  if (stage.command !== undefined) {
    const outs: Record<string, string[]> = {};
    for (const dep of deps) (outs[dep.stage] ??= []).push(dep.out);
    launch.command = substituteCommand(stage.command, {
      params: trial.effective,
      out,
      trial: { key: trial.key, name: trial.name },
      experimentDir: experiment.dir,
      deps: outs,
    }, { at: experiment.locate([...stage.path, "command"]), stage: stage.name });
  }
  return launch;
}

/**
 * `out/`, `config.json`, `meta.json` and `deps.json` of an attempt, synchronously (see
 * writeTextAtomicSync); an empty `events.ndjson` first when bubblewrap will bind it into the
 * sandbox, which needs it to exist.
 */
function writeAttemptFiles(
  trial: PlannedTrial,
  dir: string,
  context: TrialContextInfo,
  options: { deps: unknown[]; eventsFirst: boolean },
): void {
  Deno.mkdirSync(join(dir, TRIAL_FILES.out), { recursive: true });
  writeTrialFiles(trial, dir, context);
  writeJsonAtomicSync(join(dir, TRIAL_FILES.deps), options.deps);
  if (options.eventsFirst) Deno.writeTextFileSync(join(dir, TRIAL_FILES.events), "");
}

/**
 * Writes `parent.json` (what `ctx.parent` holds: the parent's stage, name, key, result and out
 * path) and returns the parent's key and directory. The parent is a trial of this store: `--from`
 * found it there.
 */
async function writeParent(
  dir: string,
  layout: StoreLayout,
  key: string,
): Promise<{ key: string; dir: string }> {
  const parentDir = trialDir(layout, key);
  const meta = await readMeta(parentDir);
  await writeJsonAtomic(join(dir, TRIAL_FILES.parent), {
    stage: meta?.stage ?? null,
    name: meta?.name ?? null,
    key,
    result: (await readResult(parentDir)) ?? null,
    out: join(parentDir, TRIAL_FILES.out),
  });
  return { key, dir: parentDir };
}

/**
 * Moves an attempt's logs, events and status into `attempts/N/`, and copies its `deps.json` there;
 * out/, checkpoints and the inputs (`deps.json`, `parent.json`) stay for the next attempt.
 */
async function archiveAttempt(dir: string, attempt: number): Promise<void> {
  const target = join(dir, TRIAL_FILES.attempts, String(attempt));
  await Deno.mkdir(target, { recursive: true });
  const from = (file: keyof typeof TRIAL_FILES) => join(dir, TRIAL_FILES[file]);
  const to = (file: keyof typeof TRIAL_FILES) => join(target, TRIAL_FILES[file]);
  for (const file of ["stdout", "stderr", "events", "status"] as const) {
    await Deno.rename(from(file), to(file)).catch(() => {});
  }
  // A retry within this run reads the same deps.json: moving it failed every retried TS trial
  // that had dependencies.
  await Deno.copyFile(from("deps"), to("deps")).catch(() => {});
}
