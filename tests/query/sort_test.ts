import assert from "node:assert/strict";
import { compileSort } from "../../lib/query/sort.ts";
import type { NameSchema } from "../../lib/query/names.ts";
import { duckQuery, TRIALS_SETUP } from "./_duckdb.ts";

const SCHEMA: NameSchema = {
  params: ["lr", "model.depth", "model.kind", "name"],
  metrics: ["acc", "lr"],
  columns: ["key", "stage", "name", "status", "duration_s"],
};

Deno.test("compileSort() sorts by a param, metric or column with NaN and NULL last", async (t) => {
  const db = await duckQuery(TRIALS_SETUP);
  try {
    const cases: [string, string[]][] = [
      ["acc", ["k3", "k1", "k2"]],
      ["-acc", ["k1", "k3", "k2"]],
      ["lr", ["k3", "k2", "k1"]],
      ["-model.depth", ["k3", "k2", "k1"]],
      ["metrics.lr", ["k1", "k2", "k3"]],
      ["-metrics.lr", ["k2", "k1", "k3"]],
      ["duration_s", ["k1", "k2", "k3"]],
      ["-duration_s", ["k2", "k1", "k3"]],
      ["model.kind", ["k2", "k3", "k1"]],
      ['-"acc"', ["k1", "k3", "k2"]],
    ];
    for (const [spec, keys] of cases) {
      await t.step(spec, async () => {
        const sort = compileSort(spec, SCHEMA);
        const result = await db.query(`select key from trials t order by ${sort.sql}, key`);
        assert.deepEqual(result.rows.map((r) => r[0]), keys);
      });
    }
  } finally {
    db.close();
  }
});

Deno.test("compileSort() rejects unknown names and expressions", async (t) => {
  const cases: [string, RegExp][] = [
    ["-acc_", /Unknown name "acc_" in --sort/],
    ["acc desc", /--sort takes one name/],
    ["-", /--sort needs a name/],
    ["model.", /--sort takes one name/],
  ];
  for (const [spec, message] of cases) {
    await t.step(spec, () => assert.throws(() => compileSort(spec, SCHEMA), message));
  }
});
