/**
 * The `trials` and `results` views, whose columns depend on the params and metrics seen. Each
 * trial's params and metrics, pivoted to one typed column per path and metric, are kept in the
 * table `xp_index.wide` (a pivot over every trial per query measured ~80 ms at 10,000 trials; a
 * join with this table, a few ms). An ingest adds the new trials' rows to it; when the set of
 * paths or their types changes, the table and both views are rebuilt.
 *
 * - `trials.tags` is a MAP of the trial's tags, name → value (empty when it has none), so that
 *   `tags['best'] = 'yes'` works in SQL and `tags.best` in a filter.
 * - `trials.params` is a STRUCT with one field per param path, nested at the dots
 *   (`params.model.depth`), typed BIGINT when every value of the path is an integer, DOUBLE when
 *   every value is a number, BOOLEAN when every value is a boolean, else VARCHAR (a string as
 *   itself, anything else as JSON text). `trials.metrics` likewise, always DOUBLE.
 * - Where paths collide in a STRUCT, the nested one wins: `model` = 1 in one trial and
 *   `model.depth` = 4 in another give `params.model.depth`, and `model` = 1 is only in the
 *   `params` view and `results`. Field names equal but for case are one field (the first, in
 *   path order); a path with an empty segment (`a..b`) has no field.
 * - `results` has key, experiment, stage, name, status, then one column per param path (named by
 *   the path, `"model.depth"`), then one per metric. The clash rule: a column whose name is
 *   taken (case-insensitively) by an earlier column (a trial column, then params in path order,
 *   then metrics by name) gets the prefix `param.` or `metric.` (a param `status` is
 *   `"param.status"`; a metric `lr` next to a param `lr` is `"metric.lr"`); one still taken with
 *   its prefix is left out (it remains in `params`/`metrics`).
 *
 * @module
 */

import type { Db } from "./db.ts";
import { LEAF_TYPE } from "./flatten.ts";
import { createSchemaSql, TABLES } from "./schema.ts";

/** The SQL type a param path gets in the views. */
export type PathType = "BIGINT" | "DOUBLE" | "BOOLEAN" | "VARCHAR";

/** A param path and its type. */
export interface TypedPath {
  /** The dotted path. */
  path: string;
  /** Its type. */
  type: PathType;
}

/** The scalar columns of the `trials` view, in order (before `params` and `metrics`). */
export const TRIAL_COLUMNS = [
  "key",
  "experiment",
  "stage",
  "name",
  "status",
  "run_id",
  "attempt",
  "started_at",
  "finished_at",
  "duration_s",
  "exit_code",
  "error",
  "git_commit",
  "parent",
] as const;

const RESULT_COLUMNS = ["key", "experiment", "stage", "name", "status"];

/** Creates a new, empty index: the tables, and every view (for no params and no metrics yet). */
export function createIndexSql(): string {
  return `${createSchemaSql()}\n${shapeSql({ params: {}, metrics: [] })}`;
}

/**
 * What the views are made of: for each param path, a bit per {@linkcode LEAF_TYPE} seen; and the
 * metric names.
 */
export interface ViewShape {
  /** Leaf-type bits by path. */
  params: Record<string, number>;
  /** Metric names. */
  metrics: string[];
}

/** What an ingest changed, for {@linkcode refreshViews}. */
export interface ViewChange {
  /** Rows were deleted (the shape may have shrunk): read it from the tables. */
  deleted: boolean;
  /** The shape of the rows appended. */
  added: ViewShape;
  /** The trial ids appended: `[first, last]`, a range (ids are given out in order). */
  tids: [number, number] | undefined;
}

/**
 * Brings `wide` and the views up to date after an ingest: with `change`, the new trials' rows are
 * added, unless the shape changed; without it (a rebuild), or when the shape changed, `wide` and
 * the views are rebuilt from every trial.
 */
export async function refreshViews(db: Db, change?: ViewChange): Promise<void> {
  const stored = await storedShape(db);
  const shape = change && stored && !change.deleted
    ? mergeShapes(stored, change.added)
    : await scanShape(db);
  if (change && stored && sameShape(shape, stored)) {
    if (change.tids) {
      const [first, last] = change.tids;
      await db.exec(
        `INSERT INTO ${TABLES}.wide ${pivotSql(shape, `tid BETWEEN ${first} AND ${last}`)};`,
      );
    }
    return;
  }
  await db.exec(shapeSql(shape));
}

