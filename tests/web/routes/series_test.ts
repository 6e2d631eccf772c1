import assert from "node:assert/strict";
import { downsampleMinMax, LOD_POINTS } from "../../../lib/store/downsample.ts";
import { A_POINTS, getJson, KEYS, withFixtureApp } from "../_fixture.ts";

interface Series {
  key: string;
  context: string | null;
  total: number;
  downsampled: boolean;
  step: number[];
  value: number[];
  time: number[];
}

Deno.test("GET /api/series downsamples to at most 2,000 points and keeps a spike", async () => {
  await withFixtureApp(async ({ app }) => {
    const { status, body } = await getJson(app, `/api/series?keys=${KEYS.a}&name=loss`);
    assert.equal(status, 200);
    const [series] = body.series as Series[];
    assert.equal(series!.total, A_POINTS);
    assert.equal(series!.downsampled, true);
    assert.ok(series!.step.length <= 2000, `${series!.step.length} points`);
    assert.ok(series!.value.includes(50), "the max of the spike's bucket is kept");
    assert.ok(series!.step.every((s, i) => i === 0 || s >= series!.step[i - 1]!), "step order");
    assert.equal(series!.time[0], 1767225600);
  });
});

Deno.test("GET /api/series answers the default chart from the index's downsampled copy, as the full series would downsample", async () => {
  await withFixtureApp(async ({ app }) => {
    const full = await getJson(app, `/api/series?keys=${KEYS.a}&name=loss&points=100000`);
    const [all] = full.body.series as Series[];
    assert.equal(all!.step.length, A_POINTS);
    const chart = await getJson(app, `/api/series?keys=${KEYS.a}&name=loss`);
    const [cut] = chart.body.series as Series[];
    assert.deepEqual(
      { step: cut!.step, value: cut!.value, time: cut!.time },
      downsampleMinMax(all!, LOD_POINTS),
    );
  });
});

Deno.test("GET /api/series with from and to gives full resolution in the range", async () => {
  await withFixtureApp(async ({ app }) => {
    const { body } = await getJson(app, `/api/series?keys=${KEYS.a}&name=loss&from=100&to=1099`);
    const [series] = body.series as Series[];
    assert.equal(series!.total, 1000);
    assert.equal(series!.downsampled, false);
    assert.deepEqual(series!.step, Array.from({ length: 1000 }, (_, i) => 100 + i));
  });
});

Deno.test("GET /api/series keeps contexts apart and reads running trials from files", async () => {
  await withFixtureApp(async ({ app }) => {
    const { body } = await getJson(
      app,
      `/api/series?keys=${KEYS.b},${KEYS.running},${KEYS.failed}&name=loss&points=100`,
    );
    const series = body.series as Series[];
    assert.deepEqual(series.map((s) => [s.key, s.context, s.total]), [
      [KEYS.b, null, 10],
      [KEYS.b, '{"subset":"val"}', 10],
      [KEYS.running, null, 2],
      [KEYS.failed, null, 1],
    ]);
    assert.deepEqual(series[2]!.value, [4, 3]);
  });
});

Deno.test("GET /api/series/names lists the series of the trials", async () => {
  await withFixtureApp(async ({ app }) => {
    const { body } = await getJson(app, `/api/series/names?keys=${KEYS.a},${KEYS.running}`);
    assert.deepEqual(body.names, [{ name: "loss", trials: 2 }]);
  });
});

Deno.test("GET /api/series refuses what it cannot answer", async (t) => {
  await withFixtureApp(async ({ app }) => {
    for (
      const [what, path, pattern] of [
        ["no keys", "/api/series?name=loss", /No trial keys/],
        ["no name", `/api/series?keys=${KEYS.a}`, /No series name/],
        ["a bad key", "/api/series?keys=../x&name=loss", /Not a trial key/],
        ["a bad range", `/api/series?keys=${KEYS.a}&name=loss&from=x`, /from/],
        [
          "too many keys",
          `/api/series?name=loss&keys=${Array.from({ length: 201 }, (_, i) => `k${i}`).join(",")}`,
          /Too many/,
        ],
      ] as const
    ) {
      await t.step(what, async () => {
        const { status, body } = await getJson(app, path);
        assert.equal(status, 400);
        assert.match(body.error!, pattern);
      });
    }
  });
});
