import assert from "node:assert/strict";
import { join } from "node:path";
import { writeJsonAtomic } from "../../../lib/store/atomic.ts";
import { getJson, KEYS, withFixtureApp } from "../_fixture.ts";

Deno.test("GET /api/trials lists indexed trials and the running one as pending", async () => {
  await withFixtureApp(async ({ app }) => {
    const { status, body } = await getJson(app, "/api/trials");
    assert.equal(status, 200);
    assert.equal(body.total, 3);
    const trials = body.trials as {
      key: string;
      params: { lr: number };
      status: string;
      tags: Record<string, string>;
      parent: string | null;
    }[];
    assert.deepEqual(trials.map((t) => t.key).sort(), [KEYS.a, KEYS.b, KEYS.failed]);
    const a = trials.find((t) => t.key === KEYS.a)!;
    assert.equal(a.params.lr, 0.1);
    assert.deepEqual([a.tags, a.parent], [{ best: "yes", paper: "fig 3" }, null]);
    const failed = trials.find((t) => t.key === KEYS.failed)!;
    assert.deepEqual([failed.tags, failed.parent], [{}, KEYS.b]);
    const pending = body.pending as { key: string; status: string; metrics: unknown }[];
    assert.deepEqual(pending.map((t) => [t.key, t.status]), [[KEYS.running, "running"]]);
    // A running trial's latest values, read from the end of its events.
    assert.deepEqual(pending[0]!.metrics, { loss: 3 });
  });
});

Deno.test("GET /api/trials filters with the --filter syntax and sorts NaN last", async (t) => {
  await withFixtureApp(async ({ app }) => {
    await t.step("filter on a param and a trial column", async () => {
      const { body } = await getJson(
        app,
        `/api/trials?filter=${encodeURIComponent("lr < 0.05 and status = 'ok'")}`,
      );
      assert.equal(body.total, 1);
      assert.equal((body.trials as { key: string }[])[0]!.key, KEYS.b);
      assert.deepEqual(body.pending, [], "a filter leaves out trials it cannot judge");
    });
    await t.step("-accuracy puts the largest first and NaN last", async () => {
      const { body } = await getJson(app, "/api/trials?sort=-accuracy");
      const keys = (body.trials as { key: string }[]).map((t) => t.key);
      assert.equal(keys[0], KEYS.a);
      assert.equal(keys.at(-1), KEYS.b);
    });
    await t.step("limit and offset page", async () => {
      const { body } = await getJson(app, "/api/trials?sort=lr&limit=1&offset=1");
      assert.equal(body.total, 3);
      assert.deepEqual((body.trials as { key: string }[]).map((t) => t.key), [KEYS.b]);
      const past = await getJson(app, "/api/trials?limit=10&offset=10");
      assert.equal(past.body.total, 3);
      assert.deepEqual(past.body.trials, []);
    });
    await t.step("tags.NAME filters and sorts by a tag", async () => {
      const { body } = await getJson(
        app,
        `/api/trials?filter=${encodeURIComponent("tags.best = 'yes'")}`,
      );
      assert.deepEqual((body.trials as { key: string }[]).map((t) => t.key), [KEYS.a]);
      const sorted = await getJson(app, "/api/trials?sort=-tags.best");
      assert.deepEqual((sorted.body.trials as { key: string }[]).map((t) => t.key), [
        KEYS.a,
        KEYS.b,
        KEYS.failed,
      ]);
    });
    await t.step("keys picks trials", async () => {
      const { body } = await getJson(app, `/api/trials?keys=${KEYS.b},${KEYS.running}`);
      assert.deepEqual((body.trials as { key: string }[]).map((t) => t.key), [KEYS.b]);
      assert.deepEqual((body.pending as { key: string }[]).map((t) => t.key), [KEYS.running]);
    });
  });
});

Deno.test("GET /api/trials answers a bad filter with 400, the message and its position", async (t) => {
  await withFixtureApp(async ({ app }) => {
    await t.step("an unknown name names the closest ones", async () => {
      const { status, body } = await getJson(
        app,
        `/api/trials?filter=${encodeURIComponent("lrr < 1")}`,
      );
      assert.equal(status, 400);
      assert.match(body.error!, /Unknown name "lrr"/);
      assert.match(String(body.hint), /lr/);
      assert.equal(body.position, 0);
      assert.equal(body.sql, "lrr < 1");
    });
    await t.step("a DuckDB error points into the filter as written", async () => {
      const filter = "lr > 0 and model.depth << 'x'";
      const { status, body } = await getJson(
        app,
        `/api/trials?filter=${encodeURIComponent(filter)}`,
      );
      assert.equal(status, 400);
      assert.equal(body.sql, filter);
      assert.match(body.error!, /in --filter/);
    });
    await t.step("a bad sort", async () => {
      const { status, body } = await getJson(app, "/api/trials?sort=-nope");
      assert.equal(status, 400);
      assert.match(body.error!, /Unknown name "nope" in --sort/);
    });
    await t.step("a bad limit", async () => {
      const { status, body } = await getJson(app, "/api/trials?limit=-1");
      assert.equal(status, 400);
      assert.match(body.error!, /limit/);
    });
  });
});

