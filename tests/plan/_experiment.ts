/**
 * Helpers for the plan tests: experiments built from documents, and written as real files.
 *
 * @module
 */

import { join } from "node:path";
import type { Experiment, JsonObject } from "../../lib/config/model.ts";
import { loadExperiment } from "../../lib/config/mod.ts";
import { validateExperiment } from "../../lib/config/validate.ts";

/**
 * An experiment from a document, as `xp.yaml` in `dir` would give it. Its `locate` answers with
 * the path it was asked for as the file (`xp.yaml#stages.eval.depends_on`), so tests can check it.
 */
export function experimentOf(doc: JsonObject, dir = "/exp/demo"): Experiment {
  return validateExperiment(doc, {
    file: join(dir, "xp.yaml"),
    dir,
    locate: (path) => ({ file: `xp.yaml#${path.join(".")}` }),
    dialect: "yaml",
  });
}

/** Writes `files` (relative path → text) under `dir`, creating directories. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
}

/** Loads the experiment file `name` of `dir` as `xp run` would. */
export async function load(dir: string, name = "xp.yaml"): Promise<Experiment> {
  return await loadExperiment(join(dir, name), { cwd: dir, deno: Deno.execPath() });
}

/** The deno that tests spawn. */
export const DENO: string = Deno.execPath();
