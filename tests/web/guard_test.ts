import assert from "node:assert/strict";
import { withFixtureApp } from "./_fixture.ts";

const TOKEN = "s3cret-token-123";

Deno.test("with a token, requests without it get 401", async () => {
  await withFixtureApp(async ({ app }) => {
    for (const path of ["/", "/api/trials", "/api/events", "/static/js/main.js"]) {
      const res = await app.request(path);
      assert.equal(res.status, 401, path);
      assert.match((await res.json()).hint, /token/);
    }
    const wrong = await app.request(`/api/trials?token=nope`);
    assert.equal(wrong.status, 401);
    const cookie = await app.request("/api/trials", { headers: { cookie: "xp_token=nope" } });
    assert.equal(cookie.status, 401);
  }, { token: TOKEN });
});

Deno.test("the token is taken once from the URL, then from an HttpOnly cookie", async () => {
  await withFixtureApp(async ({ app }) => {
    const first = await app.request(`/?token=${TOKEN}`);
    assert.equal(first.status, 303);
    assert.equal(first.headers.get("location"), "/");
    const setCookie = first.headers.get("set-cookie")!;
    assert.match(setCookie, /^xp_token=s3cret-token-123;/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const page = await app.request("/", { headers: { cookie: `xp_token=${TOKEN}` } });
    assert.equal(page.status, 200);
    await page.body?.cancel();
    const api = await app.request(`/api/trials?token=${TOKEN}`);
    assert.equal(api.status, 200);
    assert.match(api.headers.get("set-cookie")!, /xp_token=/);
    await api.body?.cancel();
  }, { token: TOKEN });
});

Deno.test("without a token, only a loopback Host is served", async () => {
  await withFixtureApp(async ({ app }) => {
    for (const host of ["127.0.0.1:8765", "localhost:8765", "[::1]:8765"]) {
      const res = await app.request("/api/runs", { headers: { host } });
      assert.equal(res.status, 200, host);
      await res.body?.cancel();
    }
    const rebound = await app.request("/api/runs", { headers: { host: "evil.example:8765" } });
    assert.equal(rebound.status, 403);
    assert.match((await rebound.json()).error, /Host/);
  });
});