Deno.test("GET /api/columns lists params, metrics, trial columns and tags", async () => {
  await withFixtureApp(async ({ app }) => {
    const { body } = await getJson(app, "/api/columns");
    assert.deepEqual(body.params, ["lr", "model.depth"]);
    assert.deepEqual(body.metrics, ["accuracy", "loss"]);
    assert.ok((body.columns as string[]).includes("status"));
    assert.ok((body.columns as string[]).includes("parent"));
    assert.deepEqual(body.tags, ["best", "paper"]);
  });
});

Deno.test("GET /api/trials/:key gives an indexed trial in detail", async () => {
  await withFixtureApp(async ({ app }) => {
    const { status, body } = await getJson(app, `/api/trials/${KEYS.a}`);
    assert.equal(status, 200);
    assert.equal(body.indexed, true);
    assert.equal(body.name, "lr=0.1");
    assert.deepEqual(body.effective_params, { lr: 0.1, model: { depth: 2 } });
    assert.equal((body.metrics as Record<string, number>).accuracy, 0.91);
    assert.deepEqual(
      (body.texts as { step: number; value: string }[]).map((t) => [t.step, t.value]),
      [[0, "first text"], [1, "second text"]],
    );
    const artifacts = body.artifacts as { kind: string; name: string; url: string }[];
    const image = artifacts.find((a) => a.kind === "image")!;
    assert.match(image.url, /^\/api\/blobs\/[0-9a-f]{64}$/);
    assert.ok(artifacts.some((a) => a.kind === "figure" && a.name === "roc"));
    assert.deepEqual((body.scalars as { name: string; points: number }[])[0], {
      name: "loss",
      context: null,
      points: 5000,
      last: 0.0002,
    });
    assert.ok((body.logs as { stdout: number }).stdout > 0);
    assert.deepEqual(body.tags, { best: "yes", paper: "fig 3" });
    assert.equal(body.note, "the baseline\nkeep it");
    assert.deepEqual(body.lineage, []);
  });
});

Deno.test("GET /api/trials/:key gives the lineage, parent first", async () => {
  await withFixtureApp(async ({ app }) => {
    const { body } = await getJson(app, `/api/trials/${KEYS.failed}`);
    assert.deepEqual(body.lineage, [
      { key: KEYS.b, depth: 1, stage: "train", name: "lr=0.01", status: "ok" },
      { key: KEYS.a, depth: 2, stage: "train", name: "lr=0.1", status: "ok" },
    ]);
    assert.deepEqual([body.tags, body.note], [{}, null]);
  });
});

Deno.test("GET /api/trials/:key answers again once the trial's status file is replaced", async () => {
  await withFixtureApp(async ({ app, root }) => {
    const path = join(root, "trials", KEYS.a, "status.json");
    const before = await getJson(app, `/api/trials/${KEYS.a}`);
    assert.equal((before.body.status as { state: string }).state, "ok");
    const status = JSON.parse(await Deno.readTextFile(path));
    await writeJsonAtomic(path, { ...status, state: "running", attempt: 2 });
    const after = await getJson(app, `/api/trials/${KEYS.a}`);
    assert.deepEqual(after.body.status, { ...status, state: "running", attempt: 2 });
  });
});

Deno.test("GET /api/trials/:key reads a running trial from its files", async () => {
  await withFixtureApp(async ({ app }) => {
    const { body } = await getJson(app, `/api/trials/${KEYS.running}`);
    assert.equal(body.indexed, false);
    assert.equal((body.status as { state: string }).state, "running");
    assert.deepEqual(body.metrics, { loss: 3 });
    assert.deepEqual((body.texts as { value: string }[]).map((t) => t.value), ["still going"]);
  });
});

Deno.test("GET /api/trials/:key answers 404 for no trial and 400 for a malformed key", async () => {
  await withFixtureApp(async ({ app }) => {
    const missing = await getJson(app, `/api/trials/${"e".repeat(64)}`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error!, /No trial/);
    const bad = await getJson(app, "/api/trials/a.b");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error!, /Not a trial key/);
  });
});

Deno.test("GET /api/trials/pending lists the trials the index does not have yet", async () => {
  await withFixtureApp(async ({ app }) => {
    const { status, body } = await getJson(app, "/api/trials/pending");
    assert.equal(status, 200);
    const pending = body.pending as { key: string; status: string; params: unknown }[];
    assert.deepEqual(pending.map((t) => [t.key, t.status]), [[KEYS.running, "running"]]);
    assert.deepEqual(pending[0]!.params, { lr: 0.5, model: { depth: 2 } });
  });
});
