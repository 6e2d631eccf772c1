import assert from "node:assert/strict";
import { ndjson, withFixtureProject, xpRun } from "./_query_helpers.ts";

Deno.test("xp sql prints a table, NDJSON, CSV or Markdown", async (t) => {
  await withFixtureProject(async ({ dir }) => {
    const query = "select name, params.lr as lr, metrics.accuracy as acc from trials " +
      "where stage = 'train' order by name";
    await t.step("table with NULL and NaN", async () => {
      const { code, stdout, stderr } = await xpRun(["sql", query], { cwd: dir });
      assert.equal(code, 0, stderr);
      assert.equal(
        stdout,
        [
          "name               lr                 acc",
          "lr=0.01,depth=2  0.01                 NaN",
          "lr=0.01,depth=4  0.01                NULL",
          "lr=0.1,depth=2    0.1  0.8200000000000001",
          "lr=0.1,depth=4    0.1  0.8400000000000001",
          "",
        ].join("\n"),
      );
    });
    await t.step("--json is NDJSON, one object per row", async () => {
      const { code, stdout } = await xpRun(["sql", query, "--json"], { cwd: dir });
      assert.equal(code, 0);
      const rows = ndjson(stdout);
      assert.equal(rows.length, 4);
      assert.deepEqual(rows[0], { name: "lr=0.01,depth=2", lr: 0.01, acc: "NaN" });
      assert.deepEqual(rows[1], { name: "lr=0.01,depth=4", lr: 0.01, acc: null });
    });
    await t.step("--csv", async () => {
      const { stdout } = await xpRun(["sql", query, "--csv"], { cwd: dir });
      assert.equal(stdout.split("\n")[0], "name,lr,acc");
      assert.equal(stdout.split("\n")[1], '"lr=0.01,depth=2",0.01,NaN');
      assert.equal(stdout.split("\n")[2], '"lr=0.01,depth=4",0.01,');
    });
    await t.step("--md", async () => {
      const { stdout } = await xpRun(["sql", query, "--md"], { cwd: dir });
      assert.match(
        stdout,
        /^\| name \| lr \| acc \|\n\| --- \| ---: \| ---: \|\n\| lr=0\.01,depth=2 \| 0\.01 \| NaN \|/,
      );
    });
    await t.step("structs are JSON in a table cell and objects in NDJSON", async () => {
      const sql = "select params from trials where name = 'lr=0.1,depth=4'";
      const table = await xpRun(["sql", sql], { cwd: dir });
      assert.match(table.stdout, /\{"lr":0\.1,"model":\{"depth":4,"kind":"mlp"\}/);
      const json = await xpRun(["sql", sql, "--json"], { cwd: dir });
      assert.equal((ndjson(json.stdout)[0]!.params as { model: { depth: number } }).model.depth, 4);
    });
    await t.step("the two queries of the architecture work", async () => {
      const a = await xpRun([
        "sql",
        "select name, params.lr, metrics.accuracy from trials where params.lr < 0.05 order by metrics.accuracy desc limit 10",
        "--json",
      ], { cwd: dir });
      assert.equal(a.code, 0, a.stderr);
      assert.equal(ndjson(a.stdout).length, 2);
      const b = await xpRun([
        "sql",
        "select key, max(value) from scalars where name = 'loss' group by key",
        "--json",
      ], { cwd: dir });
      assert.equal(b.code, 0, b.stderr);
      assert.equal(ndjson(b.stdout).length, 5);
    });
    await t.step("a repeated column name gets a suffix in NDJSON", async () => {
      const { stdout } = await xpRun(["sql", "select 1 as a, 2 as a", "--json"], { cwd: dir });
      assert.equal(stdout, '{"a":1,"a_1":2}\n');
    });
  });
});

Deno.test("xp sql cuts wide columns to the terminal and counts rows on stderr", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stdout, stderr } = await xpRun(
      ["sql", "select key, name, params from trials order by key"],
      { cwd: dir, columns: 60 },
    );
    assert.equal(code, 0);
    for (const line of stdout.trimEnd().split("\n")) assert.ok(line.length <= 60, line);
    assert.match(stdout, /…/);
    assert.equal(stderr.trim().split("\n").at(-1), "(5 rows)");
  });
});

Deno.test("xp sql reads the query from stdin when none is given", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stdout } = await xpRun(["sql", "--csv"], {
      cwd: dir,
      stdin: "select count(*) as n\nfrom trials\n",
    });
    assert.equal(code, 0);
    assert.equal(stdout, "n\n5\n");
    const none = await xpRun(["sql"], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^error: No query given\nhint: /);
    const empty = await xpRun(["sql"], { cwd: dir, stdin: "  \n" });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^error: The query is empty/);
  });
});

Deno.test("xp sql shows DuckDB's error with a caret under the position, exit 2", async (t) => {
  await withFixtureProject(async ({ dir }) => {
    await t.step("syntax error", async () => {
      const { code, stdout, stderr } = await xpRun(["sql", "select * form trials"], { cwd: dir });
      assert.equal(code, 2);
      assert.equal(stdout, "");
      const lines = stderr.split("\n");
      assert.match(lines[0]!, /^error: Parser Error: syntax error at or near "trials"$/);
      assert.equal(lines[1], "  select * form trials");
      assert.equal(lines[2], "                ^");
      assert.match(lines[3]!, /^hint: /);
    });
    await t.step("unknown column on the second line", async () => {
      const { code, stderr } = await xpRun(["sql", "select name,\n  nope from trials"], {
        cwd: dir,
      });
      assert.equal(code, 2);
      const lines = stderr.split("\n");
      assert.match(lines[0]!, /^error: Binder Error: Referenced column "nope" not found/);
      const at = lines.indexOf("  line 2:   nope from trials");
      assert.ok(at > 0, stderr);
      assert.equal(lines[at + 1], "            ^");
    });
    await t.step("unknown table lists the views", async () => {
      const { code, stderr } = await xpRun(["sql", "select * from trial"], { cwd: dir });
      assert.equal(code, 2);
      assert.match(stderr, /hint: the views are trials, results, params/);
    });
  });
});

Deno.test("xp sql refuses writes, COPY, ATTACH, INSTALL and reading files", async (t) => {
  await withFixtureProject(async ({ dir }) => {
    for (
      const sql of [
        "copy trials to 'out.csv'",
        "attach 'other.duckdb' as o",
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "install httpfs",
        "load httpfs",
        "create table x as select 1",
        "drop view trials",
      ]
    ) {
      await t.step(sql, async () => {
        const { code, stdout, stderr } = await xpRun(["sql", sql], { cwd: dir });
        assert.equal(code, 2, stderr);
        assert.equal(stdout, "");
        assert.match(stderr, /^error: .*(Permission|read-only|disabled|Cannot)/);
        assert.match(stderr, /hint: .*read-only/);
      });
    }
    await t.step("set enable_external_access = true", async () => {
      const sql = "set enable_external_access = true";
      const { code, stderr } = await xpRun(["sql", sql], { cwd: dir });
      assert.equal(code, 2);
      assert.match(stderr, /^error: Invalid Input Error: Cannot enable external access/);
    });
    await t.step("a refused statement leaves the index as it was", async () => {
      const { stdout } = await xpRun(["sql", "select count(*) from trials", "--csv"], { cwd: dir });
      assert.equal(stdout.split("\n")[1], "5");
    });
  });
});

Deno.test("xp sql takes one output format", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stderr } = await xpRun(["sql", "select 1", "--json", "--csv"], { cwd: dir });
    assert.equal(code, 2);
    assert.match(stderr, /^error: Options --json and --csv exclude each other/);
  });
});
