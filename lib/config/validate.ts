/**
 * Checks a loaded document key by key and builds the {@linkcode Experiment} model; every problem
 * is a {@linkcode ConfigError} that names the place and the offending value.
 *
 * @module
 */

import { suggest } from "../suggest.ts";
import { ConfigError } from "../errors.ts";
import { stageOrder } from "./stage_order.ts";
import { FN_MARKER } from "./fn_marker.ts";
import { isObject, merge } from "./merge.ts";
import {
  type Experiment,
  EXPERIMENT_EXECUTORS,
  type Grant,
  type Json,
  type JsonObject,
  type Locate,
  type Permissions,
  SLURM_KEYS,
  type SlurmSettings,
  type Stage,
  type SweepSpec,
} from "./model.ts";
import { parseDuration, parseSize } from "./units.ts";

/** Which file form the document came from; `ts` documents mark functions with FN_MARKER. */
export type Dialect = "yaml" | "ts";

const STAGE_KEYS = [
  "script",
  "command",
  "params",
  "sweep",
  "depends_on",
  "gather",
  "permissions",
  "timeout",
  "retry",
  "memory",
  "env",
  "inputs",
  "sandbox",
  "capture_env",
] as const;
// capture_env at the top is the experiment's default for every stage, not a stage of its own.
const SINGLE_STAGE_KEYS = STAGE_KEYS.filter((k) =>
  !["params", "sweep", "depends_on", "gather", "capture_env"].includes(k)
);
const TOP_KEYS = [
  "name",
  "description",
  "imports",
  "params",
  "sweep",
  "stages",
  "executor",
  "slurm",
  "capture_env",
];
const PERMISSION_KEYS = ["read", "write", "net", "env", "run", "ffi", "sys"] as const;
const STAGE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** What {@linkcode validateExperiment} needs besides the document. */
export interface ValidateOptions {
  /** Absolute path of the experiment file. */
  file: string;
  /** Absolute path of its directory. */
  dir: string;
  /** Where paths of the document were written. */
  locate: Locate;
  /** The file form. */
  dialect: Dialect;
}

/**
 * Builds the experiment model from a document whose imports are already merged.
 *
 * @throws {ConfigError} on an unknown key, a wrong type, a stage with both or neither of
 * script/command, an unknown or cyclic `depends_on`
 */
export function validateExperiment(doc: JsonObject, options: ValidateOptions): Experiment {
  const { locate, dialect } = options;
  const ts = dialect === "ts";
  const single = [...SINGLE_STAGE_KEYS, ...(ts ? ["run"] : [])];
  const topKeys = [...TOP_KEYS.filter((k) => !(ts && k === "imports")), ...single];
  checkKeys(doc, topKeys, [], locate, "experiment");
  const name = doc.name === undefined
    ? options.dir.split(/[\\/]/).filter(Boolean).pop() ?? "experiment"
    : text(doc.name, ["name"], locate);
  // Dotted and ** keys in params mean the same with or without imports: expand them here.
  const params = merge({}, object(doc.params, ["params"], locate));
  const description = doc.description === undefined
    ? undefined
    : text(doc.description, ["description"], locate);
  const sweep = sweepSpec(doc.sweep, ["sweep"], locate);
  const hasTopStage = single.some((k) => k !== "run" && doc[k] !== undefined) ||
    doc.run !== undefined;
  let stages: Stage[];
  if (doc.stages !== undefined) {
    if (hasTopStage) {
      const key = single.find((k) => doc[k] !== undefined)!;
      throw new ConfigError(`Cannot use top-level "${key}" together with "stages"`, {
        at: locate([key]),
        hint: `move "${key}" into a stage under "stages:"`,
      });
    }
    const raw = object(doc.stages, ["stages"], locate);
    if (Object.keys(raw).length === 0) {
      throw new ConfigError('Cannot load "stages": it is empty', {
        at: locate(["stages"]),
        hint: "add a stage with a script: or command:",
      });
    }
    stages = Object.entries(raw).map(([stageName, value]) =>
      stage(stageName, value, ["stages", stageName], options)
    );
  } else {
    if (!hasTopStage) {
      throw new ConfigError("Cannot load experiment: there is nothing to run", {
        at: locate([]),
        hint: ts
          ? "add run(cfg, ctx) { … }, or stages: { name: { run … } }"
          : "add script: train.ts or command: …, or stages:",
      });
    }
    const stageDoc: JsonObject = {};
    for (const key of single) if (doc[key] !== undefined) stageDoc[key] = doc[key]!;
    stages = [stage("main", stageDoc, [], options)];
  }
  resolveDependencies(stages, locate);
  if (doc.capture_env !== undefined) {
    const names = envNames(doc.capture_env, ["capture_env"], locate);
    for (const s of stages) s.captureEnv ??= names;
  }
  const experiment: Experiment = {
    name,
    file: options.file,
    dir: options.dir,
    params,
    sweep,
    stages,
    locate,
  };
  if (description !== undefined) experiment.description = description;
  if (doc.executor !== undefined) experiment.executor = executor(doc.executor, locate);
  if (doc.slurm !== undefined) experiment.slurm = slurmSettings(doc.slurm, locate);
  return experiment;
}

