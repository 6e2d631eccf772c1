import assert from "node:assert/strict";
import { writeFixtureTrial } from "../query/_fixtures.ts";
import { ndjson, withFixtureProject, xpRun } from "./_query_helpers.ts";

/** The name column of a table. */
function names(stdout: string): string[] {
  return stdout.trimEnd().split("\n").slice(1).map((l) => l.split(/\s{2,}/)[2]!);
}

Deno.test("xp ls lists trials newest first with key prefix, status, duration and metrics", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout, stderr } = await xpRun(["ls"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^key\s+stage\s+name\s+status\s+duration\s+/);
    assert.match(lines[0]!, /accuracy/);
    assert.equal(lines.length, 6);
    assert.ok(lines[1]!.startsWith(keys[4]!.slice(0, 8) + "  eval"), lines[1]);
    assert.match(stdout, /failed\s+4\.00s/);
  });
});

Deno.test("xp ls --status, --filter, --sort and --limit narrow and order the list", async (t) => {
  await withFixtureProject(async ({ dir }) => {
    const cases: [string[], string[]][] = [
      [["--status", "failed"], ["lr=0.01,depth=4"]],
      [["--status", "failed,ok", "--filter", "stage = 'eval'"], ["lr=0.1,depth=2"]],
      [["--filter", "lr < 0.05 and status = 'ok'"], ["lr=0.01,depth=2"]],
      [["--filter", "model.depth > 2"], ["lr=0.01,depth=4", "lr=0.1,depth=4"]],
      [["--filter", "accuracy > 0.83"], ["lr=0.01,depth=2", "lr=0.1,depth=4"]],
      [["--sort", "-accuracy", "--filter", "stage = 'train'"], [
        "lr=0.1,depth=4",
        "lr=0.1,depth=2",
        "lr=0.01,depth=4",
        "lr=0.01,depth=2",
      ]],
      [["--sort", "accuracy", "--filter", "stage = 'train'"], [
        "lr=0.1,depth=2",
        "lr=0.1,depth=4",
        "lr=0.01,depth=4",
        "lr=0.01,depth=2",
      ]],
      [["--sort=-model.depth", "--limit", "2"], ["lr=0.01,depth=4", "lr=0.1,depth=4"]],
      [["--sort", "name", "--limit", "1"], ["lr=0.01,depth=2"]],
    ];
    for (const [args, expected] of cases) {
      await t.step(args.join(" "), async () => {
        const { code, stdout, stderr } = await xpRun(["ls", ...args], { cwd: dir });
        assert.equal(code, 0, stderr);
        const got = names(stdout);
        // The NaN trial sorts after every number (and NULL) either way.
        if (args.includes("-accuracy") || args.includes("accuracy") && args[0] === "--sort") {
          assert.deepEqual(got, expected);
        } else {
          assert.deepEqual(got.sort(), [...expected].sort());
        }
      });
    }
  });
});

Deno.test("xp ls --json prints one object per trial with its own params and metrics", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout } = await xpRun(["ls", "--json", "--filter", "stage = 'eval'"], {
      cwd: dir,
    });
    assert.equal(code, 0);
    const [row, ...rest] = ndjson(stdout);
    assert.equal(rest.length, 0);
    assert.equal(row!.key, keys[4]);
    assert.equal(row!.status, "ok");
    assert.deepEqual(row!.params, { lr: 0.1, split: "val" });
    assert.deepEqual(row!.metrics, { f1: 0.7, loss: 0.3 });
    assert.equal(row!.duration_s, 1.5);
  });
});

Deno.test("xp ls --csv prints the table's columns with full keys", async () => {
  await withFixtureProject(async ({ dir, keys }) => {
    const { code, stdout } = await xpRun(["ls", "--csv", "--status", "failed"], { cwd: dir });
    assert.equal(code, 0);
    const [header, row] = stdout.split("\n");
    assert.match(header!, /^key,stage,name,status,duration_s,/);
    assert.ok(row!.startsWith(`${keys[3]},train,"lr=0.01,depth=4",failed,4,`), row);
  });
});

Deno.test("xp ls --runs lists runs", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stdout } = await xpRun(["ls", "--runs"], { cwd: dir });
    assert.equal(code, 0);
    assert.match(stdout, /^run\s+status\s+started_at\s+duration\s+trials\s+command\n/);
    assert.match(stdout, /20260101T000000000Z-abcd\s+failed\s+.*ok 4, failed 1\s+xp run xp\.yaml/);
    const json = await xpRun(["ls", "--runs", "--json"], { cwd: dir });
    assert.equal(ndjson(json.stdout)[0]!.run_id, "20260101T000000000Z-abcd");
  });
});

Deno.test("xp ls reports mistakes with exit 2", async (t) => {
  await withFixtureProject(async ({ dir }) => {
    const cases: [string[], RegExp][] = [
      [
        ["--filter", "acuracy > 1"],
        /^error: Unknown name "acuracy" in --filter\n {2}acuracy > 1\n {2}\^\nhint: did you mean "accuracy"\?/,
      ],
      [["--filter", "lr < 'x'"], /^error: Conversion Error: .*\(in --filter\)\n {2}lr < 'x'\n/],
      [["--sort", "-nope"], /^error: Unknown name "nope" in --sort/],
      [["--status", "faild"], /^error: Unknown trial state "faild"\nhint: did you mean "failed"\?/],
      [["--runs", "--filter", "x"], /^error: --filter applies to trials, not runs/],
      [["extra"], /^error: Unexpected argument "extra"/],
    ];
    for (const [args, message] of cases) {
      await t.step(args.join(" "), async () => {
        const { code, stdout, stderr } = await xpRun(["ls", ...args], { cwd: dir });
        assert.equal(code, 2, stderr);
        assert.equal(stdout, "");
        assert.match(stderr, message);
      });
    }
  });
});

Deno.test("xp ls shows running and queued trials (not in the index yet) first", async () => {
  await withFixtureProject(async ({ dir, store }) => {
    await writeFixtureTrial(store, "8".repeat(64), {
      name: "live",
      params: { lr: 0.5 },
      state: "running",
      events: [{ t: "metric", name: "accuracy", value: 0.5 }],
    }, "2026-01-03T00:00:00Z");
    await writeFixtureTrial(store, "9".repeat(64), {
      name: "waiting",
      params: { lr: 0.6 },
      noStatus: true,
    }, "2026-01-03T00:00:00Z");
    const { code, stdout } = await xpRun(["ls", "--limit", "3"], { cwd: dir });
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split("\n");
    assert.match(lines[1]!, /^88888888\s+train\s+live\s+running\s+\S+\s+.*0\.5/);
    assert.match(lines[2]!, /^99999999\s+train\s+waiting\s+queued\s+NULL/);
    assert.equal(lines.length, 4);
    const running = await xpRun(["ls", "--status", "running", "--json"], { cwd: dir });
    const rows = ndjson(running.stdout);
    assert.deepEqual(rows.map((r) => [r.name, r.status, r.params, r.metrics]), [
      ["live", "running", { lr: 0.5 }, { accuracy: 0.5 }],
    ]);
    const filtered = await xpRun(["ls", "--filter", "lr > 0.4"], { cwd: dir });
    assert.equal(filtered.stdout.trimEnd().split("\n").length, 1, "a filter reads the index only");
  });
});
