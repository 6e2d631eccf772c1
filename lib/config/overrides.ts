/**
 * Command-line overrides, Hydra/pyexp style: `k=v` sets, `k=a,b` sweeps, `+k=v` adds a new key,
 * `~k` removes one. Values parse as YAML scalars (`1e-3`, `true`, `[1,2]`); quotes keep commas.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import { suggest } from "../suggest.ts";
import { getPath, isObject, merge, remove } from "./merge.ts";
import type { Experiment, Json, JsonObject, SweepSpec } from "./model.ts";
import { parseYamlValue } from "./yaml_source.ts";

/** One parsed override. */
export type Override =
  | { op: "set"; path: string; value: Json; add: boolean; text: string }
  | { op: "sweep"; path: string; values: Json[]; add: boolean; text: string }
  | { op: "remove"; path: string; text: string };

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_0-9][A-Za-z0-9_-]*)*$/;

/**
 * Parses one override.
 *
 * @throws {UsageError} on a malformed key, a missing or empty value, a value YAML cannot parse
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseOverride } from "./overrides.ts";
 * assert.deepEqual(parseOverride("lr=0.1,1e-3"), {
 *   op: "sweep", path: "lr", values: [0.1, 0.001], add: false, text: "lr=0.1,1e-3",
 * });
 * ```
 */
export function parseOverride(text: string): Override {
  const hint = "write key=value, key=a,b (a sweep), +new.key=value or ~key";
  if (text.startsWith("~")) {
    const path = text.slice(1);
    if (!KEY.test(path)) {
      throw new UsageError(`Cannot parse override "${text}": "${path}" is not a key`, { hint });
    }
    return { op: "remove", path, text };
  }
  const add = text.startsWith("+");
  const body = add ? text.slice(text.startsWith("++") ? 2 : 1) : text;
  const eq = body.indexOf("=");
  if (eq === -1) {
    throw new UsageError(`Cannot parse override "${text}": it has no "="`, { hint });
  }
  const path = body.slice(0, eq);
  const raw = body.slice(eq + 1);
  if (!KEY.test(path)) {
    throw new UsageError(`Cannot parse override "${text}": "${path}" is not a key`, {
      hint: "keys are names joined by dots, like model.depth",
    });
  }
  if (raw.trim() === "") {
    throw new UsageError(`Cannot parse override "${text}": the value is empty`, {
      hint: `write ${path}="''" for an empty string`,
    });
  }
  const parts = splitTopLevel(raw);
  const values = parts.map((part, i) => {
    if (part.trim() === "") {
      throw new UsageError(
        `Cannot parse override "${text}": item ${i + 1} of "${raw}" is empty`,
        { hint: "remove the extra comma, or quote the value to keep commas: k='a,b'" },
      );
    }
    return scalar(part, text);
  });
  if (values.length === 1) return { op: "set", path, value: values[0]!, add, text };
  return { op: "sweep", path, values, add, text };
}

/** Splits on commas that are outside brackets, braces and quotes. */
function splitTopLevel(raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(raw.slice(start));
  return parts;
}

function scalar(part: string, text: string): Json {
  let value: unknown;
  try {
    value = parseYamlValue(part.trim());
  } catch (error) {
    throw new UsageError(`Cannot parse override "${text}": "${part}" is not a YAML value`, {
      cause: error,
      hint: "quote strings with special characters: k='a: b'",
    });
  }
  if (!isJson(value)) {
    throw new UsageError(`Cannot parse override "${text}": "${part}" is not a JSON value`, {
      hint: "numbers must be finite; quote it to keep it as a string",
    });
  }
  return value as Json;
}

function isJson(value: unknown): value is Json {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return isObject(value as Json) && Object.values(value as object).every(isJson);
}

/**
 * Returns the experiment with the overrides applied in order. A key of the experiment's params or
 * sweep is overridden experiment-wide; a key only some stages have, in those stages only; a new
 * `+key` experiment-wide. A set replaces the value and drops any sweep axis of the key; a sweep
 * replaces the key's axis in place (or adds one to every grid); a removal deletes the key.
 *
 * @throws {UsageError} when an override names a key the experiment does not have (without `+`)
 */
export function applyOverrides(experiment: Experiment, overrides: readonly Override[]): Experiment {
  return overrides.reduce(applyOne, experiment);
}

