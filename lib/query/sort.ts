/**
 * `--sort [-]NAME`: one name (resolved like `--filter`) to an ORDER BY clause that puts NaN and
 * NULL last in both directions. DuckDB itself sorts NaN above every number, so a plain
 * `order by x desc` lists NaN first; the shorthand does not.
 *
 * @module
 */

import { SqlError } from "../errors.ts";
import { type NameRef, type NameSchema, refSql, resolveName, unknownNameHint } from "./names.ts";
import { tokenize } from "./tokens.ts";

/** A compiled `--sort`. */
export interface CompiledSort {
  /** What it sorts by. */
  ref: NameRef;
  /** The name as the user wrote it, without the `-`. */
  name: string;
  /** Largest first. */
  descending: boolean;
  /** The ORDER BY terms (without `order by`). */
  sql: string;
}

/**
 * Compiles `spec` (`accuracy`, `-accuracy`, `model.depth`, `-"val loss"`).
 *
 * @throws {SqlError} when the name is unknown or `spec` is not one name
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileSort } from "./sort.ts";
 * const sort = compileSort("-acc", { params: [], metrics: ["acc"], columns: [] });
 * assert.equal(sort.descending, true);
 * assert.match(sort.sql, /isnan/);
 * ```
 */
export function compileSort(spec: string, schema: NameSchema, alias = "t"): CompiledSort {
  const descending = spec.startsWith("-");
  const body = descending ? spec.slice(1) : spec;
  const tokens = tokenize(body, "--sort").filter((t) => t.kind !== "space");
  const parts: string[] = [];
  tokens.forEach((t, i) => {
    const expected = i % 2 === 0 ? t.kind === "word" || t.kind === "quoted" : t.kind === "dot";
    if (!expected || i === tokens.length - 1 && t.kind === "dot") {
      throw new SqlError(`--sort takes one name, got "${spec}"`, {
        sql: spec,
        hint: "write --sort accuracy, or --sort -accuracy for largest first",
      });
    }
    if (t.kind !== "dot") parts.push(t.text);
  });
  if (parts.length === 0) {
    throw new SqlError("--sort needs a name", {
      sql: spec,
      hint: "write --sort accuracy, or --sort -accuracy for largest first",
    });
  }
  const name = parts.join(".");
  const ref = resolveName(parts, schema);
  if (ref === undefined) {
    throw new SqlError(`Unknown name "${name}" in --sort`, {
      sql: spec,
      position: descending ? 1 : 0,
      hint: unknownNameHint(name, schema),
    });
  }
  const column = refSql(ref, alias);
  // try_cast gives NULL for text and structs, so the NaN test is safe for any type.
  const sql = `coalesce(isnan(try_cast(${column} as double)), false), ` +
    `${column} ${descending ? "desc" : "asc"} nulls last`;
  return { ref, name, descending, sql };
}
