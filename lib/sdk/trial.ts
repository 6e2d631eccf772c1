/**
 * Runs one TS trial in the current process: reads its config and dependencies, imports its
 * module, calls its function with a context, and writes its result event. Used by
 * `trial_main.ts` (one process per trial) and by the in-process executor, so it never exits the
 * process, reads the environment or throws for a user's error.
 *
 * @module
 */

import { createCheckpoints } from "./checkpoint.ts";
import { EventWriter } from "./events.ts";
import type { Dependencies, Dependency, Json, Parent, TrialContext } from "./experiment.ts";
import { describeFailure, type TrialFailure } from "./failure.ts";
import { toJsonValue } from "./json.ts";
import { createTrialLog } from "./log.ts";
import { fileUrl } from "./paths.ts";
import { encodeEvent, isLineTooLong, MAX_LINE_BYTES } from "./protocol.ts";

/** Everything a trial is given (ARCHITECTURE section 7); paths are absolute. */
export interface TrialSpec {
  /** The trial's directory (`XP_TRIAL_DIR`); holds `checkpoint.json`. */
  trialDir: string;
  /** Its output directory (`XP_OUT`). */
  out: string;
  /** The events file (`XP_EVENTS`). */
  eventsFile: string;
  /** `config.json`: the trial's config as a JSON object (`XP_CONFIG`). */
  configFile: string;
  /** The dependencies file (`XP_DEPS`); none when undefined. */
  depsFile?: string | undefined;
  /** The trial's key (`XP_TRIAL_KEY`). */
  key: string;
  /** The trial's name (`XP_TRIAL_NAME`). */
  name: string;
  /** Its stage (`XP_STAGE`). */
  stage: string;
  /** The experiment's name (`XP_EXPERIMENT`). */
  experiment: string;
  /** The experiment directory (`XP_EXPERIMENT_DIR`). */
  experimentDir: string;
  /** The module to run (`XP_SCRIPT`); a relative path is taken from the experiment directory. */
  script: string;
  /** The key of the trial it forks from (`XP_PARENT_KEY`); none when it did not fork. */
  parentKey?: string | undefined;
  /** That trial's directory (`XP_PARENT_DIR`): its checkpoint and out/. */
  parentDir?: string | undefined;
}

/** The file in a forked trial's directory describing its parent (`ctx.parent`). */
export const PARENT_FILE = "parent.json";

/** How a trial ended: `ok`, or failed with what to print. */
export type TrialRunResult = { ok: true } | ({ ok: false } & TrialFailure);

/** A line of the dependencies file. */
interface DepsEntry extends Dependency {
  gather?: boolean;
}

type RunFn = (cfg: unknown, ctx: TrialContext<unknown>) => unknown;

/** Stack frames a user need not see: the SDK's own, and Deno's internals. */
const HIDDEN_FRAMES = [new URL("./", import.meta.url).href, "(ext:", " at ext:"] as const;

/**
 * Runs the trial `spec` describes and reports how it ended; a throw, a bad module or a result
 * that is not JSON gives `{ ok: false, error, stack? }`, never an exception. Events logged before
 * a failure are kept.
 */
export async function runTrial(spec: TrialSpec): Promise<TrialRunResult> {
  let writer: EventWriter | undefined;
  try {
    const cfg = readConfig(spec.configFile);
    const deps = readDeps(spec.depsFile);
    const parent = readParent(spec);
    const script = spec.script.startsWith("/") || /^[A-Za-z]:[\\/]/.test(spec.script)
      ? spec.script
      : `${spec.experimentDir}/${spec.script}`;
    const module = await import(fileUrl(script).href);
    const [run, owner] = pickFunction(module, spec.stage, script);
    writer = new EventWriter(spec.eventsFile);
    const { checkpoint, restore } = createCheckpoints(spec.trialDir, spec.parentDir);
    const ctx: TrialContext<unknown> = {
      cfg,
      name: spec.name,
      key: spec.key,
      stage: spec.stage,
      out: spec.out,
      deps,
      parent,
      log: createTrialLog(writer, spec.out),
      checkpoint,
      restore,
    };
    const value = await run.call(owner, cfg, ctx);
    writer.close(value === undefined ? undefined : resultLine(value));
    return { ok: true };
  } catch (thrown) {
    try {
      writer?.close();
    } catch {
      // The trial's own error is the one to report.
    }
    return { ok: false, ...describeFailure(thrown, HIDDEN_FRAMES) };
  }
}