function applyOne(experiment: Experiment, override: Override): Experiment {
  const { path } = override;
  const inExperiment = hasParam(experiment.params, path) || hasAxis(experiment.sweep, path);
  const owners = new Set(
    experiment.stages
      .filter((s) => hasParam(s.params, path) || hasAxis(s.sweep, path))
      .map((s) => s.name),
  );
  if (!inExperiment && owners.size === 0 && (override.op === "remove" || !override.add)) {
    throw unknownKey(experiment, override);
  }
  const global = inExperiment || owners.size === 0;
  const mine = (name: string) => global || owners.has(name);
  let { params, sweep } = experiment;
  let stages = experiment.stages;
  switch (override.op) {
    case "remove":
      params = removed(params, path);
      sweep = withoutAxis(sweep, path);
      stages = stages.map((s) => ({
        ...s,
        params: removed(s.params, path),
        sweep: withoutAxis(s.sweep, path),
      }));
      break;
    case "set":
      if (global) {
        params = merge(params, { [path]: override.value });
        sweep = withoutAxis(sweep, path);
      }
      stages = stages.map((s) =>
        mine(s.name)
          ? {
            ...s,
            // A stage's own value would shadow the experiment's, so it is set too.
            params: !global || hasParam(s.params, path)
              ? merge(s.params, { [path]: override.value })
              : s.params,
            sweep: withoutAxis(s.sweep, path),
          }
          : s
      );
      break;
    case "sweep":
      if (global) {
        sweep = withAxis(sweep, path, override.values);
        // The experiment-wide axis now decides the value in every stage.
        stages = stages.map((s) => ({ ...s, sweep: withoutAxis(s.sweep, path) }));
      } else {
        stages = stages.map((s) =>
          owners.has(s.name) ? { ...s, sweep: withAxis(s.sweep, path, override.values) } : s
        );
      }
      break;
  }
  return { ...experiment, params, sweep, stages };
}

function unknownKey(experiment: Experiment, override: Override): UsageError {
  const candidates = [
    ...new Set([
      ...leafPaths(experiment.params),
      ...axisPaths(experiment.sweep),
      ...experiment.stages.flatMap((s) => [...leafPaths(s.params), ...axisPaths(s.sweep)]),
    ]),
  ];
  const close = suggest(override.path, candidates);
  return new UsageError(`Cannot override "${override.path}": the experiment has no such param`, {
    hint: override.op === "remove"
      ? (close ?? `params are: ${candidates.join(", ") || "(none)"}`)
      : `${close ? close + " " : ""}To add a new key write +${override.text.replace(/^\+/, "")}`,
  });
}

function hasParam(params: JsonObject, path: string): boolean {
  return getPath(merge({}, params), path) !== undefined;
}

function removed(params: JsonObject, path: string): JsonObject {
  const copy = merge({}, params);
  remove(copy, path);
  return copy;
}

function grids(sweep: SweepSpec | undefined): JsonObject[] {
  return sweep === undefined ? [] : Array.isArray(sweep) ? sweep : [sweep];
}

/** A number under `samples`/`seed` sets the random draws; anything else there is an axis. */
function isAxis(key: string, value: Json | undefined): boolean {
  return !((key === "samples" || key === "seed") && typeof value === "number");
}

function axisName(key: string): string {
  return key.replace(/^\*\*/, "");
}

function axisKeys(grid: JsonObject): string[] {
  return Object.keys(grid).filter((k) => isAxis(k, grid[k]));
}

function hasAxis(sweep: SweepSpec | undefined, path: string): boolean {
  return grids(sweep).some((grid) => axisKeys(grid).some((k) => axisName(k) === path));
}

function axisPaths(sweep: SweepSpec | undefined): string[] {
  return grids(sweep).flatMap((grid) => axisKeys(grid).map(axisName));
}

function mapGrids(sweep: SweepSpec, fn: (grid: JsonObject) => JsonObject): SweepSpec {
  return Array.isArray(sweep) ? sweep.map(fn) : fn(sweep);
}

function withoutAxis(sweep: SweepSpec | undefined, path: string): SweepSpec | undefined {
  if (sweep === undefined || !hasAxis(sweep, path)) return sweep;
  return mapGrids(sweep, (grid) => {
    const kept = Object.entries(grid).filter(([k, v]) => !isAxis(k, v) || axisName(k) !== path);
    // samples/seed mean nothing once the grid has no axis left.
    return Object.fromEntries(kept.some(([k, v]) => isAxis(k, v)) ? kept : []);
  });
}

/** Sets the key's axis in every grid: in place where the grid has it, appended where not. */
function withAxis(sweep: SweepSpec | undefined, path: string, values: Json[]): SweepSpec {
  if (sweep === undefined) return { [path]: values };
  return mapGrids(sweep, (grid) => {
    const key = axisKeys(grid).find((k) => axisName(k) === path);
    return key === undefined ? { ...grid, [path]: values } : { ...grid, [key]: values };
  });
}

function leafPaths(value: JsonObject, prefix = ""): string[] {
  return Object.entries(merge({}, value)).flatMap(([key, item]) =>
    isObject(item) && Object.keys(item).length > 0
      ? leafPaths(item, `${prefix}${key}.`)
      : [`${prefix}${key}`]
  );
}
