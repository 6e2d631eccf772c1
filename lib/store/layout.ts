/**
 * Every path under a store (`.xp/`), in one place (ARCHITECTURE section 5).
 *
 * @module
 */

import { join } from "node:path";

/** The store format; `.xp/VERSION` holds it. */
export const STORE_VERSION = 1;

/** The file names inside a trial's directory. */
export const TRIAL_FILES = {
  config: "config.json",
  meta: "meta.json",
  status: "status.json",
  events: "events.ndjson",
  stdout: "stdout.log",
  stderr: "stderr.log",
  out: "out",
  deps: "deps.json",
  parent: "parent.json",
  checkpoint: "checkpoint.json",
  lock: "lock",
  attempts: "attempts",
} as const;

/** The paths of one store. */
export interface StoreLayout {
  /** The store's directory (`.xp/`). */
  root: string;
  /** `.xp/VERSION`. */
  version: string;
  /** `.xp/index.duckdb`, derived from the files. */
  index: string;
  /** `.xp/runs/`. */
  runs: string;
  /** `.xp/trials/`. */
  trials: string;
  /** `.xp/blobs/sha256/`. */
  blobs: string;
  /**
   * `.xp/status-writes`: one byte is appended per `status.json` written, so that opening the
   * index can tell with one `stat` whether any trial changed since it last looked.
   */
  statusWrites: string;
}

/** The layout of the store at `root`. */
export function storeLayout(root: string): StoreLayout {
  return {
    root,
    version: join(root, "VERSION"),
    index: join(root, "index.duckdb"),
    runs: join(root, "runs"),
    trials: join(root, "trials"),
    blobs: join(root, "blobs", "sha256"),
    statusWrites: join(root, "status-writes"),
  };
}

/** The directory of the trial with `key`. */
export function trialDir(layout: StoreLayout, key: string): string {
  return join(layout.trials, key);
}

/** A file of a trial's directory. */
export function trialFile(dir: string, file: keyof typeof TRIAL_FILES): string {
  return join(dir, TRIAL_FILES[file]);
}

/** The directory of the run with `id`. */
export function runDir(layout: StoreLayout, id: string): string {
  return join(layout.runs, id);
}
