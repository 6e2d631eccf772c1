/**
 * Reading trials into column batches, in this thread or in workers. A reindex of thousands of
 * trials is CPU-bound on both sides (parsing NDJSON, appending to DuckDB); with workers the two
 * overlap on separate cores. A worker that cannot start (a compiled binary without the worker
 * module) or fails makes the pool read in this thread instead.
 *
 * @module
 */

import type { StoreLayout } from "./layout.ts";
import { type ReadRowsOptions, readTrialRows, type TrialRows } from "./trial_rows.ts";

/** A request to a read worker. */
export interface ReadRequest {
  /** Matches the response. */
  id: number;
  /** The store root. */
  root: string;
  /** Trials to read. */
  keys: readonly string[];
  /** Reading options. */
  options: ReadRowsOptions;
}

/** A read worker's answer. */
export type ReadResponse = { id: number; rows: TrialRows } | { id: number; error: string };

/** Reads batches of trials. */
export interface RowReader {
  /** Reads `keys` into rows. */
  read(keys: readonly string[]): Promise<TrialRows>;
  /** Stops any workers. */
  close(): void;
}

/** A reader in this thread. */
export function localReader(layout: StoreLayout, options: ReadRowsOptions): RowReader {
  return { read: (keys) => readTrialRows(layout, keys, options), close() {} };
}

/** A reader with `count` workers (round robin), falling back to this thread. */
export function workerReader(
  layout: StoreLayout,
  options: ReadRowsOptions,
  count: number,
): RowReader {
  const local = localReader(layout, options);
  const pending = new Map<number, { resolve(rows: TrialRows): void; reject(error: Error): void }>();
  const workers: Worker[] = [];
  let broken = false;
  let nextId = 0;
  const fail = (error: Error) => {
    broken = true;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  try {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL("./read_worker.ts", import.meta.url).href, {
        type: "module",
      });
      worker.onmessage = (event: MessageEvent<ReadResponse>) => {
        const waiter = pending.get(event.data.id);
        pending.delete(event.data.id);
        if ("rows" in event.data) waiter?.resolve(event.data.rows);
        else waiter?.reject(new Error(event.data.error));
      };
      worker.onerror = (event) => {
        // Handled here: an unhandled worker error would end this process.
        event.preventDefault();
        fail(new Error(`A read worker failed: ${event.message}`));
      };
      workers.push(worker);
    }
  } catch {
    broken = true;
  }
  return {
    async read(keys) {
      if (broken) return await local.read(keys);
      const id = nextId++;
      const worker = workers[id % workers.length]!;
      try {
        return await new Promise<TrialRows>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          worker.postMessage({ id, root: layout.root, keys, options } satisfies ReadRequest);
        });
      } catch {
        return await local.read(keys);
      }
    },
    close() {
      for (const worker of workers) worker.terminate();
    },
  };
}
