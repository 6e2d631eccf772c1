import assert from "node:assert/strict";
import { viewsSql } from "../../lib/store/views.ts";

Deno.test("viewsSql() nests struct fields at the dots; a nested path wins over a leaf", () => {
  const sql = viewsSql(
    [
      { path: "lr", type: "DOUBLE" },
      { path: "model", type: "BIGINT" },
      { path: "model.depth", type: "BIGINT" },
      { path: "LR", type: "DOUBLE" },
      { path: "a..b", type: "VARCHAR" },
    ],
    ["acc"],
  );
  const trials = sql.split("\n").find((line) => line.includes("AS params"))!;
  assert.equal(
    trials.trim(),
    'struct_pack("lr" := w.p0, "model" := struct_pack("depth" := w.p2)) AS params,',
  );
});

Deno.test("viewsSql() names results columns by the clash rule", () => {
  const sql = viewsSql(
    [
      { path: "name", type: "VARCHAR" },
      { path: "lr", type: "DOUBLE" },
      { path: "LR", type: "DOUBLE" },
    ],
    ["lr", "acc", "Status"],
  );
  const results = sql.slice(sql.indexOf("VIEW results"));
  const columns = [...results.matchAll(/ AS "([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(columns, ["param.name", "lr", "param.LR", "metric.lr", "acc", "metric.Status"]);
});

Deno.test("viewsSql() gives empty params and metrics a NULL of MAP type", () => {
  const sql = viewsSql([], []);
  assert.match(sql, /CAST\(NULL AS MAP\(VARCHAR, VARCHAR\)\) AS params/);
  assert.match(sql, /CAST\(NULL AS MAP\(VARCHAR, VARCHAR\)\) AS metrics/);
});
