/**
 * A stage's code digest: what, besides the config and the dependencies, decides what a trial
 * computes. Editing a stage's code, a file it imports or names, or an input changes it, and with
 * it the key of every trial of the stage and of their dependents.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import { canonicalJson, type Experiment, type JsonObject, type Stage } from "../config/mod.ts";
import { ConfigError } from "../errors.ts";
import { hashFiles } from "./files.ts";
import { commandFileDigests, inputDigests } from "./inputs.ts";
import { defaultImportMap, moduleGraph } from "./modules.ts";

/** Options of {@linkcode stageDigest}. */
export interface DigestOptions {
  /** The `deno` executable that reads a script's import graph. */
  deno: string;
  /** The import map resolving `"xp"` (default: `lib/sdk/import_map.json` of this checkout). */
  importMap?: string | undefined;
}

/**
 * The sha256 (hex) of a stage's code, inputs and the settings that change what runs.
 *
 * - `script` and `inline` stages (an inline stage's code is the `xp.ts` itself): the module and
 *   every local module it imports, each as its path relative to the experiment directory and its
 *   bytes, without the SDK's own files; remote and npm modules by their resolved specifier.
 * - `command` stages: the command as written, and the files its words name (see
 *   `commandFileDigests`).
 * - Every stage: its `inputs:` (files, directories, globs), `permissions`, `env`, `sandbox` and
 *   `memory`; not `timeout` or `retry`, which change how long or how often, not what.
 *
 * @throws {ConfigError} when a script cannot be loaded (a syntax error, a missing import: deno's
 * message is quoted) or an input names nothing
 */
export async function stageDigest(
  experiment: Experiment,
  stage: Stage,
  options: DigestOptions,
): Promise<string> {
  const doc: JsonObject = {
    code: await codeDoc(experiment, stage, options),
    inputs: (await inputDigests(experiment, stage)).map(({ input, files }) => ({ input, files })),
    settings: {
      permissions: stage.permissions as JsonObject,
      env: stage.env,
      sandbox: stage.sandbox ?? null,
      memory: stage.memoryBytes ?? null,
    },
  };
  return createHash("sha256").update(canonicalJson(doc)).digest("hex");
}

async function codeDoc(
  experiment: Experiment,
  stage: Stage,
  options: DigestOptions,
): Promise<JsonObject> {
  if (stage.command !== undefined) {
    return {
      command: stage.command,
      files: await commandFileDigests(experiment.dir, stage.command),
    };
  }
  const file = stage.script === undefined ? experiment.file : resolve(experiment.dir, stage.script);
  const importMap = options.importMap ?? defaultImportMap();
  const graph = await moduleGraph(file, { deno: options.deno, importMap, cwd: experiment.dir });
  if (graph.errors.length > 0) {
    const what = stage.script === undefined
      ? `experiment file "${basename(file)}"`
      : `script "${stage.script}" of stage "${stage.name}"`;
    throw new ConfigError(`Cannot load ${what}: ${graph.errors[0]}`, {
      at: experiment.locate(stage.script === undefined ? [] : [...stage.path, "script"]),
      hint: 'fix the module or its imports; "xp" is the SDK, other bare names need an npm: or ' +
        "https: specifier (a deno.json beside it is not read)",
    });
  }
  return {
    [stage.script === undefined ? "inline" : "script"]: stage.script ?? basename(file),
    modules: await hashFiles(experiment.dir, graph.files),
    remote: graph.remote,
  };
}
