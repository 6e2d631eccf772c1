import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFixtureTrial } from "../query/_fixtures.ts";
import { withFixtureProject, xpRun } from "./_query_helpers.ts";

Deno.test("xp logs prints stdout, --stderr prints stderr", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const out = await xpRun(["logs", keys[0]!.slice(0, 8)], { cwd: dir });
    assert.equal(out.code, 0);
    assert.equal(out.stdout, "epoch 1\nepoch 2\ndone lr=0.1\n");
    const err = await xpRun(["logs", "lr=0.01,depth=4", "--stderr"], { cwd: dir });
    assert.equal(err.code, 0);
    assert.match(err.stdout, /^warn 1\nwarn 2\n[\s\S]*Error: diverged\n$/);
  });
});

Deno.test("xp logs -f follows until the trial's status is final", async () => {
  await withFixtureProject(async ({ dir, store }) => {
    const key = "e".repeat(64);
    const trialDir = await writeFixtureTrial(store, key, {
      name: "live",
      params: {},
      state: "running",
      stdout: "first\n",
    }, "2026-01-02T00:00:00Z");
    const following = xpRun(["logs", "live", "-f"], { cwd: dir });
    const log = join(trialDir, "stdout.log");
    await Deno.writeTextFile(log, "second\n", { append: true });
    await Deno.writeTextFile(log, "third ✓\n", { append: true });
    const status = JSON.parse(await Deno.readTextFile(join(trialDir, "status.json")));
    await Deno.writeTextFile(
      join(trialDir, "status.json"),
      JSON.stringify({ ...status, state: "ok", exit_code: 0, finished_at: "2026-01-02T00:00:05Z" }),
    );
    const { code, stdout } = await following;
    assert.equal(code, 0);
    assert.equal(stdout, "first\nsecond\nthird ✓\n");
  });
});

Deno.test("xp logs -f stops when interrupted", async () => {
  await withFixtureProject(async ({ dir, store }) => {
    await writeFixtureTrial(store, "d".repeat(64), {
      name: "live",
      params: {},
      state: "running",
      stdout: "x\n",
    }, "2026-01-02T00:00:00Z");
    const interrupt = new AbortController();
    const following = xpRun(["logs", "live", "-f"], { cwd: dir, signal: interrupt.signal });
    interrupt.abort();
    const { code, stdout } = await following;
    assert.equal(code, 0);
    assert.equal(stdout, "x\n");
  });
});

Deno.test("xp logs needs one trial", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stderr } = await xpRun(["logs"], { cwd: dir });
    assert.equal(code, 2);
    assert.match(stderr, /^error: Which trial\?/);
  });
});