/** The function to call and its `this`: a default-exported function, else the stage's `run`. */
function pickFunction(
  module: Record<string, unknown>,
  stage: string,
  script: string,
): [RunFn, unknown] {
  const fix =
    `export default a function (cfg, ctx) => result, or experiment({ run }) or experiment({ stages: { ${stage}: { run } } })`;
  if (!("default" in module)) throw new TypeError(`${script} has no default export: ${fix}`);
  const exported = module.default;
  if (typeof exported === "function") return [exported as RunFn, undefined];
  if (exported !== null && typeof exported === "object") {
    const { stages, run } = exported as { stages?: unknown; run?: unknown };
    const own = stages !== null && typeof stages === "object" && Object.hasOwn(stages, stage)
      ? (stages as Record<string, { run?: unknown }>)[stage]
      : undefined;
    if (typeof own?.run === "function") return [own.run as RunFn, own];
    if (typeof run === "function") return [run as RunFn, exported];
  }
  throw new TypeError(`${script} has no function to run for stage "${stage}": ${fix}`);
}

function readConfig(file: string): Record<string, Json> {
  const value = readJson(file);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`${file} must hold the trial's config as a JSON object`);
  }
  return value;
}

/** Dependencies by stage: the trial, or for a gathered stage all of them in order. */
function readDeps(file: string | undefined): Dependencies {
  const deps: Dependencies = {};
  if (file === undefined || file === "") return deps;
  const entries = readJson(file);
  if (!Array.isArray(entries)) {
    throw new TypeError(`${file} must hold a JSON array of dependencies`);
  }
  for (const entry of entries as unknown as DepsEntry[]) {
    const { stage, name, key, result, out, gather } = entry;
    const dep: Dependency = { stage, name, key, result: result ?? null, out };
    const present = deps[stage];
    if (gather === true && (present === undefined || Array.isArray(present))) {
      if (present === undefined) deps[stage] = [dep];
      else present.push(dep);
    } else if (present === undefined && gather !== true) {
      deps[stage] = dep;
    } else {
      throw new TypeError(
        `${file} lists several trials of stage "${stage}" without "gather": true for all of them`,
      );
    }
  }
  return deps;
}

/** The trial it forks from, from the `parent.json` the runner wrote beside its config. */
function readParent(spec: TrialSpec): Parent | null {
  if (spec.parentKey === undefined) return null;
  const file = `${spec.trialDir}/${PARENT_FILE}`;
  const value = readJson(file);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`${file} must hold the parent trial as a JSON object`);
  }
  const { stage, name, result, out } = value;
  return {
    stage: String(stage),
    name: String(name),
    key: spec.parentKey,
    result: result ?? null,
    out: typeof out === "string" ? out : `${spec.parentDir}/out`,
  };
}

// Synchronous: the small reads gate the trial's start, and an async read costs a thread hop.
function readJson(file: string): Json {
  const text = Deno.readTextFileSync(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function resultLine(value: unknown): string {
  let json: Json;
  try {
    json = toJsonValue(value, "result");
  } catch (error) {
    throw new TypeError(`The trial's result cannot be saved: ${(error as Error).message}`);
  }
  const line = encodeEvent({ t: "result", value: json });
  if (isLineTooLong(line)) {
    throw new TypeError(
      `The trial's result is over ${
        MAX_LINE_BYTES / 1e6
      } MB as JSON: write large data into ctx.out and return a summary`,
    );
  }
  return line;
}
