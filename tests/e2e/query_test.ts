/**
 * The query commands as a user runs them: real `xp` processes over a store built from fixture
 * trial files (sql, ls, show, logs -f, compare --html, export).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MAIN, xp } from "../_helpers.ts";
import { openStore } from "../../lib/store/mod.ts";
import { parseCsv } from "../../lib/query/csv_parse.ts";
import { standardTrials, writeFixtureStore, writeFixtureTrial } from "../query/_fixtures.ts";

/** Runs `fn` in a temp project with the standard fixture store, indexed. */
async function withProject(fn: (dir: string, keys: string[]) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "xp_e2e_query_" });
  try {
    const keys = await writeFixtureStore(join(dir, ".xp"), standardTrials());
    await (await openStore(join(dir, ".xp"))).close();
    await fn(dir, keys);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}

Deno.test("xp sql answers a query as a table, NDJSON and from stdin", async () => {
  await withProject(async (dir) => {
    const table = await xp(
      ["sql", "select stage, count(*) as n from trials group by 1 order by 1"],
      {
        cwd: dir,
      },
    );
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout, "stage  n\neval   1\ntrain  4\n");
    const json = await xp(["sql", "--json", "select name from trials where status = 'failed'"], {
      cwd: dir,
    });
    assert.equal(json.stdout, '{"name":"lr=0.01,depth=4"}\n');
    const piped = await xp(["sql", "--csv"], {
      cwd: dir,
      stdin: "select count(*) as n\n  from scalars where name = 'loss'\n",
    });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, "n\n14\n");
  });
});

Deno.test("xp sql marks the position of bad SQL and exits 2", async () => {
  await withProject(async (dir) => {
    const { code, stdout, stderr } = await xp(["sql", "select name frm trials"], { cwd: dir });
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.deepEqual(lines(stderr).slice(0, 3), [
      'error: Parser Error: syntax error at or near "trials"',
      "  select name frm trials",
      "                  ^",
    ]);
    assert.match(stderr, /\nhint: /);
    assert.doesNotMatch(stderr, / {4}at /);
  });
});

Deno.test("xp sql refuses COPY, ATTACH and reading files, exit 2", async (t) => {
  await withProject(async (dir) => {
    for (
      const sql of [
        `copy (select * from trials) to '${join(dir, "leak.csv")}'`,
        `attach '${join(dir, "other.duckdb")}' as other`,
        "select * from read_csv('/etc/passwd')",
      ]
    ) {
      await t.step(sql, async () => {
        const { code, stdout, stderr } = await xp(["sql", sql], { cwd: dir });
        assert.equal(code, 2, stderr);
        assert.equal(stdout, "");
        assert.match(stderr, /^error: Permission Error: /);
        assert.match(stderr, /\nhint: xp sql is read-only/);
      });
    }
    assert.equal(await exists(join(dir, "leak.csv")), false);
    assert.equal(await exists(join(dir, "other.duckdb")), false);
  });
});

Deno.test("xp ls lists, filters and sorts with NaN last", async () => {
  await withProject(async (dir) => {
    const { code, stdout, stderr } = await xp(
      ["ls", "--filter", "stage = 'train'", "--sort", "-accuracy"],
      { cwd: dir },
    );
    assert.equal(code, 0, stderr);
    const names = lines(stdout).slice(1).map((l) => l.split(/\s{2,}/)[2]);
    assert.deepEqual(names, [
      "lr=0.1,depth=4",
      "lr=0.1,depth=2",
      "lr=0.01,depth=4",
      "lr=0.01,depth=2",
    ]);
    const bad = await xp(["ls", "--filter", "depht > 2"], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^error: Unknown name "depht" in --filter\n {2}depht > 2\n {2}\^\nhint: did you mean "model\.depth"\?/,
    );
  });
});

