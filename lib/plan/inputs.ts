/**
 * The files a stage declares or names: its `inputs:` (files, directories, globs) and, for a
 * command, the words of the command that are files in the experiment directory.
 *
 * @module
 */

import { basename, isAbsolute, resolve } from "node:path";
import type { Experiment, Stage } from "../config/mod.ts";
import { ConfigError } from "../errors.ts";
import { globFiles, hashFiles, isGlob, kindOf, walkFiles } from "./files.ts";

/** One `inputs:` entry as written, and the files it names with their hashes. */
export interface InputDigest {
  /** The entry as written. */
  input: string;
  /** Its files as `[path relative to the experiment directory, sha256]`, sorted by path. */
  files: [string, string][];
}

/**
 * Hashes a stage's `inputs:`, in written order: a file, a directory (recursively, without `.xp/`
 * and `.git/`) or a glob with `*`, `?` and `**`, relative to the experiment directory.
 *
 * @throws {ConfigError} at `inputs[i]` when an entry names nothing or a glob matches no file
 */
export async function inputDigests(experiment: Experiment, stage: Stage): Promise<InputDigest[]> {
  const { dir } = experiment;
  const result: InputDigest[] = [];
  for (const [i, input] of stage.inputs.entries()) {
    const files = await inputFiles(dir, input);
    if (files === undefined) {
      const glob = isGlob(input);
      throw new ConfigError(
        glob
          ? `Cannot find input "${input}" of stage "${stage.name}": the glob matches no file`
          : `Cannot find input "${input}" of stage "${stage.name}": no such file or directory`,
        {
          at: experiment.locate([...stage.path, "inputs", i]),
          hint: `inputs are relative to the experiment's directory (${basename(dir)}/)` +
            (glob ? "; * and ? match within a directory, ** across directories" : ""),
        },
      );
    }
    result.push({ input, files: await hashFiles(dir, files) });
  }
  return result;
}

/**
 * Hashes the words of a command that name a file, relative to the experiment directory, so
 * `python3 train.py --data=data/x.csv` tracks `train.py` and `data/x.csv`.
 *
 * A word counts after its quotes are removed, and a `--flag=value` word by its value. Words with
 * `${…}` placeholders, globs and absolute paths are left out: the latter name system programs,
 * whose upgrades should not invalidate every trial. Redirection targets (`> log.txt`) are outputs
 * and are left out too.
 */
export async function commandFileDigests(
  dir: string,
  command: string,
): Promise<[string, string][]> {
  const candidates = new Set<string>();
  const words = command.split(/\s+/);
  for (const [i, raw] of words.entries()) {
    // A file the command writes (`> log.txt`, `2>>err.txt`) is an output, not an input.
    if (/^\d*>>?/.test(raw) || /^\d*>>?$/.test(words[i - 1] ?? "")) continue;
    const word = raw.replace(/^['"]+|['";]+$/g, "");
    for (const part of [word, word.slice(word.indexOf("=") + 1)]) {
      if (part === "" || part.includes("$") || isGlob(part) || isAbsolute(part)) continue;
      candidates.add(part);
    }
  }
  const files: string[] = [];
  for (const candidate of candidates) {
    const path = resolve(dir, candidate);
    if (await kindOf(path) === "file") files.push(path);
  }
  return await hashFiles(dir, files);
}

/** The files an input names, or `undefined` when it names nothing. */
async function inputFiles(dir: string, input: string): Promise<string[] | undefined> {
  if (isGlob(input)) {
    const files = await globFiles(dir, input);
    return files.length === 0 ? undefined : files;
  }
  const path = resolve(dir, input);
  const kind = await kindOf(path);
  if (kind === "file") return [path];
  if (kind === "dir") return await walkFiles(path);
  return undefined;
}
