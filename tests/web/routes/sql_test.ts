import assert from "node:assert/strict";
import type { Hono } from "hono";
import { withFixtureApp } from "../_fixture.ts";

function post(app: Hono, body: unknown, headers: Record<string, string> = {}) {
  return app.request("/api/sql", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

Deno.test("POST /api/sql answers columns and rows", async () => {
  await withFixtureApp(async ({ app }) => {
    const res = await post(app, {
      sql: "select name, params.lr, metrics.accuracy from trials order by params.lr",
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.columns, ["name", "lr", "accuracy"]);
    assert.deepEqual(body.rows, [["lr=0.001", 0.001, null], ["lr=0.01", 0.01, "NaN"], [
      "lr=0.1",
      0.1,
      0.91,
    ]]);
    assert.equal(body.truncated, false);
  });
});

Deno.test("POST /api/sql cuts long answers and says so", async () => {
  await withFixtureApp(async ({ app }) => {
    const body = await (await post(app, { sql: "select * from scalars;", max_rows: 10 })).json();
    assert.equal(body.rows.length, 10);
    assert.equal(body.truncated, true);
  });
});

Deno.test("POST /api/sql gives bad SQL a 400 with DuckDB's message and the position", async () => {
  await withFixtureApp(async ({ app }) => {
    const sql = "select nme from trials";
    const res = await post(app, { sql });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.match(body.error, /nme/);
    assert.equal(body.position, 7);
    assert.equal(body.sql, sql);
    const syntax = await (await post(app, { sql: "select 1 form trials" })).json();
    assert.equal(syntax.position, "select 1 form trials".indexOf("trials"));
  });
});

Deno.test("POST /api/sql refuses writes and reaching outside the index", async (t) => {
  await withFixtureApp(async ({ app }) => {
    for (
      const sql of [
        "create table x (a int)",
        "insert into xp_index.info values ('a', 'b')",
        "drop view trials",
        "copy (select 1) to '/tmp/xp_web_test_copy.csv'",
        "attach '/tmp/xp_web_test.duckdb' as other",
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/passwd')",
        "install httpfs",
        "set enable_external_access = true",
      ]
    ) {
      await t.step(sql, async () => {
        const res = await post(app, { sql });
        const body = await res.json();
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(typeof body.error, "string");
        assert.ok(!JSON.stringify(body).includes("root:"));
      });
    }
    const still = await (await post(app, { sql: "select count(*) from trials" })).json();
    assert.deepEqual(still.rows, [[3]]);
  });
});

Deno.test("POST /api/sql wants a JSON body from this origin", async (t) => {
  await withFixtureApp(async ({ app }) => {
    await t.step("not JSON", async () => {
      const res = await post(app, "select 1");
      assert.equal(res.status, 400);
    });
    await t.step("no sql", async () => {
      const res = await post(app, { query: "select 1" });
      assert.equal(res.status, 400);
      assert.match((await res.json()).error, /No "sql"/);
    });
    await t.step("a form post", async () => {
      const res = await app.request("/api/sql", {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ sql: "select 1" }),
      });
      assert.equal(res.status, 415);
    });
    await t.step("another origin", async () => {
      const res = await post(app, { sql: "select 1" }, { origin: "http://evil.example" });
      assert.equal(res.status, 403);
    });
    await t.step("the same origin", async () => {
      const res = await post(app, { sql: "select 1" }, { origin: "http://localhost" });
      assert.equal(res.status, 200);
    });
  });
});

Deno.test("POST /api/sql with format csv downloads the result", async () => {
  await withFixtureApp(async ({ app }) => {
    const res = await post(app, { sql: "select name from trials order by name", format: "csv" });
    assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.match(res.headers.get("content-disposition")!, /attachment/);
    assert.equal(await res.text(), "name\nlr=0.001\nlr=0.01\nlr=0.1\n");
  });
});
