/**
 * The batcher between `xp run` and its index writer, over an in-memory writer that records what
 * it was asked (the real writer is covered by the e2e run tests).
 */
import assert from "node:assert/strict";
import { ingestBatcher } from "../../lib/run/ingest_batcher.ts";
import type { IndexWriter } from "../../lib/run/worker_store.ts";

interface Recorded {
  opens: number;
  /** When the last open finished. */
  openedAt: number;
  ingests: { keys: string[]; runs: string[]; at: number }[];
  closed: boolean;
}

/** A writer whose opening takes `openMs` and fails while `failOpens` is above zero. */
function recordingWriter(options: { openMs?: number; failOpens?: number } = {}) {
  const seen: Recorded = { opens: 0, openedAt: 0, ingests: [], closed: false };
  let failures = options.failOpens ?? 0;
  const open = async (): Promise<IndexWriter> => {
    seen.opens++;
    await new Promise((resolve) => setTimeout(resolve, options.openMs ?? 0));
    seen.openedAt = performance.now();
    if (failures-- > 0) throw new Error("the index is locked");
    return {
      notices: [],
      warnings: ["trials/k/events.ndjson:3: not JSON"],
      ingest(keys, runs = []) {
        seen.ingests.push({ keys: [...keys], runs: [...runs], at: performance.now() });
        return Promise.resolve({ warnings: [] });
      },
      close() {
        seen.closed = true;
        return Promise.resolve();
      },
    };
  };
  return { seen, open };
}

/** Resolves once `done()` holds, checking every few milliseconds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 2));
}

Deno.test("trials finished before the index opened are left to the open's catch-up", async () => {
  const { seen, open } = recordingWriter();
  const warnings: string[] = [];
  const batcher = ingestBatcher(open, { intervalMs: 1, onWarning: (w) => warnings.push(w) });
  batcher.add("a");
  batcher.add("b");
  await until(() => seen.opens === 1);
  batcher.add("c");
  await batcher.close(["run-1"]);
  // a and b: indexed by opening (it catches up every finished trial); c and the run: one batch.
  assert.deepEqual(seen.ingests.map(({ keys, runs }) => ({ keys, runs })), [
    { keys: ["c"], runs: ["run-1"] },
  ]);
  assert.deepEqual(warnings, ["trials/k/events.ndjson:3: not JSON"]);
  assert.ok(seen.closed);
});

Deno.test("a run with no finished trial never opens the index", async () => {
  const { seen, open } = recordingWriter();
  const batcher = ingestBatcher(open, { onWarning: () => {} });
  await batcher.close(["run-1"]);
  assert.equal(seen.opens, 0);
});

Deno.test("the wait after a batch is at least `spacing` times what the batch took", async () => {
  const { seen, open } = recordingWriter({ openMs: 60 });
  const batcher = ingestBatcher(open, { intervalMs: 1, spacing: 4, onWarning: () => {} });
  batcher.add("a");
  await until(() => seen.opens === 1);
  await new Promise((resolve) => setTimeout(resolve, 80));
  const queued = performance.now();
  batcher.add("b");
  await until(() => seen.ingests.length === 1);
  // Opening took at least 60 ms, so b waits at least 240 ms (timers never fire early).
  assert.ok(seen.ingests[0]!.at - queued >= 235, `waited ${seen.ingests[0]!.at - queued} ms`);
  await batcher.close();
});

Deno.test("a trial that finishes during a batch waits for that batch's cost to be known", async () => {
  const { seen, open } = recordingWriter({ openMs: 60 });
  const batcher = ingestBatcher(open, { intervalMs: 1, spacing: 4, onWarning: () => {} });
  batcher.add("a");
  await until(() => seen.opens === 1);
  batcher.add("b");
  await until(() => seen.ingests.length === 1);
  // The open took at least 60 ms: b's batch comes 240 ms or more after it ended.
  assert.ok(seen.ingests[0]!.at - seen.openedAt >= 235, "b waited for the open's cost");
  await batcher.close();
});

Deno.test("an index that cannot be opened is tried again with the next batch", async () => {
  const { seen, open } = recordingWriter({ failOpens: 1 });
  const warnings: string[] = [];
  const batcher = ingestBatcher(open, { intervalMs: 1, onWarning: (w) => warnings.push(w) });
  batcher.add("a");
  await until(() => warnings.length === 1);
  assert.match(warnings[0]!, /could not index 1 trial\(s\) now \(the index is locked\)/);
  batcher.add("b");
  await batcher.close(["run-1"]);
  assert.equal(seen.opens, 2);
  // The second open caught up a and b; the run record goes in its own batch.
  assert.deepEqual(seen.ingests.map(({ keys, runs }) => ({ keys, runs })), [
    { keys: [], runs: ["run-1"] },
  ]);
});
