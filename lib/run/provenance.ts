/**
 * Where a run's code came from: the experiment directory's git commit, branch and dirty flag
 * (read once per run), and the versions of xp and deno.
 *
 * @module
 */

import { VERSION } from "../version.ts";
import type { TrialMeta } from "../store/mod.ts";

/** The git state of `dir`; nulls when it is not in a repository or git is missing. */
export async function gitState(dir: string): Promise<TrialMeta["git"]> {
  const run = async (...args: string[]) => {
    try {
      const { success, stdout } = await new Deno.Command("git", {
        args: ["-C", dir, ...args],
        stdout: "piped",
        stderr: "null",
      }).output();
      return success ? new TextDecoder().decode(stdout).trim() : undefined;
    } catch {
      return undefined;
    }
  };
  const [commit, branch, status] = await Promise.all([
    run("rev-parse", "HEAD"),
    run("rev-parse", "--abbrev-ref", "HEAD"),
    run("status", "--porcelain", "--untracked-files=no"),
  ]);
  return {
    commit: commit ?? null,
    branch: branch ?? null,
    dirty: status === undefined ? null : status.length > 0,
  };
}

/** The versions recorded in every trial's meta.json. */
export function versions(): Record<string, string> {
  return { xp: VERSION, deno: Deno.version.deno, v8: Deno.version.v8 };
}