/** The shape of some param and metric rows: paths with their types, metric names. */
export function shapeOf(
  paths: readonly string[],
  types: ArrayLike<number>,
  metrics: readonly string[],
): ViewShape {
  const params: Record<string, number> = {};
  paths.forEach((path, i) => params[path] = (params[path] ?? 0) | (1 << types[i]!));
  return { params: sortedKeys(params), metrics: [...new Set(metrics)].sort(compare) };
}

function mergeShapes(a: ViewShape, b: ViewShape): ViewShape {
  const params = { ...a.params };
  for (const [path, bits] of Object.entries(b.params)) params[path] = (params[path] ?? 0) | bits;
  return {
    params: sortedKeys(params),
    metrics: [...new Set([...a.metrics, ...b.metrics])].sort(compare),
  };
}

function sameShape(a: ViewShape, b: ViewShape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function storedShape(db: Db): Promise<ViewShape | undefined> {
  const current = await db.query(`SELECT value FROM ${TABLES}.info WHERE name = 'views_shape'`);
  try {
    return JSON.parse(current.rows[0]?.[0] as string) as ViewShape;
  } catch {
    return undefined;
  }
}

async function scanShape(db: Db): Promise<ViewShape> {
  const params = await db.query(
    `SELECT path, bit_or(1 << type) FROM ${TABLES}.param GROUP BY path`,
  );
  const metrics = await db.query(`SELECT DISTINCT name FROM ${TABLES}.metric`);
  return {
    params: sortedKeys(Object.fromEntries(params.rows.map(([path, bits]) => [path, bits]))),
    metrics: metrics.rows.map(([name]) => name as string).sort(compare),
  };
}

/** The SQL type of each path from the leaf types seen. */
function typedPaths(shape: ViewShape): TypedPath[] {
  const bit = (type: number) => 1 << type;
  const numbers = bit(LEAF_TYPE.integer) | bit(LEAF_TYPE.number);
  return Object.entries(shape.params).map(([path, bits]) => {
    const known = bits & ~bit(LEAF_TYPE.null);
    const type: PathType = known === 0
      ? "VARCHAR"
      : known === bit(LEAF_TYPE.integer)
      ? "BIGINT"
      : (known & ~numbers) === 0
      ? "DOUBLE"
      : known === bit(LEAF_TYPE.boolean)
      ? "BOOLEAN"
      : "VARCHAR";
    return { path, type };
  });
}

function sortedKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}

/** Rebuilds `wide` from every trial, the two views over it, and records the shape. */
function shapeSql(shape: ViewShape): string {
  return `CREATE OR REPLACE TABLE ${TABLES}.wide AS ${pivotSql(shape)};
${viewsSql(typedPaths(shape), shape.metrics)}
UPDATE ${TABLES}.info SET value = ${literal(JSON.stringify(shape))} WHERE name = 'views_shape';
`;
}

/**
 * The `wide` rows (tid, p0…, m0…) of the trials matching `where` (all when absent): one typed
 * column per param path and per metric, in the order of the shape.
 */
function pivotSql(shape: ViewShape, where?: string): string {
  const params = typedPaths(shape);
  const filter = where ? ` WHERE ${where}` : "";
  const columns = ["t.tid"];
  let from = `(SELECT tid FROM ${TABLES}.trial${filter}) t`;
  if (params.length > 0) {
    const aggregates = params.map(({ path, type }, i) => `${paramAggregate(path, type)} AS p${i}`);
    from += `\n  LEFT JOIN (SELECT tid, ${
      aggregates.join(", ")
    } FROM ${TABLES}.param${filter} GROUP BY tid) p ON p.tid = t.tid`;
    columns.push(...params.map((_, i) => `p.p${i}`));
  }
  if (shape.metrics.length > 0) {
    const aggregates = shape.metrics.map((name, i) =>
      `any_value(value) FILTER (WHERE name = ${literal(name)}) AS m${i}`
    );
    from += `\n  LEFT JOIN (SELECT tid, ${
      aggregates.join(", ")
    } FROM ${TABLES}.metric${filter} GROUP BY tid) m ON m.tid = t.tid`;
    columns.push(...shape.metrics.map((_, i) => `m.m${i}`));
  }
  return `SELECT ${columns.join(", ")} FROM ${from}`;
}

