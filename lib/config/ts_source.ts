/**
 * Loads an `xp.ts` by running the sandboxed planner in a `deno run` subprocess that may read only
 * the experiment directory (and the SDK), never inside xp's own process.
 *
 * @module
 */

import { dirname } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { ConfigError } from "../errors.ts";
import { FN_MARKER } from "./fn_marker.ts";
import { isObject } from "./merge.ts";
import type { Json, JsonObject } from "./model.ts";
import type { SourceDoc } from "./yaml_source.ts";

/** Options of {@linkcode loadTsSource}. */
export interface TsSourceOptions {
  /** The `deno` executable that runs the planner. */
  deno: string;
  /** Give up after this many milliseconds. @default {30000} */
  timeoutMs?: number;
  /** The file as messages should name it (relative to the caller's directory). */
  display?: string;
}

const PLANNER = new URL("./ts_planner.ts", import.meta.url);
const SDK_MAP = new URL("../sdk/import_map.json", import.meta.url);

/**
 * Evaluates the experiment file `file` (absolute) in a sandboxed planner and returns its JSON.
 *
 * @throws {ConfigError} when the file fails to load, has no default export, or holds values
 * JSON cannot hold
 */
export async function loadTsSource(file: string, options: TsSourceOptions): Promise<SourceDoc> {
  const sdkDir = dirname(fromFileUrl(SDK_MAP));
  const at = { file: options.display ?? file };
  if (dirname(file).includes(",")) {
    // Deno splits permission lists on commas, with no escape.
    throw new ConfigError("Cannot sandbox an experiment directory whose path has a comma", {
      at,
      hint: "rename the directory without the comma",
    });
  }
  const command = new Deno.Command(options.deno, {
    args: [
      "run",
      "--no-prompt",
      "--no-config",
      "--quiet",
      `--import-map=${fromFileUrl(SDK_MAP)}`,
      `--allow-read=${dirname(file)},${sdkDir}`,
      fromFileUrl(PLANNER),
      file,
    ],
    cwd: dirname(file),
    clearEnv: true,
    env: pick(["PATH", "HOME", "DENO_DIR", "LANG", "TZ"]),
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  let result: Deno.CommandOutput;
  try {
    result = await command.output();
  } catch (error) {
    throw new ConfigError(`Cannot evaluate the experiment file: ${(error as Error).message}`, {
      at,
      cause: error,
      hint: "the experiment file must finish loading within 30 s",
    });
  }
  if (!result.success) {
    throw new ConfigError(`Cannot evaluate the experiment file:\n${plannerError(result.stderr)}`, {
      at,
      hint: "fix the error above; the file is run with read access to its directory only",
    });
  }
  let value: Json;
  try {
    value = JSON.parse(new TextDecoder().decode(result.stdout));
  } catch (error) {
    throw new ConfigError("Cannot read the plan of the experiment file: its output is not JSON", {
      at,
      cause: error,
      hint: "do not write to Deno.stdout at the top level of xp.ts; console.log is fine",
    });
  }
  if (!isObject(value)) {
    throw new ConfigError("Cannot load experiment: the default export must be an object", {
      at,
      hint: "write export default experiment({ name, params, run })",
    });
  }
  checkFunctions(value, [], at.file);
  return { file: at.file, value, position: () => undefined };
}

function pick(names: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of names) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Functions are allowed only as `run` of the experiment or of a stage. */
function checkFunctions(value: Json, path: string[], file: string): void {
  if (!isObject(value) && !Array.isArray(value)) return;
  if (isObject(value) && value[FN_MARKER] === true) {
    const last = path[path.length - 1];
    const allowed = last === "run" &&
      (path.length === 1 || (path.length === 3 && path[0] === "stages"));
    if (!allowed) {
      throw new ConfigError(`Cannot load "${path.join(".")}": a function is not JSON`, {
        at: { file },
        hint: "functions are allowed only as run of the experiment or of a stage",
      });
    }
    return;
  }
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as JsonObject);
  for (const [key, item] of entries) checkFunctions(item, [...path, key], file);
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function plannerError(stderr: Uint8Array): string {
  const text = new TextDecoder().decode(stderr).replace(ANSI, "").trim();
  // The planner's own frames say nothing useful to the user; keep the error and their frames.
  return text.split("\n").filter((line) => !line.includes("ts_planner.ts")).join("\n")
    .replace(/^error: Uncaught \(in promise\) /, "");
}
