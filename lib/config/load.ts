/**
 * Finds and loads an experiment file (`xp.yaml` or `xp.ts`), follows `imports:`, merges, and
 * validates it into the {@linkcode Experiment} model.
 *
 * @module
 */

import { basename, dirname, extname, isAbsolute, relative, resolve } from "node:path";
import { ConfigError, type SourcePosition } from "../errors.ts";
import { assign, isObject, merge } from "./merge.ts";
import type { Experiment, JsonObject, Locate } from "./model.ts";
import { loadTsSource } from "./ts_source.ts";
import { validateExperiment } from "./validate.ts";
import { parseYamlSource, type SourceDoc } from "./yaml_source.ts";

/** The file names `xp run` looks for, in order, when it is given a directory or nothing. */
export const EXPERIMENT_FILES = ["xp.yaml", "xp.ts"] as const;

/** Options of {@linkcode loadExperiment}. */
export interface LoadOptions {
  /** The directory a relative `target` is resolved against. */
  cwd: string;
  /** The `deno` executable that evaluates `xp.ts` files. */
  deno: string;
}

/**
 * Loads the experiment at `target`: a file, a directory holding `xp.yaml` or `xp.ts`, or
 * `undefined` for the current directory.
 *
 * @throws {ConfigError} when there is no experiment file or it is not valid
 */
export async function loadExperiment(
  target: string | undefined,
  options: LoadOptions,
): Promise<Experiment> {
  const file = await findExperimentFile(target, options.cwd);
  const display = displayPath(file, options.cwd);
  const dir = dirname(file);
  if (extname(file) === ".ts") {
    const source = await loadTsSource(file, { deno: options.deno, display });
    return validateExperiment(source.value, {
      file,
      dir,
      locate: locator([source]),
      dialect: "ts",
    });
  }
  const docs: SourceDoc[] = [];
  const value = await loadYamlChain(file, { cwd: options.cwd, docs, chain: [] });
  const locate = locator(docs);
  const experiment = validateExperiment(value, { file, dir, locate, dialect: "yaml" });
  await checkScripts(experiment);
  return experiment;
}

/** Resolves `target` to an absolute experiment file path. */
export async function findExperimentFile(target: string | undefined, cwd: string): Promise<string> {
  const path = resolve(cwd, target ?? ".");
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new ConfigError(`Cannot find ${target === undefined ? "the directory" : `"${target}"`}`, {
      hint: "give the path of an xp.yaml or xp.ts, or a directory holding one",
    });
  }
  if (info.isFile) {
    if (![".yaml", ".yml", ".ts"].includes(extname(path))) {
      throw new ConfigError(
        `Cannot load "${target}": an experiment file ends in .yaml, .yml or .ts`,
      );
    }
    return await Deno.realPath(path);
  }
  for (const name of EXPERIMENT_FILES) {
    const candidate = resolve(path, name);
    if (await isFile(candidate)) return await Deno.realPath(candidate);
  }
  const where = target === undefined ? "the current directory" : `"${target}"`;
  throw new ConfigError(`Cannot find xp.yaml or xp.ts in ${where}`, {
    hint: "run `xp init` to write an example, or give the file: xp run path/to/xp.yaml",
  });
}

interface Chain {
  cwd: string;
  /** Every file read, importers last, for locating keys. */
  docs: SourceDoc[];
  /** The files being imported right now, to name a cycle. */
  chain: string[];
}

async function loadYamlChain(
  file: string,
  state: Chain,
  from?: SourcePosition,
): Promise<JsonObject> {
  const display = displayPath(file, state.cwd);
  if (state.chain.includes(file)) {
    const cycle = [...state.chain.slice(state.chain.indexOf(file)), file]
      .map((f) => displayPath(f, state.cwd));
    throw new ConfigError(`Cannot import "${display}": imports form a cycle ${cycle.join(" → ")}`, {
      at: from,
      hint: "remove one of these imports",
    });
  }
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw new ConfigError(`Cannot read "${display}": ${(error as Error).message}`, {
      at: from,
      cause: error,
    });
  }
  const doc = parseYamlSource(text, display);
  const imports = importList(doc);
  let value: JsonObject = {};
  for (const [i, name] of imports.entries()) {
    const at = doc.position(["imports", i]) ?? doc.position(["imports"]);
    const path = resolve(dirname(file), name);
    if (!(await isFile(path))) {
      throw new ConfigError(`Cannot import "${name}": no such file`, {
        at,
        hint: `imports are relative to ${displayPath(dirname(file), state.cwd) || "."}/`,
      });
    }
    const imported = await loadYamlChain(path, { ...state, chain: [...state.chain, file] }, at);
    value = mergeDocument(value, imported);
  }
  const { imports: _, ...own } = doc.value;
  state.docs.push(doc);
  return mergeDocument(value, own);
}

function importList(doc: SourceDoc): string[] {
  const raw = doc.value.imports;
  if (raw === undefined || raw === null) return [];
  const list = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
    throw new ConfigError('Cannot load "imports": expected a file name or a list of file names', {
      at: doc.position(["imports"]),
    });
  }
  return list as string[];
}

/**
 * Merges an importing document over what it imports: `params` key by key (with the merge
 * rules), a stage of the same name field by field (its `params` key by key), anything else replaced.
 */
export function mergeDocument(base: JsonObject, update: JsonObject): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(update)) {
    const current = result[key];
    if (key === "params" && isObject(current) && isObject(value)) {
      result.params = merge(current, value);
    } else if (key === "stages" && isObject(current) && isObject(value)) {
      const stages: JsonObject = { ...current };
      for (const [name, stage] of Object.entries(value)) {
        const old = stages[name];
        stages[name] = isObject(old) && isObject(stage) ? mergeDocument(old, stage) : stage;
      }
      result.stages = stages;
    } else if (key.includes(".") || key.startsWith("**")) {
      assign(result, key, value);
    } else {
      // Replaced as written: a sweep's dotted axis names are not paths to expand.
      result[key] = value;
    }
  }
  return result;
}

/** A {@linkcode Locate} over several files: the importing file first, then its imports. */
function locator(docs: readonly SourceDoc[]): Locate {
  const ordered = [...docs].reverse();
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      for (const doc of ordered) {
        const position = doc.position(path.slice(0, n));
        if (position) return position;
      }
    }
    return { file: ordered[0]?.file ?? "experiment" };
  };
}

async function checkScripts(experiment: Experiment): Promise<void> {
  for (const stage of experiment.stages) {
    if (stage.script === undefined) continue;
    if (!(await isFile(resolve(experiment.dir, stage.script)))) {
      throw new ConfigError(`Cannot find script "${stage.script}" of stage "${stage.name}"`, {
        at: experiment.locate([...stage.path, "script"]),
        hint: `scripts are relative to the experiment's directory (${basename(experiment.dir)}/)`,
      });
    }
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}