Deno.test("xp show with an ambiguous key prefix lists the candidates", async () => {
  const dir = await Deno.makeTempDir({ prefix: "xp_e2e_query_" });
  try {
    const keys = ["5a1", "5a2"].map((p) => p.padEnd(64, "0"));
    await writeFixtureStore(join(dir, ".xp"), [
      { key: keys[0]!, name: "one", params: { lr: 1 } },
      { key: keys[1]!, name: "two", params: { lr: 2 } },
    ]);
    await (await openStore(join(dir, ".xp"))).close();
    const { code, stdout, stderr } = await xp(["show", "5a"], { cwd: dir });
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      /^error: "5a" matches 2 trials:\n {2}5a1000000000 {2}train\/one {2}ok\n {2}5a2000000000 {2}train\/two {2}ok\nhint: /,
    );
    const one = await xp(["show", "5a2"], { cwd: dir });
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^trial 5a2000000000 {2}train\/two\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("xp logs -f follows a running trial until its status is final", async () => {
  await withProject(async (dir) => {
    const trialDir = await writeFixtureTrial(join(dir, ".xp"), "7".repeat(64), {
      name: "live",
      params: {},
      state: "running",
      stdout: "first\n",
    }, "2026-01-02T00:00:00Z");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, "logs", "live", "-f"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    // Wait until it has printed what was there, so what follows is really followed.
    while (!seen.includes("first\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    await Deno.writeTextFile(join(trialDir, "stdout.log"), "second\n", { append: true });
    const status = JSON.parse(await Deno.readTextFile(join(trialDir, "status.json")));
    await Deno.writeTextFile(
      join(trialDir, "status.json"),
      JSON.stringify({
        ...status,
        state: "failed",
        exit_code: 1,
        finished_at: "2026-01-02T00:00:09Z",
      }),
    );
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    const { code } = await child.status;
    await child.stderr.cancel();
    assert.equal(code, 0);
    assert.equal(seen, "first\nsecond\n");
  });
});

Deno.test("xp compare --html writes a self-contained report", async () => {
  await withProject(async (dir, keys) => {
    const { code, stderr } = await xp(
      [
        "compare",
        keys[0]!.slice(0, 8),
        keys[1]!.slice(0, 8),
        keys[2]!.slice(0, 8),
        "--html",
        "cmp.html",
      ],
      { cwd: dir },
    );
    assert.equal(code, 0, stderr);
    const html = await Deno.readTextFile(join(dir, "cmp.html"));
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /https?:\/\//, "no network reference");
    assert.doesNotMatch(html, /<(link|img|iframe|script src)\b/);
    assert.match(html, /<style>/);
    assert.equal(html.match(/<svg /g)?.length, 1);
    assert.equal(html.match(/<polyline /g)?.length, 3);
    assert.match(html, /<tr class="differs"><td class="mark">≠<\/td><td class="name">lr<\/td>/);
  });
});

Deno.test("xp export writes CSV, JSON and Parquet that DuckDB reads back", async () => {
  await withProject(async (dir) => {
    const csv = await xp(["export", "-o", "r.csv"], { cwd: dir });
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(parseCsv(await Deno.readTextFile(join(dir, "r.csv"))).length, 5);
    const json = await xp(["export", "--format", "json", "--query", "select * from metrics"], {
      cwd: dir,
    });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).length, 9);
    const parquet = await xp(
      ["export", "--format", "parquet", "--query", "select * from results", "-o", "r.parquet"],
      { cwd: dir },
    );
    assert.equal(parquet.code, 0, parquet.stderr);
    const bytes = await Deno.readFile(join(dir, "r.parquet"));
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "PAR1");
    // A separate process with stock DuckDB, as pandas or polars would read it.
    const script = `
      import { DuckDBInstance } from "@duckdb/node-api";
      const db = await DuckDBInstance.create(":memory:");
      const c = await db.connect();
      const r = await c.runAndReadAll("select count(*)::INTEGER, max(lr) from read_parquet('r.parquet')");
      console.log(JSON.stringify(r.getRowsJson()[0]));`;
    const read = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--config", join(MAIN, "..", "deno.json"), script],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(read.code, 0, new TextDecoder().decode(read.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(read.stdout)), [5, 0.1]);
  });
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
