/**
 * Finding what a store keeps but no longer needs: blobs no trial references (artifacts of
 * trials since deleted or re-run, leftovers of an interrupted copy) and the earlier attempts of
 * finished trials (`trials/<key>/attempts/N/`, kept for post-mortems of retries).
 *
 * @module
 */

import { join } from "node:path";
import { walk } from "./archive_write.ts";
import { type StoreLayout, TRIAL_FILES } from "./layout.ts";
import { subdirectories } from "./subdirectories.ts";

/** One thing that can be deleted, with its size. */
export interface GarbageItem {
  /** Absolute path (a file for a blob, a directory for an attempt). */
  path: string;
  /** Bytes it takes. */
  bytes: number;
}

/** What {@linkcode findGarbage} found. */
export interface Garbage {
  /** Blobs no trial references, and half-written blob temp files. */
  blobs: GarbageItem[];
  /** Earlier attempts of trials that are not running. */
  attempts: GarbageItem[];
  /** Trials whose status is `running` (deleting while a run writes is unsafe). */
  running: string[];
}

/** Finds the unreferenced blobs (not in `referenced`) and the stale attempts of the store. */
export async function findGarbage(
  layout: StoreLayout,
  referenced: ReadonlySet<string>,
): Promise<Garbage> {
  const garbage: Garbage = { blobs: [], attempts: [], running: [] };
  // The index knows artifacts; meta.json files also point at blobs (the git diff).
  const kept = new Set(referenced);
  for (const key of await subdirectories(layout.trials)) {
    for (const sha256 of await metaBlobs(join(layout.trials, key))) kept.add(sha256);
  }
  for await (const path of walk(layout.blobs)) {
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (!kept.has(name)) {
      garbage.blobs.push({ path, bytes: (await Deno.stat(path)).size });
    }
  }
  for (const key of await subdirectories(layout.trials)) {
    const dir = join(layout.trials, key);
    if ((await state(dir)) === "running") {
      garbage.running.push(key);
      continue;
    }
    const attempts = join(dir, TRIAL_FILES.attempts);
    for (const n of await subdirectories(attempts)) {
      let bytes = 0;
      for await (const file of walk(join(attempts, n))) bytes += (await Deno.stat(file)).size;
      garbage.attempts.push({ path: join(attempts, n), bytes });
    }
  }
  return garbage;
}

/** Deletes what {@linkcode findGarbage} found. */
export async function deleteGarbage(garbage: Garbage): Promise<void> {
  for (const item of [...garbage.blobs, ...garbage.attempts]) {
    await Deno.remove(item.path, { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  // A blob's prefix directory (`blobs/sha256/ab/`) left empty goes too; a non-empty one stays.
  for (const item of garbage.blobs) {
    await Deno.remove(join(item.path, "..")).catch(() => {});
  }
}

/** The blobs a trial's `meta.json` points at: the git diff, when it has one. */
export async function metaBlobs(dir: string): Promise<string[]> {
  try {
    const diff = JSON.parse(await Deno.readTextFile(join(dir, TRIAL_FILES.meta)))?.git?.diff;
    return typeof diff === "string" && /^[0-9a-f]{64}$/.test(diff) ? [diff] : [];
  } catch {
    return [];
  }
}

async function state(dir: string): Promise<string | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, TRIAL_FILES.status)))?.state;
  } catch {
    return undefined;
  }
}
