import assert from "node:assert/strict";
import { join } from "node:path";
import { withFixtureProject, xpRun } from "./_query_helpers.ts";

Deno.test("xp compare puts params and metrics side by side and marks differences", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout, stderr } = await xpRun(
      ["compare", keys[0]!.slice(0, 8), "lr=0.1,depth=4", "train/lr=0.01,depth=2"],
      { cwd: dir },
    );
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.match(
      lines[0]!,
      /^\s+lr=0\.1,depth=2 \(\w{8}\)\s+lr=0\.1,depth=4 \(\w{8}\)\s+lr=0\.01,depth=2/,
    );
    assert.ok(lines.includes("params"));
    assert.ok(lines.includes("metrics"));
    assert.ok(lines.some((l) => /^\*\s+lr\s+0\.1\s+0\.1\s+0\.01$/.test(l)), stdout);
    assert.ok(lines.some((l) => /^\s+model\.kind\s+mlp\s+mlp\s+mlp$/.test(l)), stdout);
    assert.ok(lines.some((l) => /^\*\s+accuracy\s+0\.82\s+0\.84\s+NaN$/.test(l)), stdout);
    assert.match(stderr, /\* the values differ/);
  });
});

Deno.test("xp compare --html writes one self-contained file with charts", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout, stderr } = await xpRun(
      ["compare", keys[0]!, keys[4]!, "--html", "report.html"],
      { cwd: dir },
    );
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, /^wrote report\.html: 2 trials, 1 chart\n/);
    const html = await Deno.readTextFile(join(dir, "report.html"));
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.doesNotMatch(html, /<(link|img|iframe)\b|\bsrc=/);
    assert.equal(html.match(/<svg /g)?.length, 1);
    assert.equal(html.match(/<polyline /g)?.length, 2);
    assert.match(
      html,
      /<td class="name">split<\/td><td class="missing">—<\/td><td class="">val<\/td>/,
    );
  });
});

Deno.test("xp compare reports unknown and repeated trials", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const missing = await xpRun(["compare", keys[0]!, "nope"], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: No trial "nope"/);
    const twice = await xpRun(["compare", keys[0]!, keys[0]!.slice(0, 10)], { cwd: dir });
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /is a trial already given/);
    const none = await xpRun(["compare"], { cwd: dir });
    assert.equal(none.code, 2);
  });
});
