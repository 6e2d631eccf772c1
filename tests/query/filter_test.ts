import assert from "node:assert/strict";
import { SqlError } from "../../lib/errors.ts";
import { compileFilter } from "../../lib/query/filter.ts";
import { filterPlanned } from "../../lib/query/planned.ts";
import type { NameSchema } from "../../lib/query/names.ts";
import { duckQuery, TRIALS_SETUP } from "./_duckdb.ts";
import { rejected, thrown } from "../_helpers.ts";

const SCHEMA: NameSchema = {
  params: ["lr", "model.depth", "model.kind", "name"],
  metrics: ["acc", "lr", "val loss"],
  columns: ["key", "stage", "name", "status", "duration_s"],
};

Deno.test("compileFilter() rewrites names to params, then metrics, then trial columns", async (t) => {
  const cases: [string, string][] = [
    ["lr < 0.05", `t."params"['lr'] < 0.05`],
    ["model.depth > 2", `t."params"['model']['depth'] > 2`],
    ["acc >= 0.9", `t."metrics"['acc'] >= 0.9`],
    ["status = 'ok'", `t."status" = 'ok'`],
    ["metrics.lr > 1", `t."metrics"['lr'] > 1`],
    ["params.name = 'a'", `t."params"['name'] = 'a'`],
    ["name = 'a'", `t."params"['name'] = 'a'`],
    [`"val loss" < 1`, `t."metrics"['val loss'] < 1`],
    [`metrics."val loss" < 1`, `t."metrics"['val loss'] < 1`],
    ["model.kind in ('cnn', 'mlp')", `t."params"['model']['kind'] in ('cnn', 'mlp')`],
    ["lower(model.kind) like 'c%'", `lower(t."params"['model']['kind']) like 'c%'`],
    ["'lr' = stage", `'lr' = t."stage"`],
    ["lr::varchar = '0.1'", `t."params"['lr']::varchar = '0.1'`],
    ["cast(lr as double) > 1e-3", `cast(t."params"['lr'] as double) > 1e-3`],
    [
      "acc is not null and not isnan(acc)",
      `t."metrics"['acc'] is not null and not isnan(t."metrics"['acc'])`,
    ],
    ["model", `t."params"['model']`],
    ["duration_s between 1 and 2", `t."duration_s" between 1 and 2`],
    ["lr=.5", `t."params"['lr']=.5`],
  ];
  for (const [expr, sql] of cases) {
    await t.step(expr, () => assert.equal(compileFilter(expr, SCHEMA).sql, sql));
  }
});

Deno.test("compileFilter() reads tags.NAME as the trial's tag; a param called tags wins", () => {
  const schema = { ...SCHEMA, tags: ["best", "paper"] };
  assert.equal(
    compileFilter("tags.best = 'yes' and lr < 1", schema).sql,
    `t."tags"['best'] = 'yes' and t."params"['lr'] < 1`,
  );
  const shadowed = { ...schema, params: [...schema.params, "tags.best"] };
  assert.equal(compileFilter("tags.best = 1", shadowed).sql, `t."params"['tags']['best'] = 1`);
  const error = thrown(() => compileFilter("tags.bset = 'yes'", schema), SqlError);
  assert.match(error.message, /Unknown name "tags\.bset"/);
  assert.match(error.hint ?? "", /did you mean "tags\.best"/);
});

Deno.test("compileFilter() reports unknown names with the closest ones and where they are", async (t) => {
  const cases: [string, RegExp, number, RegExp][] = [
    ["lrr < 1", /Unknown name "lrr" in --filter/, 0, /did you mean "lr"/],
    ["acc > 0 and depht = 2", /Unknown name "depht"/, 12, /"model\.depth"/],
    ["model.width = 1", /Unknown name "model\.width"/, 0, /did you mean/],
    ["zzzzzzzz = 1", /Unknown name "zzzzzzzz"/, 0, /params: lr, model\.depth/],
  ];
  for (const [expr, message, position, hint] of cases) {
    await t.step(expr, () => {
      const error = thrown(() => compileFilter(expr, SCHEMA), SqlError);
      assert.match(error.message, message);
      assert.equal(error.position, position);
      assert.equal(error.sql, expr);
      assert.match(error.hint ?? "", hint);
    });
  }
});

Deno.test("compileFilter() refuses what is not one expression", async (t) => {
  const cases: [string, RegExp][] = [
    ["lr < 1; drop table x", /";" is not allowed/],
    ["lr < 1 -- comment", /Comments are not allowed/],
    ["name = 'open", /Unterminated string/],
    ['"open = 1', /Unterminated quoted name/],
    ["   ", /--filter is empty/],
    ["lr @ 1", /Unexpected character "@"/],
  ];
  for (const [expr, message] of cases) {
    await t.step(expr, () => assert.throws(() => compileFilter(expr, SCHEMA), message));
  }
});

Deno.test("compiled filters run in DuckDB over a trials-shaped table", async (t) => {
  const db = await duckQuery(TRIALS_SETUP);
  try {
    const cases: [string, string[]][] = [
      ["lr < 0.05", ["k2", "k3"]],
      ["lr < 0.05 and status = 'ok'", ["k3"]],
      ["model.depth > 2", ["k2", "k3"]],
      ["model.kind = 'cnn' and stage = 'train'", ["k2"]],
      ["acc > 0.8", ["k1", "k2"]],
      ["acc > 0.8 and not isnan(acc)", ["k1"]],
      ["metrics.lr >= 6", ["k2"]],
      ["name = 'b'", ["k2"]],
      ["duration_s is null", ["k3"]],
    ];
    for (const [expr, keys] of cases) {
      await t.step(expr, async () => {
        const filter = compileFilter(expr, SCHEMA);
        const result = await db.query(
          `select key from trials t where (${filter.sql}) order by key`,
        );
        assert.deepEqual(result.rows.map((r) => r[0]), keys);
      });
    }
  } finally {
    db.close();
  }
});

Deno.test("filterPlanned() runs the same SQL over planned params", async (t) => {
  const db = await duckQuery();
  try {
    const rows = [
      {
        key: "a",
        stage: "train",
        name: "x",
        params: { lr: 0.1, model: { depth: 2 }, opt: "adam" },
      },
      {
        key: "b",
        stage: "train",
        name: "y",
        params: { lr: 0.01, model: { depth: 4 }, opt: "sgd" },
      },
      { key: "c", stage: "eval", name: "z", params: { split: "val", model: { depth: 4 } } },
    ];
    const cases: [string, boolean[]][] = [
      ["lr < 0.05", [false, true, false]],
      ["model.depth = 4", [false, true, true]],
      ["opt = 'adam' or split = 'val'", [true, false, true]],
      ["stage = 'eval'", [false, false, true]],
      ["lr is null", [false, false, true]],
    ];
    for (const [expr, expected] of cases) {
      await t.step(
        expr,
        async () => assert.deepEqual(await filterPlanned(db, expr, rows), expected),
      );
    }
    await t.step("an unknown name is an error naming it", async () => {
      await assert.rejects(filterPlanned(db, "acc > 1", rows), /Unknown name "acc"/);
    });
    await t.step("a type error points into the filter", async () => {
      const error = await rejected(filterPlanned(db, "lr < 'abc'", rows), SqlError);
      assert.equal(error.sql, "lr < 'abc'");
      assert.match(error.message, /Could not convert string 'abc'.*\(in --filter\)/);
    });
    await t.step("no rows, no query", async () => {
      assert.deepEqual(await filterPlanned(db, "lr < 1", []), []);
    });
  } finally {
    db.close();
  }
});
