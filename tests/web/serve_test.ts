import assert from "node:assert/strict";
import { join } from "node:path";
import { serveCommand } from "../../lib/cli/serve.ts";
import { UsageError } from "../../lib/errors.ts";
import { withTempDir, xp } from "../_helpers.ts";
import { writeFixtureStore } from "./_fixture.ts";
import { startServe } from "./_serve.ts";

Deno.test("xp serve --port 0 picks a free port, prints the URL and stops on Ctrl-C", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, ".xp");
    await writeFixtureStore(root);
    const served = await startServe(root);
    try {
      assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await fetch(`${served.origin}/api/trials`);
      assert.equal(res.status, 200);
      assert.equal((await res.json()).total, 3);
      const events = await fetch(`${served.origin}/api/events`);
      assert.equal(events.status, 200);
      const stopped = await served.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      await events.body?.cancel().catch(() => {});
    } finally {
      await served.stop();
    }
  });
});

Deno.test("xp serve on a port in use says so and exits 2", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, ".xp");
    await writeFixtureStore(root);
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    const result = await xp(["--store", root, "serve", "--port", String(port)]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`error: Port ${port} on 127\\.0\\.0\\.1 is already in use`),
    );
    assert.match(result.stderr, /hint: .*--port 0/);
  });
});

Deno.test("xp serve --token requires the token, then keeps it in a cookie", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, ".xp");
    await writeFixtureStore(root);
    const served = await startServe(root, ["--token", "tok-12345678"]);
    try {
      assert.match(served.url, /\?token=tok-12345678$/);
      const denied = await fetch(`${served.origin}/api/trials`);
      assert.equal(denied.status, 401);
      await denied.body?.cancel();
      const first = await fetch(served.url, { redirect: "manual" });
      assert.equal(first.status, 303);
      const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
      await first.body?.cancel();
      const allowed = await fetch(`${served.origin}/api/trials`, { headers: { cookie } });
      assert.equal(allowed.status, 200);
      await allowed.body?.cancel();
    } finally {
      await served.stop();
    }
  });
});

Deno.test("xp serve without a store says how to make one", async () => {
  await withTempDir(async (dir) => {
    const result = await xp(["serve", "--port", "0"], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /error: No store/);
    assert.match(result.stderr, /hint:/);
  });
});

Deno.test("xp serve parses its options", () => {
  assert.deepEqual(serveCommand.parse([]), {
    host: "127.0.0.1",
    port: 8765,
    open: false,
    token: undefined,
  });
  assert.deepEqual(serveCommand.parse(["--host", "0.0.0.0", "--port", "0", "--open"]), {
    host: "0.0.0.0",
    port: 0,
    open: true,
    token: undefined,
  });
  assert.throws(() => serveCommand.parse(["--port", "70000"]), UsageError);
  assert.throws(() => serveCommand.parse(["--token", "short"]), UsageError);
  assert.throws(() => serveCommand.parse(["extra"]), UsageError);
});
