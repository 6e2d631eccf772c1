/**
 * What every route of one app shares: the store, the cache of index answers, and the sets of
 * trial keys on disk and in the index (both remembered until their directory or file changes).
 * Built by `createApp`, so two apps share nothing.
 *
 * @module
 */

import { join } from "node:path";
import { readJson } from "../lib/query/resolve.ts";
import { runDir } from "../lib/store/layout.ts";
import type { QueryResult, Store } from "../lib/store/store.ts";
import { type IndexCache, indexCache } from "./index_cache.ts";
import { fileStamp, listDir } from "./live/dir_scan.ts";

/** The store as the viewer uses it: its files, and read-only SQL over its index. */
export type ViewerStore = Pick<Store, "layout" | "query">;

/** The shared state of one app's routes. */
export interface Viewer {
  /** The store. */
  readonly store: ViewerStore;
  /** Answers from the index, until it changes. */
  readonly cache: IndexCache;
  /** `store.query` through the cache. */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** The keys of every trial directory. */
  trialKeys(): Set<string>;
  /** The keys of the trials in the index. */
  indexedKeys(): Promise<Set<string>>;
  /** Changes whenever a trial directory is added or removed. */
  trialsStamp(): string;
  /** A run's `run.json`, parsed once per version of the file (`undefined` when none). */
  runJson(id: string): Promise<Record<string, unknown> | undefined>;
  /**
   * An answer that depends on the index (and on what `key` names), as UTF-8 JSON: computed and
   * serialised once per index state, so a busy page costs a lookup, not a query and a
   * `JSON.stringify` of thousands of rows.
   */
  json(key: string, compute: () => Promise<unknown>): Promise<Uint8Array<ArrayBuffer>>;
}

/** The shared state for the routes of an app over `store`. */
export function createViewer(store: ViewerStore): Viewer {
  const cache = indexCache(store.layout);
  let keys = { stamp: "", set: new Set<string>() };
  const runs = new Map<
    string,
    { stamp: string; record: Promise<Record<string, unknown> | undefined> }
  >();
  const query = (sql: string, params?: readonly unknown[]) =>
    cache.get(`sql:${sql}:${JSON.stringify(params ?? [])}`, () => store.query(sql, params));
  return {
    store,
    cache,
    query,
    trialKeys() {
      const stamp = fileStamp(store.layout.trials);
      if (stamp !== keys.stamp) keys = { stamp, set: new Set(listDir(store.layout.trials)) };
      return keys.set;
    },
    trialsStamp: () => fileStamp(store.layout.trials),
    runJson(id) {
      const path = join(runDir(store.layout, id), "run.json");
      const stamp = fileStamp(path);
      const hit = runs.get(id);
      if (hit !== undefined && hit.stamp === stamp) return hit.record;
      // A run that ended is rewritten once; a store keeps few enough runs to remember them all.
      const record = readJson(path);
      runs.set(id, { stamp, record });
      return record;
    },
    json(key, compute) {
      return cache.get(
        `json:${key}`,
        async () => new TextEncoder().encode(JSON.stringify(await compute())),
      );
    },
    indexedKeys() {
      return cache.get("indexed-keys", async () => {
        const result = await store.query("select key from trials");
        return new Set(result.rows.map((row) => String(row[0])));
      });
    },
  };
}
