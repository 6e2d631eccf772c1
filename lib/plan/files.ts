/**
 * Files that feed a stage's code digest: hashing, directory walks and `*`/`**` globs.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join, relative, resolve, sep } from "node:path";

/** Directories a walk never enters: the store (it changes on every run) and git's own data. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([".xp", ".git"]);

/** The sha256 (hex) of a file's bytes, read in chunks so a large data file is never held whole. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  // The readable stream closes the file when it ends or fails.
  const file = await Deno.open(path);
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

/** `path` relative to `dir` with `/` separators, as it is written into a digest. */
export function relativePath(dir: string, path: string): string {
  const rel = relative(dir, path);
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/** What a path names: a file, a directory, or nothing (symlinks are followed). */
export async function kindOf(path: string): Promise<"file" | "dir" | undefined> {
  try {
    const info = await Deno.stat(path);
    return info.isFile ? "file" : info.isDirectory ? "dir" : undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Every file under `dir`, recursively, as absolute paths in no particular order. Symlinks to
 * files are followed; symlinked directories are not entered, so a link cycle cannot loop.
 */
export async function walkFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for await (const entry of Deno.readDir(next)) {
      const path = join(next, entry.name);
      if (entry.isDirectory) {
        if (!SKIPPED_DIRS.has(entry.name)) pending.push(path);
      } else if (entry.isFile || (entry.isSymlink && await kindOf(path) === "file")) {
        files.push(path);
      }
    }
  }
  return files;
}

/** Whether an input is a glob: it has `*` or `?`. */
export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/**
 * The files a glob matches under `dir`: `*` and `?` stay within one path segment, `**` spans
 * any number of them; a matched directory brings in every file below it.
 */
export async function globFiles(dir: string, pattern: string): Promise<string[]> {
  const segments = pattern.split("/");
  const fixed = segments.findIndex(isGlob);
  const root = resolve(dir, segments.slice(0, fixed).join("/") || ".");
  if (await kindOf(root) !== "dir") return [];
  const regex = globRegex(segments.slice(fixed).join("/"));
  const matched: string[] = [];
  for (const file of await walkFiles(root)) {
    const rel = relativePath(root, file);
    // A file matches itself or through a directory above it (`data/*` takes `data/a/b.csv`).
    const parts = rel.split("/");
    for (let n = 1; n <= parts.length; n++) {
      if (regex.test(parts.slice(0, n).join("/"))) {
        matched.push(file);
        break;
      }
    }
  }
  return matched;
}

/** A glob (relative, `/`-separated) as an anchored regular expression. */
export function globRegex(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      // `**/` may match no directory at all; a bare `**` matches anything.
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") {
      source += "[^/]*";
    } else if (c === "?") {
      source += "[^/]";
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

/** How many files are hashed at once: enough to overlap I/O, few enough for any fd limit. */
const PARALLEL_HASHES = 16;

/** Each file as `[path relative to dir, sha256]`, sorted by path, duplicates removed. */
export async function hashFiles(
  dir: string,
  paths: readonly string[],
): Promise<[string, string][]> {
  const unique = [...new Set(paths)];
  const hashes = new Array<string>(unique.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < unique.length; i = next++) hashes[i] = await hashFile(unique[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_HASHES, unique.length) }, worker));
  const entries = unique.map((path, i): [string, string] => [relativePath(dir, path), hashes[i]!]);
  return entries.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}