/** The statements that (re)create `trials` and `results` over `wide` for this shape. */
export function viewsSql(params: readonly TypedPath[], metrics: readonly string[]): string {
  const paramColumns = params.map(({ path }, i) => ({ name: path, column: `w.p${i}` }));
  const metricColumns = metrics.map((name, i) => ({ name, column: `w.m${i}` }));
  const from = `${TABLES}.trial t LEFT JOIN ${TABLES}.wide w ON w.tid = t.tid`;
  const trialColumns = TRIAL_COLUMNS.map((name) => `t.${name}`).join(", ");
  // Tags as a MAP (names vary per trial, and a STRUCT would change shape with every `xp tag`).
  const trials = `CREATE OR REPLACE VIEW trials AS SELECT ${trialColumns},
  ${structSql(paramColumns)} AS params,
  ${structSql(metricColumns)} AS metrics,
  coalesce(g.tags, MAP {}::MAP(VARCHAR, VARCHAR)) AS tags
FROM ${from}
  LEFT JOIN (SELECT tid, map(list(name ORDER BY name), list(value ORDER BY name)) AS tags
    FROM ${TABLES}.tag GROUP BY tid) g ON g.tid = t.tid;`;

  const taken = new Set(RESULT_COLUMNS);
  const resultColumns = RESULT_COLUMNS.map((name) => `t.${name}`);
  // DuckDB matches column names case-insensitively, so "taken" is too.
  const claim = (name: string, prefix: string): string | undefined => {
    for (const candidate of [name, `${prefix}.${name}`]) {
      if (!taken.has(candidate.toLowerCase())) {
        taken.add(candidate.toLowerCase());
        return candidate;
      }
    }
    return undefined;
  };
  for (const { name, column } of paramColumns) {
    const as = claim(name, "param");
    if (as !== undefined) resultColumns.push(`${column} AS ${identifier(as)}`);
  }
  for (const { name, column } of metricColumns) {
    const as = claim(name, "metric");
    if (as !== undefined) resultColumns.push(`${column} AS ${identifier(as)}`);
  }
  const results = `CREATE OR REPLACE VIEW results AS SELECT ${resultColumns.join(", ")}
FROM ${from};`;
  return `${trials}\n${results}\n`;
}

function paramAggregate(path: string, type: PathType): string {
  const where = `path = ${literal(path)}`;
  switch (type) {
    case "BIGINT":
      return `CAST(any_value(num) FILTER (WHERE ${where}) AS BIGINT)`;
    case "DOUBLE":
      return `any_value(num) FILTER (WHERE ${where})`;
    case "BOOLEAN":
      return `any_value(value = 'true') FILTER (WHERE ${where} AND type = ${LEAF_TYPE.boolean})`;
    case "VARCHAR":
      return `any_value(CASE WHEN type = ${LEAF_TYPE.string} THEN json_extract_string(value, '$') ELSE value END) FILTER (WHERE ${where} AND type <> ${LEAF_TYPE.null})`;
  }
}

interface StructNode {
  name: string;
  column?: string;
  children?: Map<string, StructNode>;
}

/** A nested `struct_pack` over dotted names; a MAP-typed NULL when there are none. */
function structSql(columns: readonly { name: string; column: string }[]): string {
  const root = new Map<string, StructNode>();
  for (const { name, column } of columns) {
    const segments = name.split(".");
    if (segments.some((segment) => segment === "")) continue;
    let level = root;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const id = segment.toLowerCase();
      const existing = level.get(id);
      if (i === segments.length - 1) {
        if (existing === undefined) level.set(id, { name: segment, column });
        break;
      }
      if (existing === undefined || existing.children === undefined) {
        // A nested path wins over a leaf of the same name.
        const node: StructNode = { name: existing?.name ?? segment, children: new Map() };
        level.set(id, node);
        level = node.children!;
      } else level = existing.children;
    }
  }
  if (root.size === 0) return "CAST(NULL AS MAP(VARCHAR, VARCHAR))";
  return pack(root);
}

function pack(level: Map<string, StructNode>): string {
  const fields = [...level.values()].map((node) =>
    `${identifier(node.name)} := ${node.children ? pack(node.children) : node.column}`
  );
  return `struct_pack(${fields.join(", ")})`;
}

/** A SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
