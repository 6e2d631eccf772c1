/**
 * Ingests finished trials into the index while a run goes on: keys are collected and written in
 * one short batch at most every `intervalMs`, so `xp sql` during a run sees a trial within a
 * second, and the run never waits on the index (its files are the truth; a failed ingest is
 * caught up on the next open).
 *
 * @module
 */

import type { Store } from "../store/mod.ts";

/** Options of {@linkcode ingestBatcher}. */
export interface IngestBatcherOptions {
  /** Longest wait before a finished trial is ingested. @default {250} */
  intervalMs?: number;
  /** Told about warnings (bad event lines) and ingest failures. */
  onWarning(message: string): void;
}

/** Collects finished trials and ingests them in batches. */
export interface IngestBatcher {
  /** Queues a trial whose status is final. */
  add(key: string): void;
  /** Ingests what is queued and stops. */
  close(): Promise<void>;
}

/** A batcher over `store`. */
export function ingestBatcher(store: Store, options: IngestBatcherOptions): IngestBatcher {
  const interval = options.intervalMs ?? 250;
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
    async close() {
      clearTimeout(timer);
      await flush();
    },
  };
}
