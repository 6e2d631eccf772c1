import assert from "node:assert/strict";
import { SqlError } from "../../lib/errors.ts";
import { refusedStatement, toSqlError } from "../../lib/store/sql_error.ts";

Deno.test("toSqlError() finds the caret's offset on the line DuckDB names", () => {
  const sql = "select 1\nfrom trials\nwhere nme = 2";
  const error = toSqlError(
    new Error(
      'Binder Error: Referenced column "nme" not found in FROM clause!\n\nLINE 3: where nme = 2\n              ^',
    ),
    sql,
  );
  assert.equal(error.message, 'Binder Error: Referenced column "nme" not found in FROM clause!');
  assert.equal(error.position, sql.indexOf("nme"));
  assert.equal(error.sql, sql);
  assert.equal(error.hint, undefined);
});

Deno.test("toSqlError() finds the caret in a long line DuckDB shows as a window", () => {
  const sql = `select ${"a, ".repeat(60)}zzz from trials`;
  const at = sql.indexOf("zzz");
  const shown = `...${sql.slice(at - 40, at + 10)}...`;
  const caret = " ".repeat("LINE 1: ".length + 3 + 40) + "^";
  const error = toSqlError(new Error(`Binder Error: no zzz\n\nLINE 1: ${shown}\n${caret}`), sql);
  assert.equal(error.position, at);
});

Deno.test("toSqlError() gives no position without an excerpt, and hints at refusals", () => {
  const refused = toSqlError(
    new Error(
      'Permission Error: Cannot access file "/etc/passwd" - file system operations are disabled by configuration',
    ),
    "select * from read_csv('/etc/passwd')",
  );
  assert.equal(refused.position, undefined);
  assert.match(refused.hint!, /xp sql is read-only/);
  const unknown = toSqlError(new Error("Catalog Error: Table with name x does not exist!"), "x");
  assert.match(unknown.hint!, /the views are trials, results, params, metrics, scalars/);
});

Deno.test("toSqlError() passes a SqlError through; refusedStatement() names the type", () => {
  const refused = refusedStatement(["INSERT"], "insert into t values (1)");
  assert.ok(refused instanceof SqlError);
  assert.match(refused.message, /"INSERT"/);
  assert.equal(toSqlError(refused, "other"), refused);
});