function executor(value: Json, locate: Locate): NonNullable<Experiment["executor"]> {
  const name = text(value, ["executor"], locate);
  if (!(EXPERIMENT_EXECUTORS as readonly string[]).includes(name)) {
    throw new ConfigError(`Unknown executor "${name}"`, {
      at: locate(["executor"]),
      hint: `choose one of ${EXPERIMENT_EXECUTORS.join(", ")}`,
    });
  }
  return name as NonNullable<Experiment["executor"]>;
}

/** `slurm: { partition: gpu, cpus: 4, extra: [--exclusive] }` as `KEY=VALUE` pairs. */
function slurmSettings(value: Json, locate: Locate): SlurmSettings {
  const doc = object(value, ["slurm"], locate);
  checkKeys(doc, SLURM_KEYS, ["slurm"], locate, "slurm");
  const pairs: string[] = [];
  for (const [key, item] of Object.entries(doc)) {
    const items = key === "extra" && Array.isArray(item) ? item : [item];
    items.forEach((one, i) => {
      const path = key === "extra" && Array.isArray(item) ? ["slurm", key, i] : ["slurm", key];
      if (typeof one === "number" && key === "cpus") pairs.push(`${key}=${one}`);
      else pairs.push(`${key}=${text(one as Json, path, locate)}`);
    });
  }
  return pairs;
}

function stage(
  name: string,
  value: Json,
  path: (string | number)[],
  options: ValidateOptions,
): Stage {
  const { locate } = options;
  const ts = options.dialect === "ts";
  if (!STAGE_NAME.test(name)) {
    throw new ConfigError(`Cannot use "${name}" as a stage name`, {
      at: locate(path),
      hint: "stage names start with a letter or _ and use letters, digits, _ and -",
    });
  }
  const doc = object(value, path, locate);
  const allowed: string[] = [...STAGE_KEYS, ...(ts ? ["run"] : [])];
  checkKeys(doc, allowed, path, locate, `stage "${name}"`);
  const at = (key: string) => [...path, key];
  const isFn = (v: Json | undefined) => isObject(v) && v[FN_MARKER] === true;
  if (doc.run !== undefined && !isFn(doc.run)) {
    throw new ConfigError(`Cannot load "${[...path, "run"].join(".")}": it must be a function`, {
      at: locate(at("run")),
    });
  }
  const runners = (["script", "command", "run"] as const).filter((k) => doc[k] !== undefined);
  if (runners.length !== 1) {
    throw new ConfigError(
      runners.length === 0
        ? `Cannot load stage "${name}": it needs ${ts ? "run, " : ""}script or command`
        : `Cannot load stage "${name}": it has both ${runners.join(" and ")}`,
      {
        at: locate(runners.length > 1 ? [...path, runners[1]!] : path),
        hint: "a stage runs either a TS module (script:) or a shell command (command:)",
      },
    );
  }
  const result: Stage = {
    name,
    path,
    params: object(doc.params, at("params"), locate),
    sweep: sweepSpec(doc.sweep, at("sweep"), locate),
    dependsOn: doc.depends_on === undefined
      ? []
      : strings(doc.depends_on, at("depends_on"), locate),
    gather: doc.gather === undefined ? false : bool(doc.gather, at("gather"), locate),
    permissions: permissions(doc.permissions, at("permissions"), locate),
    timeoutMs: doc.timeout === undefined
      ? undefined
      : converted(doc.timeout, parseDuration, at("timeout"), locate, {
        expected: "a duration",
        hint: "write seconds (90) or a number with a unit: 500ms, 90s, 10m, 2h",
      }),
    retry: doc.retry === undefined ? 0 : count(doc.retry, at("retry"), locate),
    memoryBytes: doc.memory === undefined
      ? undefined
      : converted(doc.memory, parseSize, at("memory"), locate, {
        expected: "a size",
        hint: "write megabytes (512) or a number with a unit: 512M, 4G",
      }),
    env: environment(doc.env, at("env"), locate),
    inputs: doc.inputs === undefined ? [] : strings(doc.inputs, at("inputs"), locate),
    sandbox: doc.sandbox === undefined ? undefined : sandbox(doc.sandbox, at("sandbox"), locate),
  };
  if (doc.script !== undefined) result.script = text(doc.script, at("script"), locate);
  if (doc.command !== undefined) result.command = text(doc.command, at("command"), locate);
  if (doc.run !== undefined) result.inline = true;
  if (doc.capture_env !== undefined) {
    result.captureEnv = envNames(doc.capture_env, at("capture_env"), locate);
  }
  if (result.gather && result.dependsOn.length === 0) {
    throw new ConfigError(`Cannot gather in stage "${name}": it depends on nothing`, {
      at: locate(at("gather")),
      hint: "add depends_on: [STAGE] or remove gather: true",
    });
  }
  return result;
}

