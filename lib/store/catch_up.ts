/**
 * Noticing what the index is missing, cheaply enough to do on every open of a 10,000-trial store:
 * the index remembers the modification time of each trial's `status.json` (and each run's
 * `run.json`) as it was when ingested, so one directory listing and one `stat` per trial find the
 * trials finished while no xp was ingesting (xp was killed), re-run since, or deleted.
 *
 * @module
 */

import { join } from "node:path";
import type { Db } from "./db.ts";
import type { StoreLayout } from "./layout.ts";
import { TABLES } from "./schema.ts";

/** What the index holds: modification times by trial key and by run id. */
export interface IndexedState {
  /** `status.json` mtime (ms) of each indexed trial. */
  trials: Map<string, number>;
  /** `run.json` mtime (ms) of each indexed run. */
  runs: Map<string, number>;
}

/** What changed on disk since the index was written. */
export interface Changes {
  /** Trials whose `status.json` is new or changed (final or not: the reader decides). */
  trials: string[];
  /** Indexed trials whose directory is gone. */
  removedTrials: string[];
  /** Runs whose `run.json` is new or changed. */
  runs: string[];
  /** Indexed runs whose directory is gone. */
  removedRuns: string[];
}

/**
 * What a full scan saw without looking at each trial: the `trials/` directory's modification time
 * (trials added or removed) and the size of `status-writes` (statuses written through
 * `writeStatus`). When both are as recorded at the last scan, nothing needs a scan. A status
 * written by other means (not through `writeStatus`) into an existing directory is noticed by
 * `catchUp()` or `xp reindex`, not by opening.
 */
export interface ScanMarks {
  /** `trials/` mtime (ms), 0 when missing. */
  trials: number;
  /** `runs/` mtime (ms), 0 when missing. */
  runs: number;
  /** `status-writes` size in bytes, 0 when missing. */
  writes: number;
}

/** The marks as they are now. */
export function scanMarks(layout: StoreLayout): ScanMarks {
  const mtime = (path: string) => {
    try {
      return Deno.statSync(path).mtime?.getTime() ?? 0;
    } catch {
      return 0;
    }
  };
  let writes = 0;
  try {
    writes = Deno.statSync(layout.statusWrites).size;
  } catch {
    // No status written through writeStatus yet.
  }
  return { trials: mtime(layout.trials), runs: mtime(layout.runs), writes };
}

/** The marks the index recorded at its last full scan. */
export async function readScanMarks(db: Db): Promise<ScanMarks | undefined> {
  const result = await db.query(`SELECT value FROM ${TABLES}.info WHERE name = 'scan_marks'`);
  try {
    return JSON.parse(result.rows[0]?.[0] as string) as ScanMarks;
  } catch {
    return undefined;
  }
}

/** Records the marks of a full scan (taken before it started). */
export async function writeScanMarks(db: Db, marks: ScanMarks): Promise<void> {
  const value = JSON.stringify(marks).replaceAll("'", "''");
  await db.exec(`UPDATE ${TABLES}.info SET value = '${value}' WHERE name = 'scan_marks'`);
}

/** Whether two marks are the same. */
export function sameMarks(a: ScanMarks | undefined, b: ScanMarks): boolean {
  return a !== undefined && a.trials === b.trials && a.runs === b.runs && a.writes === b.writes;
}

/** Reads the modification times the index recorded. */
export async function readIndexedState(db: Db): Promise<IndexedState> {
  const trials = await db.query(`SELECT key, status_mtime FROM ${TABLES}.trial`);
  const runs = await db.query(`SELECT run_id, mtime FROM ${TABLES}.run`);
  return {
    trials: new Map(trials.rows.map(([key, mtime]) => [key as string, mtime as number])),
    runs: new Map(runs.rows.map(([id, mtime]) => [id as string, mtime as number])),
  };
}

/** Whether `changes` has anything to do. */
export function hasChanges(changes: Changes): boolean {
  return changes.trials.length + changes.removedTrials.length + changes.runs.length +
      changes.removedRuns.length > 0;
}

/**
 * Compares the files with `state`. Synchronous on purpose: 10,000 `statSync` calls measured
 * ~45 ms, the same as async `Deno.stat` calls measured ~275 ms.
 */
export function findChanges(layout: StoreLayout, state: IndexedState): Changes {
  const trials = changedEntries(layout.trials, "status.json", state.trials);
  const runs = changedEntries(layout.runs, "run.json", state.runs);
  return {
    trials: trials.changed,
    removedTrials: trials.removed,
    runs: runs.changed,
    removedRuns: runs.removed,
  };
}

function changedEntries(
  dir: string,
  file: string,
  known: ReadonlyMap<string, number>,
): { changed: string[]; removed: string[] } {
  const changed: string[] = [];
  const present = new Set<string>();
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    if (!entry.isDirectory) continue;
    present.add(entry.name);
    let mtime: number;
    try {
      mtime = Deno.statSync(join(dir, entry.name, file)).mtime?.getTime() ?? 0;
    } catch {
      // Not written yet (a trial being prepared): nothing to index.
      continue;
    }
    if (known.get(entry.name) !== mtime) changed.push(entry.name);
  }
  const removed = [...known.keys()].filter((key) => !present.has(key));
  return { changed: changed.sort(), removed };
}
