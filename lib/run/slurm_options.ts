/**
 * `--slurm KEY=VALUE` options (and the experiment file's `slurm:` map) turned into
 * {@linkcode SlurmOptions}, with a usage error naming the bad key.
 *
 * @module
 */

import { SLURM_KEYS } from "../config/mod.ts";
import { UsageError } from "../errors.ts";
import type { SlurmOptions } from "./slurm_script.ts";

/**
 * Adds `KEY=VALUE` pairs to `base` (later ones win; `extra` adds a line each time).
 *
 * @example
 * ```ts
 * import { parseSlurmOptions } from "./slurm_options.ts";
 * const options = parseSlurmOptions(["partition=gpu", "cpus=4", "extra=--exclusive"]);
 * if (options.cpus !== 4 || options.extra?.[0] !== "--exclusive") throw new Error();
 * ```
 */
export function parseSlurmOptions(pairs: string[], base: SlurmOptions = {}): SlurmOptions {
  const options: SlurmOptions = { ...base, extra: [...(base.extra ?? [])] };
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    const value = at < 0 ? "" : pair.slice(at + 1).trim();
    if (!(SLURM_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(`Unknown Slurm option "${key}"`, {
        hint: `write --slurm KEY=VALUE with KEY one of ${SLURM_KEYS.join(", ")}`,
      });
    }
    if (value === "") {
      throw new UsageError(`Slurm option "${key}" needs a value`, {
        hint: `write --slurm ${key}=VALUE`,
      });
    }
    if (key === "extra") options.extra!.push(value);
    else if (key === "cpus") {
      const cpus = Number(value);
      if (!Number.isInteger(cpus) || cpus < 1) {
        throw new UsageError(`Slurm option "cpus" must be a whole number ≥ 1, not "${value}"`);
      }
      options.cpus = cpus;
    } else options[key as Exclude<(typeof SLURM_KEYS)[number], "extra" | "cpus">] = value;
  }
  if (options.extra!.length === 0) delete options.extra;
  return options;
}
