/**
 * Where a run's code came from and where it ran: the experiment directory's git commit, branch,
 * dirty flag and diff (read once per run), the versions of xp and deno, OS, CPUs and user.
 *
 * @module
 */

import { VERSION } from "../version.ts";
import { storeBytesBlob } from "../store/blobs.ts";
import type { StoreLayout } from "../store/layout.ts";
import { MEDIA_TYPES } from "../store/media.ts";
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

/** What every trial of a run records about where it ran (ARCHITECTURE section 5, meta.json). */
export interface RunProvenance {
  /** Git state, with the diff of tracked files as a blob when the tree is dirty. */
  git: TrialMeta["git"];
  /** Versions of xp, deno and v8. */
  versions: Record<string, string>;
  /** Operating system and architecture, e.g. `linux/x86_64`. */
  os: string;
  /** CPUs of this machine. */
  cpus: number;
  /** `USER` (or `USERNAME` on Windows), `null` when neither is set. */
  user: string | null;
}

/**
 * The provenance of a run, read once: `git`, the {@linkcode gitState} of `dir`, and when the tree
 * is dirty its diff of tracked files, stored as a blob of `layout` (a diff can be large: stored
 * once, referenced by every trial's meta.json by hash).
 */
export async function runProvenance(
  dir: string,
  git: TrialMeta["git"],
  layout: StoreLayout,
  env: (name: string) => string | undefined,
): Promise<RunProvenance> {
  let diff: string | null = null;
  if (git.dirty) {
    const text = await gitDiff(dir);
    if (text !== undefined && text.length > 0) {
      diff = (await storeBytesBlob(layout, text, MEDIA_TYPES.text)).sha256;
    }
  }
  return {
    git: { ...git, diff },
    versions: versions(),
    os: `${Deno.build.os}/${Deno.build.arch}`,
    cpus: navigator.hardwareConcurrency,
    user: env("USER") ?? env("USERNAME") ?? null,
  };
}

/** `git diff HEAD` of tracked files in `dir`, as bytes; `undefined` when git fails. */
async function gitDiff(dir: string): Promise<Uint8Array | undefined> {
  try {
    const { success, stdout } = await new Deno.Command("git", {
      args: ["-C", dir, "diff", "HEAD", "--no-color", "--no-ext-diff", "--binary"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return success ? stdout : undefined;
  } catch {
    return undefined;
  }
}

/** The versions recorded in every trial's meta.json. */
export function versions(): Record<string, string> {
  return { xp: VERSION, deno: Deno.version.deno, v8: Deno.version.v8 };
}
