/**
 * Ingests finished trials into the index while a run goes on: keys are collected and written in
 * one short batch at a time, so `xp sql` during a run sees a trial within a few seconds, and
 * the run never waits on the index (its files are the truth; a failed ingest is caught up on the
 * next open).
 *
 * The index costs the run's trials CPU, so batches are spaced by what they cost: the next one
 * waits at least {@linkcode IngestBatcherOptions.spacing} times the last one's duration, keeping
 * the index under a seventh of a core (opening DuckDB and creating an index take ~0.3 s of CPU, a
 * batch of a few dozen trials ~40 ms). The store is opened on the first batch (a run with nothing
 * to do never loads DuckDB), and opening catches up every finished trial, so the trials queued
 * until then need no batch of their own.
 *
 * @module
 */

import type { IndexWriter } from "./worker_store.ts";

/** Options of {@linkcode ingestBatcher}. */
export interface IngestBatcherOptions {
  /** Shortest wait before a finished trial is ingested. @default {1000} */
  intervalMs?: number;
  /** The wait after a batch is at least this many times its duration. @default {6} */
  spacing?: number;
  /** Told about warnings (bad event lines) and ingest failures. */
  onWarning(message: string): void;
}

/** Collects finished trials and ingests them in batches. */
export interface IngestBatcher {
  /** Queues a trial whose status is final. */
  add(key: string): void;
  /**
   * Ingests what is queued with these runs' records (when the store was opened; otherwise the
   * next open catches them up), and closes the store.
   */
  close(runIds?: readonly string[]): Promise<void>;
}

/** A batcher over the store `open` gives (called once, on the first batch). */
export function ingestBatcher(
  open: () => Promise<IndexWriter>,
  options: IngestBatcherOptions,
): IngestBatcher {
  const interval = options.intervalMs ?? 1000;
  const spacing = options.spacing ?? 6;
  let store: IndexWriter | undefined;
  let queued: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let lastMs = 0;
  /** A batch is being written: the next one is timed from its end, when its cost is known. */
  let busy = false;
  const schedule = () => {
    if (timer !== undefined || busy || queued.length === 0) return;
    timer = setTimeout(flush, Math.max(interval, spacing * lastMs));
  };
  const flush = (runIds: readonly string[] = []) => {
    clearTimeout(timer);
    timer = undefined;
    const keys = queued;
    queued = [];
    if (keys.length === 0 && runIds.length === 0) return flushing;
    busy = true;
    // One batch at a time: the index takes one writer.
    flushing = flushing.then(async () => {
      const began = performance.now();
      try {
        let caughtUp = false;
        if (!store) {
          // A store that failed to open is tried again on the next batch.
          store = await open();
          for (const warning of store.warnings) options.onWarning(warning);
          caughtUp = true;
        }
        if (caughtUp && runIds.length === 0) return;
        const report = await store.ingest(caughtUp ? [] : keys, runIds);
        for (const warning of report.warnings) options.onWarning(warning);
      } catch (error) {
        const what = keys.length > 0 ? `${keys.length} trial(s)` : "the run record";
        options.onWarning(
          `could not index ${what} now (${(error as Error).message}); ` +
            "the next xp command catches up",
        );
      } finally {
        lastMs = performance.now() - began;
        busy = false;
        schedule();
      }
    });
    return flushing;
  };
  return {
    add(key) {
      queued.push(key);
      schedule();
    },
    async close(runIds = []) {
      // Runs go with the last batch; with no batch, an unopened store stays closed.
      await flush(store || queued.length > 0 ? runIds : []);
      await store?.close();
    },
  };
}
