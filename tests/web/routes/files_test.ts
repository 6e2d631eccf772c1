import assert from "node:assert/strict";
import { KEYS, PNG, withFixtureApp } from "../_fixture.ts";

const SECRET = "not for the viewer";

Deno.test("GET /api/trials/:key/files/* serves logs and out/ files", async () => {
  await withFixtureApp(async ({ app }) => {
    const log = await app.request(`/api/trials/${KEYS.a}/files/stdout.log`);
    assert.equal(log.status, 200);
    assert.equal(log.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(log.headers.get("x-content-type-options"), "nosniff");
    assert.equal(await log.text(), "hello from a\nline 2\n");
    const png = await app.request(`/api/trials/${KEYS.a}/files/out/pred.png`);
    assert.equal(png.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await png.arrayBuffer()), PNG);
    const bin = await app.request(`/api/trials/${KEYS.a}/files/out/model.bin?download=1`);
    assert.match(bin.headers.get("content-disposition")!, /^attachment/);
    await bin.body?.cancel();
  });
});

Deno.test("HTML and SVG files are never served to run script", async () => {
  await withFixtureApp(async ({ app }) => {
    const html = await app.request(`/api/trials/${KEYS.a}/files/out/page.html`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get("content-disposition")!, /^attachment/);
    assert.match(html.headers.get("content-security-policy")!, /sandbox/);
    await html.body?.cancel();
    const svg = await app.request(`/api/trials/${KEYS.a}/files/out/fig.svg`);
    assert.equal(svg.headers.get("content-type"), "image/svg+xml");
    const csp = svg.headers.get("content-security-policy")!;
    assert.match(csp, /sandbox/);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    await svg.body?.cancel();
  });
});

Deno.test("file paths cannot leave the trial's directory", async (t) => {
  await withFixtureApp(async ({ app }) => {
    const base = `/api/trials/${KEYS.a}/files/`;
    const attempts: [string, string][] = [
      ["plain ..", `${base}../../../secret.txt`],
      ["encoded dots", `${base}%2e%2e/%2e%2e/%2e%2e/secret.txt`],
      ["encoded slashes", `${base}..%2f..%2f..%2fsecret.txt`],
      ["double-encoded", `${base}%252e%252e%252f%252e%252e%252fsecret.txt`],
      ["backslashes", `${base}..%5c..%5c..%5csecret.txt`],
      ["an absolute path", `${base}%2fetc%2fpasswd`],
      ["a leading slash", `${base}/etc/passwd`],
      ["NUL", `${base}stdout.log%00.png`],
      ["a symlink out of the trial", `${base}out/escape.txt`],
      ["the trial's lock", `${base}lock`],
      ["another trial's files", `/api/trials/..%2f${KEYS.b}/files/stdout.log`],
    ];
    for (const [what, path] of attempts) {
      await t.step(what, async () => {
        const res = await app.request(path);
        const text = await res.text();
        assert.ok([400, 403, 404].includes(res.status), `${path} gave ${res.status}`);
        assert.ok(!text.includes(SECRET), `${path} leaked the file`);
        assert.ok(!text.includes("root:"), `${path} leaked /etc/passwd`);
        assert.equal(typeof JSON.parse(text).error, "string");
      });
    }
  });
});

Deno.test("GET /api/blobs/:sha256 serves stored artifacts by hash", async () => {
  await withFixtureApp(async ({ app }) => {
    const detail = await (await app.request(`/api/trials/${KEYS.a}`)).json();
    const image = detail.artifacts.find((a: { kind: string }) => a.kind === "image");
    const res = await app.request(image.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    assert.match(res.headers.get("cache-control")!, /immutable/);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), PNG);
    const named = await app.request(
      `${image.url}?download=1&name=${encodeURIComponent("../p.png")}`,
    );
    assert.match(
      named.headers.get("content-disposition")!,
      /attachment; filename\*=UTF-8''\.\._p\.png/,
    );
    await named.body?.cancel();
    const figure = detail.artifacts.find((a: { name: string }) => a.name === "roc");
    const spec = await (await app.request(figure.url)).json();
    assert.equal(spec.layout.title, "ROC");
    assert.equal((await app.request("/api/blobs/xyz")).status, 400);
    assert.equal((await app.request(`/api/blobs/${"0".repeat(64)}`)).status, 404);
  });
});

Deno.test("GET /api/trials/:key/logs/:stream tails and follows a log", async () => {
  await withFixtureApp(async ({ app }) => {
    const whole = await (await app.request(`/api/trials/${KEYS.a}/logs/stdout`)).json();
    assert.deepEqual(whole, { size: 20, offset: 0, text: "hello from a\nline 2\n", next: 20 });
    const tail = await (await app.request(`/api/trials/${KEYS.a}/logs/stdout?tail=7`)).json();
    assert.equal(tail.text, "line 2\n");
    const rest = await (await app.request(`/api/trials/${KEYS.a}/logs/stdout?offset=13`)).json();
    assert.equal(rest.text, "line 2\n");
    const none = await (await app.request(`/api/trials/${KEYS.a}/logs/stderr`)).json();
    assert.equal(none.text, "");
    assert.equal((await app.request(`/api/trials/${KEYS.a}/logs/events`)).status, 404);
  });
});
