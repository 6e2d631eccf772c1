/**
 * Merging staged trials, runs and blobs (an extracted archive, or a copy of another store) into a
 * store by key. A trial the store already holds with status `ok` is kept; one it lacks is added;
 * one it holds in another state is replaced only by an `ok` one. Each directory is moved into
 * place with one rename, so a reader never sees half a trial, and merging the same things twice
 * changes nothing.
 *
 * @module
 */

import { join } from "node:path";
import { blobPath } from "./blobs.ts";
import { type StoreLayout, trialDir } from "./layout.ts";
import { walk } from "./archive_write.ts";
import { subdirectories } from "./subdirectories.ts";

/** What a merge did. */
export interface MergeReport {
  /** Trials that were not in the store. */
  added: string[];
  /** Trials that were in the store but not `ok`, replaced by an `ok` one. */
  replaced: string[];
  /** Trials left as they were. */
  kept: number;
  /** Runs that were not in the store. */
  runs: string[];
  /** Blobs that were not in the store. */
  blobs: number;
}

/** Moves what `staging` holds (`trials/`, `runs/`, `blobs/sha256/`) into the store `layout`. */
export async function mergeStaged(layout: StoreLayout, staging: string): Promise<MergeReport> {
  const report: MergeReport = { added: [], replaced: [], kept: 0, runs: [], blobs: 0 };
  await Deno.mkdir(layout.trials, { recursive: true });
  await Deno.mkdir(layout.runs, { recursive: true });
  for (const key of await subdirectories(join(staging, "trials"))) {
    const incoming = join(staging, "trials", key);
    const target = trialDir(layout, key);
    const existing = await trialState(target);
    if (existing === undefined) {
      await Deno.rename(incoming, target);
      report.added.push(key);
    } else if (existing !== "ok" && (await trialState(incoming)) === "ok") {
      // Moved aside first so that the new directory takes the name in one rename.
      const aside = join(staging, `replaced-${key}`);
      await Deno.rename(target, aside);
      await Deno.rename(incoming, target);
      report.replaced.push(key);
    } else {
      report.kept++;
    }
  }
  for (const id of await subdirectories(join(staging, "runs"))) {
    const target = join(layout.runs, id);
    if (await exists(target)) continue;
    await Deno.rename(join(staging, "runs", id), target);
    report.runs.push(id);
  }
  for await (const file of walk(join(staging, "blobs", "sha256"))) {
    const sha256 = file.slice(file.lastIndexOf("/") + 1);
    const target = blobPath(layout, sha256);
    if (await exists(target)) continue;
    await Deno.mkdir(join(layout.blobs, sha256.slice(0, 2)), { recursive: true });
    await Deno.rename(file, target);
    report.blobs++;
  }
  if (report.added.length + report.replaced.length + report.runs.length > 0) {
    // Opening the index looks at this file's size to notice new statuses and runs.
    await Deno.writeTextFile(layout.statusWrites, ".", { append: true });
  }
  return report;
}

/** What {@linkcode presentInStore} returns. */
export interface PresentEntries {
  /** Whether the store keeps what the archive entry `path` would bring (no need to extract it). */
  has(path: string): Promise<boolean>;
  /** How many distinct trials `has` said the store keeps. */
  trials(): number;
}

/**
 * Tells which archive entries the store already has, by the rules of {@linkcode mergeStaged}: a
 * trial kept because it is `ok` here, a run or blob already here. Looks each trial and run up
 * once.
 */
export function presentInStore(layout: StoreLayout): PresentEntries {
  const trials = new Map<string, Promise<boolean>>();
  const runs = new Map<string, Promise<boolean>>();
  let kept = 0;
  return {
    has(path) {
      const [place, name] = path.split("/");
      if (place === "blobs") {
        return exists(blobPath(layout, path.slice(path.lastIndexOf("/") + 1)));
      }
      if (place === "runs" && name !== undefined) {
        if (!runs.has(name)) runs.set(name, exists(join(layout.runs, name)));
        return runs.get(name)!;
      }
      if (place === "trials" && name !== undefined) {
        if (!trials.has(name)) {
          trials.set(
            name,
            trialState(trialDir(layout, name)).then((state) => {
              if (state === "ok") kept++;
              return state === "ok";
            }),
          );
        }
        return trials.get(name)!;
      }
      return Promise.resolve(false);
    },
    trials: () => kept,
  };
}

/**
 * Copies another store's `trials/`, `runs/` and blobs into `staging`, skipping symlinks and
 * anything else that is not a regular file.
 */
export async function stageStore(source: StoreLayout, staging: string): Promise<void> {
  const places: [string, string][] = [
    [source.trials, join(staging, "trials")],
    [source.runs, join(staging, "runs")],
    [source.blobs, join(staging, "blobs", "sha256")],
  ];
  for (const [from, to] of places) {
    for await (const file of walk(from)) {
      if (/(^|\/)lock$|\.tmp$/.test(file)) continue;
      const target = join(to, file.slice(from.length + 1));
      await Deno.mkdir(join(target, ".."), { recursive: true });
      await Deno.copyFile(file, target);
    }
  }
}

/** The state in a trial directory's `status.json`, `undefined` when the directory is missing. */
async function trialState(dir: string): Promise<string | undefined> {
  try {
    const status = JSON.parse(await Deno.readTextFile(join(dir, "status.json")));
    return typeof status?.state === "string" ? status.state : "unknown";
  } catch {
    return (await exists(dir)) ? "unknown" : undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
