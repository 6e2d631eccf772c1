import assert from "node:assert/strict";
import { join } from "node:path";
import { storeLayout } from "../../../lib/store/layout.ts";
import type { LiveEvent } from "../../../web/live/live_event.ts";
import { storePoller } from "../../../web/live/store_poller.ts";
import { withTempDir } from "../../_helpers.ts";

const RUN = "20260101T000000000Z-live";

async function writeTrial(root: string, key: string, state: string, events: string[]) {
  const dir = join(root, "trials", key);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "meta.json"), JSON.stringify({ stage: "train", name: key }));
  await Deno.writeTextFile(join(dir, "events.ndjson"), events.map((e) => e + "\n").join(""));
  await Deno.writeTextFile(
    join(dir, "status.json"),
    JSON.stringify({ state, attempt: 1, run_id: RUN, started_at: new Date().toISOString() }),
  );
}

function scalar(step: number, value: number): string {
  return JSON.stringify({ t: "scalar", name: "loss", value, step, time: 1000 + step });
}

/** Collects events and waits for ones that match. */
function collector() {
  const events: LiveEvent[] = [];
  const waiters: { test: (e: LiveEvent) => boolean; resolve: (e: LiveEvent) => void }[] = [];
  return {
    events,
    listener(event: LiveEvent) {
      events.push(event);
      for (const w of [...waiters]) {
        if (w.test(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    },
    next(test: (e: LiveEvent) => boolean): Promise<LiveEvent> {
      const seen = events.find(test);
      if (seen) {
        events.splice(events.indexOf(seen), 1);
        return Promise.resolve(seen);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no such event within 5 s")), 5000);
        waiters.push({
          test,
          resolve: (e) => {
            clearTimeout(timer);
            events.splice(events.indexOf(e), 1);
            resolve(e);
          },
        });
      });
    },
  };
}

Deno.test("storePoller() reports what changes in the store's files", async () => {
  await withTempDir(async (root) => {
    const layout = storeLayout(root);
    await Deno.mkdir(join(root, "runs", RUN), { recursive: true });
    await Deno.writeTextFile(
      join(root, "runs", RUN, "run.json"),
      JSON.stringify({ run_id: RUN, status: "running", started_at: new Date().toISOString() }),
    );
    await writeTrial(root, "k1", "running", [scalar(0, 1)]);
    const poller = storePoller(layout, { intervalMs: 20, sweepMs: 40 });
    const seen = collector();
    const stop = poller.subscribe(seen.listener);
    try {
      await seen.next((e) => e.type === "ready");

      // A running trial's new points, not the ones it had before.
      await Deno.writeTextFile(join(root, "trials", "k1", "events.ndjson"), scalar(1, 0.5) + "\n", {
        append: true,
      });
      const points = await seen.next((e) => e.type === "scalars");
      assert.deepEqual(points, {
        type: "scalars",
        key: "k1",
        name: "loss",
        context: null,
        step: [1],
        value: [0.5],
        time: [1001],
      });

      // A half-written line waits for its end.
      const events = join(root, "trials", "k1", "events.ndjson");
      await Deno.writeTextFile(events, scalar(2, 0.25).slice(0, 20), { append: true });
      await new Promise((r) => setTimeout(r, 80));
      assert.equal(seen.events.filter((e) => e.type === "scalars").length, 0);
      await Deno.writeTextFile(events, scalar(2, 0.25).slice(20) + "\n", { append: true });
      const rest = await seen.next((e) => e.type === "scalars");
      assert.deepEqual((rest as { step: number[] }).step, [2]);

      // A new trial is reported with everything it logged.
      await writeTrial(root, "k2", "running", [scalar(0, 9)]);
      const started = await seen.next((e) => e.type === "trial" && e.key === "k2");
      assert.equal((started as { state: string }).state, "running");
      const first = await seen.next((e) => e.type === "scalars" && e.key === "k2");
      assert.deepEqual((first as { value: number[] }).value, [9]);

      // It ends: its state, then the run's progress.
      await writeTrial(root, "k2", "ok", [scalar(0, 9)]);
      const ended = await seen.next((e) => e.type === "trial" && e.key === "k2");
      assert.equal((ended as { state: string }).state, "ok");
      await seen.next((e) => e.type === "run" && e.run_id === RUN);

      // The index changed.
      await Deno.writeTextFile(layout.index, "x");
      await seen.next((e) => e.type === "index");

      // A new run.
      const other = "20260102T000000000Z-next";
      await Deno.mkdir(join(root, "runs", other), { recursive: true });
      await Deno.writeTextFile(
        join(root, "runs", other, "run.json"),
        JSON.stringify({ run_id: other, status: "running", started_at: new Date().toISOString() }),
      );
      await seen.next((e) => e.type === "run" && e.run_id === other);
    } finally {
      stop();
    }
  });
});

Deno.test("storePoller() polls only while someone listens", async () => {
  await withTempDir(async (root) => {
    const poller = storePoller(storeLayout(root), { intervalMs: 10 });
    const seen = collector();
    const stop = poller.subscribe(seen.listener);
    await seen.next((e) => e.type === "ready");
    stop();
    // The test's leak check fails if a timer is left behind.
  });
});
