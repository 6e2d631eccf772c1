/**
 * Command trials: `${lr}`, `${model.depth}`, `${out}`, `${trial.key}`, `${trial.name}`,
 * `${experiment.dir}` and `${deps.STAGE.out}` substituted with shell quoting.
 *
 * @module
 */

import { ConfigError, type SourcePosition } from "../errors.ts";
import type { Json, JsonObject } from "../config/mod.ts";

/** The values a command's placeholders take. */
export interface CommandValues {
  /** The trial's params (effective: its own plus inherited). */
  params: JsonObject;
  /** Its output directory. */
  out: string;
  /** Its key and name. */
  trial: { key: string; name: string };
  /** The experiment directory. */
  experimentDir: string;
  /** Each dependency stage's output directory (gathered stages: all of them, space-separated). */
  deps: Record<string, string[]>;
}

/** Options of {@linkcode substituteCommand}. */
export interface SubstituteOptions {
  /** Where the command was written, for the error. */
  at: SourcePosition;
  /** The stage, for the error. */
  stage: string;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/**
 * Substitutes every `${name}` in `template`; strings are single-quoted for the shell.
 *
 * @throws {ConfigError} on a name that is neither reserved nor a param
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { substituteCommand } from "./command.ts";
 * const values = {
 *   params: { lr: 0.1, name: "it's" }, out: "/o", trial: { key: "k", name: "n" },
 *   experimentDir: "/e", deps: {},
 * };
 * const command = substituteCommand("run --lr ${lr} --name ${name} -o ${out}", values, {
 *   at: { file: "xp.yaml" }, stage: "main",
 * });
 * assert.equal(command, "run --lr 0.1 --name 'it'\\''s' -o '/o'");
 * ```
 */
export function substituteCommand(
  template: string,
  values: CommandValues,
  options: SubstituteOptions,
): string {
  return template.replace(PLACEHOLDER, (whole, raw: string) => {
    const name = raw.trim();
    const value = lookup(name, values);
    if (value === undefined) {
      throw new ConfigError(
        `Cannot substitute "${whole}" in the command of stage "${options.stage}": no such param`,
        {
          at: options.at,
          hint: "use a param's dotted path, or out, trial.key, trial.name, experiment.dir, " +
            "deps.STAGE.out; for a shell variable write $NAME without braces",
        },
      );
    }
    return value;
  });
}

function lookup(name: string, values: CommandValues): string | undefined {
  if (name === "out") return shellQuote(values.out);
  if (name === "trial.key") return shellQuote(values.trial.key);
  if (name === "trial.name") return shellQuote(values.trial.name);
  if (name === "experiment.dir") return shellQuote(values.experimentDir);
  const dep = /^deps\.([^.]+)\.out$/.exec(name);
  if (dep) {
    const outs = values.deps[dep[1]!];
    return outs === undefined ? undefined : outs.map(shellQuote).join(" ");
  }
  let node: Json | undefined = values.params;
  for (const segment of name.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
    node = node[segment];
  }
  if (node === undefined) return undefined;
  if (typeof node === "number" || typeof node === "boolean") return String(node);
  return shellQuote(typeof node === "string" ? node : JSON.stringify(node));
}

/** Quotes `text` as one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
