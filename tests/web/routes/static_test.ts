import assert from "node:assert/strict";
import { withFixtureApp } from "../_fixture.ts";

Deno.test("GET / serves the app with a strict CSP", async () => {
  await withFixtureApp(async ({ app }) => {
    const res = await app.request("/");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy")!;
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    const html = await res.text();
    assert.match(html, /uPlot\.iife\.min\.js/);
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)/, "no CDN");
  });
});

Deno.test("GET /static/* serves the app's files and nothing else", async () => {
  await withFixtureApp(async ({ app }) => {
    const js = await app.request("/static/js/main.js");
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    await js.body?.cancel();
    const css = await app.request("/static/vendor/uplot/uPlot.min.css");
    assert.equal(css.status, 200);
    await css.body?.cancel();
    for (const path of ["/static/..%2fapp.ts", "/static/%2e%2e/app.ts", "/static/nope.js"]) {
      const res = await app.request(path);
      assert.ok([400, 404].includes(res.status), `${path}: ${res.status}`);
      assert.doesNotMatch(await res.text(), /createApp/);
    }
  });
});

Deno.test("an unknown route is a JSON 404", async () => {
  await withFixtureApp(async ({ app }) => {
    const res = await app.request("/api/nope");
    assert.equal(res.status, 404);
    assert.match((await res.json()).error, /No route GET \/api\/nope/);
  });
});