/** Replaces `/regex/` patterns by the stage names they match, and checks the graph. */
function resolveDependencies(stages: Stage[], locate: Locate): void {
  const names = stages.map((s) => s.name);
  for (const stage of stages) {
    const resolved = new Set<string>();
    stage.dependsOn.forEach((target, i) => {
      const at = locate(["stages", stage.name, "depends_on", i]);
      const pattern = /^\/(.+)\/$/.exec(target)?.[1];
      if (pattern !== undefined) {
        let regex: RegExp;
        try {
          regex = new RegExp(pattern);
        } catch (error) {
          throw new ConfigError(`Cannot use "${target}" in depends_on: invalid regex`, {
            at,
            cause: error,
          });
        }
        const matches = names.filter((n) => n !== stage.name && regex.test(n));
        if (matches.length === 0) {
          throw new ConfigError(`Cannot use "${target}" in depends_on: it matches no stage`, {
            at,
            hint: `stages are: ${names.join(", ")}`,
          });
        }
        matches.forEach((m) => resolved.add(m));
        return;
      }
      if (target === stage.name) {
        throw new ConfigError(`Cannot make stage "${target}" depend on itself`, { at });
      }
      if (!names.includes(target)) {
        throw new ConfigError(`Cannot depend on "${target}": there is no such stage`, {
          at,
          hint: suggest(target, names) ?? `stages are: ${names.join(", ")}`,
        });
      }
      resolved.add(target);
    });
    stage.dependsOn = [...resolved];
  }
  const order = stageOrder(stages);
  if (!order.ok) {
    throw new ConfigError(
      `Cannot order stages: depends_on has a cycle ${order.cycle.join(" → ")}`,
      {
        at: locate(["stages", order.cycle[0]!]),
        hint: "remove one of these dependencies",
      },
    );
  }
}

function checkKeys(
  doc: JsonObject,
  allowed: readonly string[],
  path: (string | number)[],
  locate: Locate,
  what: string,
): void {
  for (const key of Object.keys(doc)) {
    // Top-level `x-…` keys hold YAML anchors for reuse, as in Docker Compose files.
    if (allowed.includes(key) || (path.length === 0 && key.startsWith("x-"))) continue;
    throw new ConfigError(`Unknown key "${key}" in ${what}`, {
      at: locate([...path, key]),
      hint: suggest(key, allowed) ?? `known keys: ${allowed.join(", ")}`,
    });
  }
}

