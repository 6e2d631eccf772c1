import assert from "node:assert/strict";
import { getJson, KEYS, RUNS, withFixtureApp } from "../_fixture.ts";

Deno.test("GET /api/runs lists runs newest first, with progress for a running one", async () => {
  await withFixtureApp(async ({ app }) => {
    const { status, body } = await getJson(app, "/api/runs");
    assert.equal(status, 200);
    const runs = body.runs as { run_id: string; status: string; progress?: unknown }[];
    assert.deepEqual(runs.map((r) => [r.run_id, r.status]), [
      [RUNS.running, "running"],
      [RUNS.done, "ok"],
    ]);
    assert.deepEqual(runs[0]!.progress, {
      done: 0,
      running: 1,
      todo: 2,
      states: { running: 1 },
    });
    assert.equal(runs[1]!.progress, undefined);
  });
});

Deno.test("GET /api/runs/:id gives a run's trials; bad and unknown ids are errors", async () => {
  await withFixtureApp(async ({ app }) => {
    const { body } = await getJson(app, `/api/runs/${RUNS.done}`);
    assert.deepEqual(Object.keys(body.trials as object).sort(), [KEYS.a, KEYS.b, KEYS.failed]);
    assert.equal((await app.request("/api/runs/..%2f..")).status, 400);
    const missing = await getJson(app, "/api/runs/20990101T000000000Z-none");
    assert.equal(missing.status, 404);
    assert.match(missing.body.error!, /No run/);
  });
});
