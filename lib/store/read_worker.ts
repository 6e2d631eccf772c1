/**
 * A worker that reads trials into column batches (`trial_rows.ts`) for `read_pool.ts`, so a
 * reindex parses files on one core while the main thread appends on another.
 *
 * @module
 */

import { storeLayout } from "./layout.ts";
import type { ReadRequest, ReadResponse } from "./read_pool.ts";
import { readTrialRows, transferables } from "./trial_rows.ts";

/** The worker's side of `postMessage`, which Deno's window-typed globals do not describe. */
const port = globalThis as unknown as {
  postMessage(message: ReadResponse, transfer: ArrayBuffer[]): void;
  onmessage: ((event: MessageEvent<ReadRequest>) => void) | null;
};

port.onmessage = async (event) => {
  const { id, root, keys, options } = event.data;
  try {
    const rows = await readTrialRows(storeLayout(root), keys, options);
    port.postMessage({ id, rows }, transferables(rows));
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) }, []);
  }
};