function describe(value: Json): string {
  const json = JSON.stringify(value);
  return json.length > 40 ? json.slice(0, 37) + "..." : json;
}

function wrongType(value: Json, path: (string | number)[], locate: Locate, expected: string) {
  return new ConfigError(
    `Cannot load "${path.join(".")}": expected ${expected}, got ${describe(value)}`,
    {
      at: locate(path),
    },
  );
}

function object(value: Json | undefined, path: (string | number)[], locate: Locate): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw wrongType(value, path, locate, "a map");
  return value;
}

function text(value: Json, path: (string | number)[], locate: Locate): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw wrongType(value, path, locate, "a non-empty string");
  }
  return value;
}

function bool(value: Json, path: (string | number)[], locate: Locate): boolean {
  if (typeof value !== "boolean") throw wrongType(value, path, locate, "true or false");
  return value;
}

function count(value: Json, path: (string | number)[], locate: Locate): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw wrongType(value, path, locate, "a whole number ≥ 0");
  }
  return value;
}

function strings(value: Json, path: (string | number)[], locate: Locate): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) throw wrongType(value, path, locate, "a string or a list of strings");
  return list.map((item, i) => {
    if (typeof item !== "string" || item === "") {
      throw wrongType(item, [...path, i], locate, "a non-empty string");
    }
    return item;
  });
}

function converted(
  value: Json,
  convert: (v: unknown) => number | undefined,
  path: (string | number)[],
  locate: Locate,
  { expected, hint }: { expected: string; hint: string },
): number {
  const result = convert(value);
  if (result === undefined) {
    throw new ConfigError(
      `Cannot load "${path.join(".")}": expected ${expected}, got ${describe(value)}`,
      { at: locate(path), hint },
    );
  }
  return result;
}

function sweepSpec(
  value: Json | undefined,
  path: (string | number)[],
  locate: Locate,
): SweepSpec | undefined {
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) return value;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new ConfigError(`Cannot expand sweep "${path.join(".")}": the list is empty`, {
        at: locate(path),
        hint: "remove sweep: or give it at least one map of axes",
      });
    }
    return value.map((grid, i) => {
      if (!isObject(grid)) throw wrongType(grid, [...path, i], locate, "a map of axes");
      return grid;
    });
  }
  throw wrongType(value, path, locate, "a map of axes or a list of such maps");
}

function permissions(value: Json | undefined, path: (string | number)[], locate: Locate) {
  const doc = object(value, path, locate);
  checkKeys(doc, PERMISSION_KEYS, path, locate, "permissions");
  const result: Permissions = {};
  for (const key of PERMISSION_KEYS) {
    const grant = doc[key];
    if (grant === undefined) continue;
    result[key] = typeof grant === "boolean"
      ? grant
      : strings(grant, [...path, key], locate) satisfies Grant;
  }
  return result;
}

/** `capture_env: [CUDA_VISIBLE_DEVICES, SLURM_JOB_ID]`: names of variables, never values. */
function envNames(value: Json, path: (string | number)[], locate: Locate): string[] {
  const names = strings(value, path, locate);
  names.forEach((name, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new ConfigError(`Cannot capture "${name}": it is not an environment variable name`, {
        at: locate([...path, i]),
        hint:
          "list variable names (letters, digits and _), e.g. capture_env: [CUDA_VISIBLE_DEVICES]",
      });
    }
  });
  return names;
}

function environment(value: Json | undefined, path: (string | number)[], locate: Locate) {
  const doc = object(value, path, locate);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(doc)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new ConfigError(`Cannot set environment variable "${key}": invalid name`, {
        at: locate([...path, key]),
      });
    }
    if (item === null || typeof item === "object") {
      throw wrongType(item, [...path, key], locate, "a string, number or boolean");
    }
    result[key] = String(item);
  }
  return result;
}

function sandbox(value: Json, path: (string | number)[], locate: Locate): "bwrap" {
  if (value !== "bwrap") {
    throw new ConfigError(
      `Cannot load "${path.join(".")}": expected "bwrap", got ${describe(value)}`,
      {
        at: locate(path),
        hint: "the only sandbox for command trials is bubblewrap: sandbox: bwrap",
      },
    );
  }
  return value;
}
