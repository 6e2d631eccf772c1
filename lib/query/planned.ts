/**
 * `xp run --filter` over planned trials: the filter is compiled exactly as for the index
 * (lib/query/filter.ts) and run by the store's SQL engine over the planned rows given as a
 * VALUES table shaped like the `trials` view, so `xp run --filter` and `xp ls --filter` agree.
 *
 * @module
 */

import { SqlError } from "../errors.ts";
import type { Store } from "../store/store.ts";
import { compileFilter, filterError } from "./filter.ts";
import type { NameSchema } from "./names.ts";

/** A trial before it runs, as `xp run --filter` sees it. */
export interface PlannedRow {
  /** The resolved config. */
  params: Record<string, unknown>;
  /** The trial's key. */
  key?: string;
  /** The stage. */
  stage?: string;
  /** The trial's name. */
  name?: string;
  /** The experiment. */
  experiment?: string;
}

const PLANNED_COLUMNS = ["key", "stage", "name", "experiment"] as const;

/** Rows per query: keeps each statement small for sweeps of many thousand trials. */
const BATCH = 500;

/**
 * Which of `rows` match `expr`. Params are typed as the index types them (BIGINT when every
 * value of a path is an integer, DOUBLE when every one is a number, BOOLEAN, else VARCHAR with
 * strings as themselves and other values as JSON), nested at the dots, a nested path winning
 * over a leaf of the same name. Metrics and run-time columns (status, …) do not exist yet, so
 * they are unknown names here.
 *
 * @throws {SqlError} on an unknown name or bad SQL, pointing into `expr`
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryStore } from "../store/mod.ts";
 * import { filterPlanned } from "./planned.ts";
 * const dir = await Deno.makeTempDir();
 * const store = await memoryStore(dir);
 * const rows = [
 *   { stage: "train", params: { lr: 0.1, model: { depth: 2 } } },
 *   { stage: "train", params: { lr: 0.01, model: { depth: 4 } } },
 * ];
 * assert.deepEqual(await filterPlanned(store, "lr < 0.05 and model.depth > 2", rows), [false, true]);
 * await store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function filterPlanned(
  store: Pick<Store, "query">,
  expr: string,
  rows: readonly PlannedRow[],
): Promise<boolean[]> {
  if (rows.length === 0) return [];
  const shape = paramShape(rows.map((r) => r.params));
  const schema: NameSchema = {
    params: [...shape.keys()].sort(),
    metrics: [],
    columns: PLANNED_COLUMNS.filter((c) => rows.some((r) => r[c] !== undefined)),
  };
  const filter = compileFilter(expr, schema);
  const matched = new Array<boolean>(rows.length).fill(false);
  for (let from = 0; from < rows.length; from += BATCH) {
    const values = rows.slice(from, from + BATCH).map((row, j) => {
      const columns = PLANNED_COLUMNS.map((c) => literal(row[c] ?? null, "VARCHAR"));
      return `(${from + j}, ${columns.join(", ")}, ${structLiteral(row.params, shape)})`;
    });
    const prefix = `select i from (values ${values.join(", ")}) ` +
      `as t(i, ${PLANNED_COLUMNS.join(", ")}, params) where (`;
    let result;
    try {
      result = await store.query(`${prefix}${filter.sql})`);
    } catch (error) {
      if (error instanceof SqlError) throw filterError(error, filter, prefix.length);
      throw error;
    }
    for (const [i] of result.rows) matched[Number(i)] = true;
  }
  return matched;
}

/** The SQL type of a param path, as lib/store/views.ts types it. */
type PathType = "BIGINT" | "DOUBLE" | "BOOLEAN" | "VARCHAR";

/** Every leaf path of `configs` and its type; a leaf that another path nests under is left out. */
function paramShape(configs: readonly Record<string, unknown>[]): Map<string, PathType> {
  const kinds = new Map<string, Set<string>>();
  const visit = (value: unknown, path: string) => {
    if (isPlainObject(value) && (Object.keys(value).length > 0 || path === "")) {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
      return;
    }
    const set = kinds.get(path) ?? new Set();
    set.add(kindOf(value));
    kinds.set(path, set);
  };
  for (const config of configs) visit(config, "");
  const paths = [...kinds.keys()];
  const shape = new Map<string, PathType>();
  for (const [path, set] of kinds) {
    if (path.split(".").some((p) => p === "")) continue;
    // As in the index's STRUCT, a nested path wins over a leaf of the same name.
    if (paths.some((p) => p.startsWith(path + "."))) continue;
    set.delete("null");
    const only = (kind: string) => set.size > 0 && [...set].every((k) => k === kind);
    shape.set(
      path,
      set.size > 0 && [...set].every((k) => k === "integer")
        ? "BIGINT"
        : set.size > 0 && [...set].every((k) => k === "integer" || k === "number")
        ? "DOUBLE"
        : only("boolean")
        ? "BOOLEAN"
        : "VARCHAR",
    );
  }
  return shape;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isSafeInteger(value) ? "integer" : "number";
  if (typeof value === "boolean" || typeof value === "string") return typeof value;
  return "json";
}

/** A STRUCT literal with every path of `shape`, missing ones NULL, so all rows have one type. */
function structLiteral(config: Record<string, unknown>, shape: Map<string, PathType>): string {
  if (shape.size === 0) return "NULL";
  const tree = new Map<string, unknown>();
  for (const path of shape.keys()) {
    let node = tree;
    const parts = path.split(".");
    for (const part of parts.slice(0, -1)) {
      if (!(node.get(part) instanceof Map)) node.set(part, new Map());
      node = node.get(part) as Map<string, unknown>;
    }
    node.set(parts.at(-1)!, path);
  }
  const render = (node: Map<string, unknown>): string => {
    const fields = [...node].map(([k, v]) =>
      `${literal(k, "VARCHAR")}: ${
        v instanceof Map ? render(v) : literal(leafAt(config, v as string), shape.get(v as string)!)
      }`
    );
    return `{${fields.join(", ")}}`;
  };
  return render(tree);
}

function leafAt(config: Record<string, unknown>, path: string): unknown {
  let value: unknown = config;
  for (const part of path.split(".")) {
    if (!isPlainObject(value)) return null;
    value = value[part];
  }
  // An object left here is a leaf of a path that nests elsewhere; it has no value of this type.
  return isPlainObject(value) && Object.keys(value).length > 0 ? null : value ?? null;
}

function literal(value: unknown, type: PathType): string {
  if (value === null || value === undefined) return `NULL::${type}`;
  if (type === "BIGINT") return `${value}::BIGINT`;
  if (type === "DOUBLE") {
    const n = value as number;
    return Number.isFinite(n) ? `${n}::DOUBLE` : `'${n}'::DOUBLE`;
  }
  if (type === "BOOLEAN") return value ? "true" : "false";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
