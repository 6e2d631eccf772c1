/**
 * Ingests finished trials into the index while a run goes on: keys are collected and written in
 * one short batch at most every `intervalMs`, so `xp sql` during a run sees a trial within a
 * second, and the run never waits on the index (its files are the truth; a failed ingest is
 * caught up on the next open). The store is opened on the first batch: a run with nothing to do
 * never loads DuckDB.
 *
 * @module
 */

import type { IndexWriter } from "./worker_store.ts";

/** Options of {@linkcode ingestBatcher}. */
export interface IngestBatcherOptions {
  /** Longest wait before a finished trial is ingested. @default {700} */
  intervalMs?: number;
  /** Told about warnings (bad event lines) and ingest failures. */
  onWarning(message: string): void;
}

/** Collects finished trials and ingests them in batches. */
export interface IngestBatcher {
  /** Queues a trial whose status is final. */
  add(key: string): void;
  /**
   * Ingests what is queued, then these runs' records (when the store was opened; otherwise the
   * next open catches them up), and closes the store.
   */
  close(runIds?: readonly string[]): Promise<void>;
}

/** A batcher over the store `open` gives (called once, on the first batch). */
export function ingestBatcher(
  open: () => Promise<IndexWriter>,
  options: IngestBatcherOptions,
): IngestBatcher {
  const interval = options.intervalMs ?? 700;
  let store: IndexWriter | undefined;
  let queued: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    timer = undefined;
    const keys = queued;
    queued = [];
    if (keys.length === 0) return flushing;
    // One batch at a time: the index takes one writer.
    flushing = flushing.then(async () => {
      try {
        // A store that failed to open is tried again on the next batch.
        store ??= await open();
        const report = await store.ingest(keys);
        for (const warning of report.warnings) options.onWarning(warning);
      } catch (error) {
        options.onWarning(
          `could not index ${keys.length} trial(s) now (${(error as Error).message}); ` +
            "they are indexed on the next xp command",
        );
      }
    });
    return flushing;
  };
  return {
    add(key) {
      queued.push(key);
      timer ??= setTimeout(flush, interval);
    },
    async close(runIds = []) {
      clearTimeout(timer);
      await flush();
      if (!store) return;
      try {
        if (runIds.length > 0) await store.ingestRuns(runIds);
      } catch (error) {
        options.onWarning(`could not index the run record now (${(error as Error).message})`);
      } finally {
        await store.close();
      }
    },
  };
}
