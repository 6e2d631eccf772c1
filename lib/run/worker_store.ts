/**
 * The index as `xp run` writes it: a {@linkcode IndexWriter} whose work happens in
 * `ingest_worker.ts`, off the scheduler's thread.
 *
 * @module
 */

import type { IngestReply, IngestRequest } from "./ingest_worker.ts";

/**
 * What the runner needs of the index: open it (which catches up every finished trial not in it
 * yet), ingest finished trials and run records, then close.
 */
export interface IndexWriter {
  /** What opening the index did (rebuilt it, caught up trials). */
  readonly notices: string[];
  /** The lines skipped by the ingest done while opening. */
  readonly warnings: string[];
  /** Indexes these trials and these runs' records; returns the lines it skipped. */
  ingest(keys: readonly string[], runs?: readonly string[]): Promise<{ warnings: string[] }>;
  /** Closes the index and stops the worker. */
  close(): Promise<void>;
}

/** Opens the index of the store at `root` in a worker thread, for the run `ownRun` if given. */
export async function openIndexWriter(root: string, ownRun?: string): Promise<IndexWriter> {
  const worker = new Worker(new URL("./ingest_worker.ts", import.meta.url), { type: "module" });
  // Requests are answered in order: each waits for the one before.
  let last: Promise<unknown> = Promise.resolve();
  const send = (request: IngestRequest): Promise<IngestReply & { ok: true }> => {
    const next = last.then(() =>
      new Promise<IngestReply & { ok: true }>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<IngestReply>) => {
          const reply = event.data;
          if (reply.ok) resolve(reply);
          else reject(new Error(reply.error));
        };
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message));
        };
        worker.postMessage(request);
      })
    );
    last = next.catch(() => {});
    return next;
  };
  let opened: IngestReply & { ok: true };
  try {
    opened = await send({ open: root, ...(ownRun === undefined ? {} : { ownRun }) });
  } catch (error) {
    worker.terminate();
    throw error;
  }
  return {
    notices: opened.notices ?? [],
    warnings: opened.warnings ?? [],
    async ingest(keys, runs = []) {
      return { warnings: (await send({ ingest: [...keys], runs: [...runs] })).warnings ?? [] };
    },
    async close() {
      try {
        await send({ close: true });
      } finally {
        worker.terminate();
      }
    },
  };
}
