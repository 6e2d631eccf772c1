import assert from "node:assert/strict";
import { join } from "node:path";
import { parseCsv } from "../../lib/query/csv_parse.ts";
import { ndjson, withFixtureProject, xpRun } from "./_query_helpers.ts";

Deno.test("xp export writes the results view as CSV by default", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stdout, stderr } = await xpRun(["export"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const rows = parseCsv(stdout);
    assert.equal(rows.length, 5);
    assert.deepEqual(Object.keys(rows[0]!).slice(0, 7), [
      "key",
      "experiment",
      "stage",
      "name",
      "status",
      "lr",
      "model.depth",
    ]);
  });
});

Deno.test("xp export --format json and ndjson, to a file or stdout", async () => {
  await withFixtureProject(async ({ dir }) => {
    const query =
      "select name, metrics.accuracy as acc from trials where stage = 'train' order by name";
    const json = await xpRun(["export", "--format", "json", "--query", query, "-o", "r.json"], {
      cwd: dir,
    });
    assert.equal(json.code, 0);
    assert.equal(json.stderr, "wrote 4 rows to r.json (json)\n");
    const rows = JSON.parse(await Deno.readTextFile(join(dir, "r.json")));
    assert.deepEqual(rows[0], { name: "lr=0.01,depth=2", acc: "NaN" });
    const lines = await xpRun(["export", "--format", "ndjson", "--query", query], { cwd: dir });
    assert.equal(ndjson(lines.stdout).length, 4);
    const inferred = await xpRun(["export", "--query", query, "-o", "r.ndjson"], { cwd: dir });
    assert.match(inferred.stderr, /\(ndjson\)/);
  });
});

Deno.test("xp export --format parquet writes a Parquet file DuckDB reads back", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stderr } = await xpRun(
      ["export", "--format", "parquet", "--query", "select * from scalars", "-o", "s.parquet"],
      { cwd: dir },
    );
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "wrote 14 rows to s.parquet (parquet)\n");
    const bytes = await Deno.readFile(join(dir, "s.parquet"));
    assert.equal(new TextDecoder().decode(bytes.slice(0, 4)), "PAR1");
    assert.equal(new TextDecoder().decode(bytes.slice(-4)), "PAR1");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const connection = await db.connect();
    const reader = await connection.runAndReadAll(
      `select count(*)::INTEGER, count(distinct key)::INTEGER from read_parquet('${
        join(dir, "s.parquet")
      }')`,
    );
    assert.deepEqual(reader.getRows()[0], [14, 5]);
    connection.closeSync();
    db.closeSync();
  });
});

Deno.test("xp export refuses what is not one read-only query, and bad options", async (t) => {
  await withFixtureProject(async ({ dir }) => {
    const cases: [string[], RegExp][] = [
      [["--format", "parquet"], /^error: Parquet needs a file\nhint: write -o FILE\.parquet/],
      [["--format", "xlsx"], /^error: Unknown export format "xlsx"/],
      [
        ["--query", "select 1; select 2", "-o", "x.parquet"],
        /^error: Export takes one query, got 2/,
      ],
      [["--query", "drop view trials", "-o", "x.parquet"], /^error: .*(Permission|read-only)/],
      [
        ["--query", "select * from read_csv('/etc/passwd')", "-o", "x.parquet"],
        /^error: Permission Error/,
      ],
      [
        ["--query", "select * form trials", "-o", "x.parquet"],
        /^error: Parser Error: .*\n {2}select \* form trials\n/,
      ],
      [["--query", "select * from read_csv('/etc/passwd')"], /^error: Permission Error/],
    ];
    for (const [args, message] of cases) {
      await t.step(args.join(" "), async () => {
        const { code, stderr } = await xpRun(["export", ...args], { cwd: dir });
        assert.equal(code, 2, stderr);
        assert.match(stderr, message);
      });
    }
  });
});
