/**
 * `xp init [DIR]`: writes a small runnable example experiment.
 *
 * @module
 */

import { join, relative, resolve } from "node:path";
import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { initFiles } from "./_init_files.ts";

/** Parsed arguments of `xp init`. */
export interface InitArgs {
  /** Where to write; created when missing. */
  dir: string;
  /** `yaml` (xp.yaml + scripts) or `ts` (one xp.ts). */
  form: "yaml" | "ts";
  /** Overwrite existing files. */
  force: boolean;
}

/** `xp init`: writes a small runnable example experiment. */
export const initCommand: Command<InitArgs> = {
  name: "init",
  usage: "init [DIR]",
  description: [
    "Writes a small example experiment into DIR (default: the current directory):",
    "xp.yaml with train.ts and eval.ts, or with --ts a single xp.ts. Existing files are",
    "left alone unless --force.",
  ].join("\n"),
  options: [
    { name: "ts", kind: "boolean", summary: "write the xp.ts form instead of xp.yaml" },
    { name: "force", kind: "boolean", summary: "overwrite existing files" },
  ],
  examples: [
    "xp init demo && cd demo && xp run --dry-run",
    "xp init --ts demo-ts",
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp init" });
    if (positionals.length > 1) {
      throw new UsageError(`Unexpected argument "${positionals[1]}"`, {
        hint: "xp init takes one directory",
      });
    }
    return {
      dir: positionals[0] ?? ".",
      form: options.has("ts") ? "ts" : "yaml",
      force: options.has("force"),
    };
  },
  async run(args, deps) {
    const dir = resolve(deps.cwd, args.dir);
    const files = initFiles(args.form);
    const names = Object.keys(files);
    if (!args.force) {
      const existing = [];
      for (const name of names) if (await exists(join(dir, name))) existing.push(name);
      if (existing.length > 0) {
        throw new UsageError(`Cannot write ${existing.join(", ")} in ${args.dir}: already there`, {
          hint: "pick another directory, or add --force to overwrite",
        });
      }
    }
    await Deno.mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, name), text);
    }
    if (!deps.global.quiet) {
      const where = relative(deps.cwd, dir) || ".";
      deps.output.out(`wrote ${names.join(", ")} in ${where}/`);
      const cd = where === "." ? "" : `cd ${where} && `;
      deps.output.out(`next: ${cd}xp run --dry-run`);
    }
    return EXIT.ok;
  },
};

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
