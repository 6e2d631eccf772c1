/**
 * `--filter EXPR`: a SQL boolean expression whose bare names are params, then metrics, then trial
 * columns (ARCHITECTURE section 8), compiled to SQL over a row source shaped like the `trials`
 * view. `xp ls` runs it against the index; `xp run --filter` runs the same SQL over planned trials
 * ({@linkcode filterPlanned}), so both agree on every expression.
 *
 * @module
 */

import { SqlError } from "../errors.ts";
import type { Store } from "../store/store.ts";
import { type NameSchema, refSql, resolveName, TRIAL_COLUMNS, unknownNameHint } from "./names.ts";
import { type Token, tokenize } from "./tokens.ts";

/** Words that are SQL, never names (a name spelled like one is written quoted: `"end"`). */
const KEYWORDS = new Set([
  "all",
  "and",
  "any",
  "array",
  "as",
  "between",
  "case",
  "cast",
  "collate",
  "distinct",
  "else",
  "end",
  "escape",
  "exists",
  "false",
  "from",
  "glob",
  "ilike",
  "in",
  "is",
  "isnull",
  "like",
  "not",
  "notnull",
  "null",
  "or",
  "similar",
  "some",
  "then",
  "true",
  "when",
]);

/** A compiled filter. */
export interface CompiledFilter {
  /** The expression as the user wrote it. */
  source: string;
  /** The SQL boolean expression, to put in parentheses after `WHERE`. */
  sql: string;
  /** Maps an offset in `sql` back to the offset in `source` it came from. */
  sourceOffset(offset: number): number;
}

/** Options of {@linkcode compileFilter}. */
export interface CompileOptions {
  /** The row source's alias in the query (`t` in `from trials t`). @default {"t"} */
  alias?: string;
  /** How the expression is called in messages. @default {"--filter"} */
  what?: string;
}

/**
 * Compiles `expr` against the names in `schema`.
 *
 * @throws {SqlError} on a name that is not a param, metric or trial column (with the closest
 *   ones as a hint), and on a malformed token
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileFilter } from "./filter.ts";
 * const schema = { params: ["lr", "model.depth"], metrics: ["acc"], columns: ["status"] };
 * const { sql } = compileFilter("lr < 0.05 and model.depth > 2 and status = 'ok'", schema);
 * assert.equal(sql, `t."params"['lr'] < 0.05 and t."params"['model']['depth'] > 2 and t."status" = 'ok'`);
 * ```
 */
export function compileFilter(
  expr: string,
  schema: NameSchema,
  options: CompileOptions = {},
): CompiledFilter {
  const alias = options.alias ?? "t";
  const what = options.what ?? "--filter";
  const tokens = tokenize(expr, what);
  if (tokens.every((t) => t.kind === "space")) {
    throw new SqlError(`${what} is empty`, {
      sql: expr,
      hint: `write an expression such as ${what} "lr < 0.05 and status = 'ok'"`,
    });
  }
  const pieces: { text: string; from: number }[] = [];
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i]!;
    const chain = nameChain(tokens, i);
    if (chain === undefined || !isName(tokens, i, chain.next)) {
      pieces.push({ text: expr.slice(token.start, token.end), from: token.start });
      i++;
      continue;
    }
    const ref = resolveName(chain.parts, schema);
    if (ref === undefined) {
      const name = chain.parts.join(".");
      throw new SqlError(`Unknown name "${name}" in ${what}`, {
        sql: expr,
        position: token.start,
        hint: unknownNameHint(name, schema),
      });
    }
    pieces.push({ text: refSql(ref, alias), from: token.start });
    i = chain.next;
  }
  const starts: number[] = [];
  let sql = "";
  for (const piece of pieces) {
    starts.push(sql.length);
    sql += piece.text;
  }
  return {
    source: expr,
    sql,
    sourceOffset(offset) {
      let k = 0;
      while (k + 1 < starts.length && starts[k + 1]! <= offset) k++;
      return pieces[k]?.from ?? 0;
    },
  };
}

/** The parts of the dotted name starting at `i` (`model.depth`, `metrics."val loss"`). */
function nameChain(
  tokens: readonly Token[],
  i: number,
): { parts: string[]; next: number } | undefined {
  const first = tokens[i];
  if (first?.kind !== "word" && first?.kind !== "quoted") return undefined;
  const parts = [first.text];
  let next = i + 1;
  while (
    tokens[next]?.kind === "dot" &&
    (tokens[next + 1]?.kind === "word" || tokens[next + 1]?.kind === "quoted")
  ) {
    parts.push(tokens[next + 1]!.text);
    next += 2;
  }
  return { parts, next };
}

/** Whether the chain at `i..next` names a column: not a keyword, function, type or typed literal. */
function isName(tokens: readonly Token[], i: number, next: number): boolean {
  const first = tokens[i]!;
  const single = next === i + 1;
  if (first.kind === "word" && single && KEYWORDS.has(first.text.toLowerCase())) return false;
  const after = significant(tokens, next, 1);
  if (after?.kind === "op" && after.text === "(") return false;
  if (first.kind === "word" && single && after?.kind === "string") return false;
  const before = significant(tokens, i - 1, -1);
  if (before?.kind === "op" && before.text === "::") return false;
  if (before?.kind === "word" && before.text.toLowerCase() === "as") return false;
  return true;
}

function significant(tokens: readonly Token[], i: number, step: 1 | -1): Token | undefined {
  while (tokens[i]?.kind === "space") i += step;
  return tokens[i];
}

/**
 * Rewrites an error DuckDB raised for a query that embeds `filter.sql` at `offset` so that it
 * points into the filter as the user wrote it.
 */
export function filterError(
  error: SqlError,
  filter: CompiledFilter,
  offset: number,
  what = "--filter",
): SqlError {
  const inside = error.position !== undefined && error.position >= offset &&
    error.position <= offset + filter.sql.length;
  const message = error.message.replace(/\n\s*LINE \d+:[\s\S]*$/, "").trim();
  return new SqlError(`${message} (in ${what})`, {
    sql: filter.source,
    ...(inside ? { position: filter.sourceOffset(error.position! - offset) } : {}),
    hint: `${what} is a SQL boolean expression, e.g. "lr < 0.05 and status = 'ok'"`,
  });
}

/**
 * The names a filter over the index can use: param paths, metric names and tag names found in
 * the index, and every trial column.
 */
export async function loadNameSchema(store: Pick<Store, "query">): Promise<NameSchema> {
  const result = await store.query(
    "select 'param' as kind, path as name from (select distinct path from params) " +
      "union all select 'metric', name from (select distinct name from metrics) " +
      "union all select 'tag', name from (select distinct name from tags) order by 1, 2",
  );
  const found: Record<string, string[]> = { param: [], metric: [], tag: [] };
  for (const [kind, name] of result.rows) found[String(kind)]!.push(String(name));
  return {
    params: found.param!,
    metrics: found.metric!,
    columns: [...TRIAL_COLUMNS],
    tags: found.tag!,
  };
}
