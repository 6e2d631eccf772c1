import assert from "node:assert/strict";
import { KEYS, withFixtureApp } from "../_fixture.ts";

/** Reads SSE `data:` messages from `res` until `count` are in. */
async function readMessages(res: Response, count: number): Promise<unknown[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: unknown[] = [];
  let buffer = "";
  while (messages.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of block.split("\n")) {
        if (line.startsWith("data: ")) messages.push(JSON.parse(line.slice(6)));
      }
    }
  }
  await reader.cancel();
  return messages;
}

Deno.test("GET /api/events streams live events as SSE", async () => {
  await withFixtureApp(async ({ app, live }) => {
    const res = await app.request("/api/events");
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reading = readMessages(res, 3);
    await new Promise((resolve) => setTimeout(resolve, 10));
    live.emit({ type: "index" });
    live.emit({ type: "run", run_id: "r", status: "ok" });
    assert.deepEqual(await reading, [{ type: "ready" }, { type: "index" }, {
      type: "run",
      run_id: "r",
      status: "ok",
    }]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(live.listeners, 0, "a closed stream stops listening");
  });
});

Deno.test("GET /api/events?keys= sends only those trials' points", async () => {
  await withFixtureApp(async ({ app, live }) => {
    const res = await app.request(`/api/events?keys=${KEYS.a}`);
    const reading = readMessages(res, 3);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const points = { name: "loss", context: null, step: [1], value: [0.5], time: [1] };
    live.emit({ type: "scalars", key: KEYS.b, ...points });
    live.emit({ type: "scalars", key: KEYS.a, ...points });
    live.emit({ type: "index" });
    const messages = await reading as { type: string; key?: string }[];
    assert.deepEqual(messages.map((m) => [m.type, m.key]), [
      ["ready", undefined],
      ["scalars", KEYS.a],
      ["index", undefined],
    ]);
  });
});

Deno.test("GET /api/events ends when the server stops", async () => {
  const stop = new AbortController();
  await withFixtureApp(async ({ app, live }) => {
    const res = await app.request("/api/events");
    const text = res.text();
    await new Promise((resolve) => setTimeout(resolve, 10));
    stop.abort();
    assert.match(await text, /"ready"/);
    assert.equal(live.listeners, 0);
  }, { signal: stop.signal });
});
