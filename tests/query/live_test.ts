import assert from "node:assert/strict";
import { join } from "node:path";
import { readLiveEvents } from "../../lib/query/live.ts";
import { withTempDir } from "../_helpers.ts";

Deno.test("readLiveEvents() ranks result leaves over metric events over the last scalar values", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "events.ndjson"),
      [
        '{"t":"scalars","name":"loss","step":[0,1],"value":[2,1]}',
        '{"t":"scalar","name":"acc","value":0.5}',
        '{"t":"metric","name":"acc","value":0.7}',
        '{"t":"scalars","name":"loss","context":{"s":"val"},"value":[9]}',
        '{"t":"result","value":{"loss":0.25,"nested":{"x":"NaN"}}}',
      ].join("\n") + "\n",
    );
    const live = await readLiveEvents(dir);
    assert.deepEqual(live.metrics, { loss: 0.25, acc: 0.7, "nested.x": "NaN" });
    assert.deepEqual(live.scalars.get("loss"), [{ step: 0, value: 2 }, { step: 1, value: 1 }]);
    assert.deepEqual(live.scalars.get('loss {"s":"val"}'), [{ step: 0, value: 9 }]);
  });
});

Deno.test("readLiveEvents() with tailBytes reads only the lines that start in the file's end", async () => {
  await withTempDir(async (dir) => {
    const early = Array.from(
      { length: 1000 },
      (_, i) => `{"t":"scalar","name":"old","value":${i}}`,
    );
    await Deno.writeTextFile(
      join(dir, "events.ndjson"),
      [...early, '{"t":"metric","name":"acc","value":0.9}'].join("\n") + "\n",
    );
    const tail = await readLiveEvents(dir, { tailBytes: 100 });
    // The first line in the tail is cut and left out, so `old` is at most its last line.
    assert.equal(tail.metrics.acc, 0.9);
    assert.ok(tail.scalars.get("old") === undefined || tail.scalars.get("old")!.length <= 2);
    const whole = await readLiveEvents(dir);
    assert.equal(whole.scalars.get("old")!.length, 1000);
    assert.deepEqual(await readLiveEvents(dir, { tailBytes: 1e9 }), whole);
  });
});

Deno.test("readLiveEvents() of a trial that logged nothing yet is empty", async () => {
  await withTempDir(async (dir) => {
    const live = await readLiveEvents(dir, { tailBytes: 100 });
    assert.deepEqual(live, { metrics: {}, scalars: new Map(), artifacts: [] });
  });
});
