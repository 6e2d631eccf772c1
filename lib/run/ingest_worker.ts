/**
 * The index writer of `xp run`, in a worker: ingesting reads trial files and appends rows with
 * DuckDB's synchronous Appender, which would stall the scheduler (no trial starts while a batch
 * is written). In its own thread it costs the run nothing but a core's share.
 *
 * Messages in: `{ open: root, ownRun? }`, then `{ ingest: keys, runs }`, then `{ close: true }`.
 * Each gets one reply: `{ ok: true, notices?, warnings? }` or `{ ok: false, error }`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { type DuckDbStore, openStore } from "../store/mod.ts";

/** A request to the worker. */
export type IngestRequest =
  | { open: string; ownRun?: string }
  | { ingest: string[]; runs: string[] }
  | { close: true };

/** The worker's answer to one request. */
export type IngestReply =
  | { ok: true; notices?: string[]; warnings?: string[] }
  | { ok: false; error: string };

if (import.meta.main) {
  let store: DuckDbStore | undefined;
  self.onmessage = async (event: MessageEvent<IngestRequest>) => {
    const request = event.data;
    try {
      if ("open" in request) {
        const { open, ownRun } = request;
        store = await openStore(open, {
          keepInstance: true,
          ...(ownRun === undefined ? {} : { ownRun }),
        });
        reply({ ok: true, notices: store.notices, warnings: store.warnings });
      } else if ("ingest" in request) {
        const report = await opened(store).ingest(request.ingest, request.runs);
        reply({ ok: true, warnings: report.warnings });
      } else {
        await store?.close();
        reply({ ok: true });
        self.close();
      }
    } catch (error) {
      reply({ ok: false, error: (error as Error).message });
    }
  };
}

function opened(store: DuckDbStore | undefined): DuckDbStore {
  if (!store) throw new Error("the index is not open");
  return store;
}

function reply(message: IngestReply): void {
  self.postMessage(message);
}
