/**
 * Resolving bare names of `--filter` and `--sort` to columns: a name is a param path first, then
 * a metric, then a trial column (ARCHITECTURE section 8). `params.x` and `metrics.x` reach one
 * that is shadowed; `tags.x` is the tag `x` (set by `xp tag`).
 *
 * @module
 */

import { closest } from "./closest.ts";
import { TRIAL_COLUMNS } from "../store/views.ts";

/** The columns of the `trials` view a filter may name. */
export { TRIAL_COLUMNS };

/** The names a filter can use, read from the index (or from planned trials). */
export interface NameSchema {
  /** Param paths (dotted, leaves). */
  params: readonly string[];
  /** Metric names. */
  metrics: readonly string[];
  /** Trial columns available (a subset of {@linkcode TRIAL_COLUMNS} before trials have run). */
  columns: readonly string[];
  /** Tag names (none before trials have run). */
  tags?: readonly string[];
}

/** What a name refers to. */
export type NameRef =
  /** a param: a leaf (`lr`) or a struct of them (`model`) */
  | { kind: "param"; path: string[] }
  /** a metric */
  | { kind: "metric"; name: string }
  /** a column of the `trials` view */
  | { kind: "column"; name: string }
  /** the whole `params` or `metrics` struct */
  | { kind: "struct"; name: "params" | "metrics" }
  /** a tag (a VARCHAR, NULL where a trial lacks it) */
  | { kind: "tag"; name: string };

/**
 * What the dotted name `parts` refers to, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveName } from "./names.ts";
 * const schema = { params: ["lr", "model.depth"], metrics: ["lr", "acc"], columns: ["status"] };
 * assert.deepEqual(resolveName(["lr"], schema), { kind: "param", path: ["lr"] });
 * assert.deepEqual(resolveName(["metrics", "lr"], schema), { kind: "metric", name: "lr" });
 * assert.deepEqual(resolveName(["model"], schema), { kind: "param", path: ["model"] });
 * assert.deepEqual(resolveName(["tags", "best"], { ...schema, tags: ["best"] }), {
 *   kind: "tag",
 *   name: "best",
 * });
 * ```
 */
export function resolveName(parts: readonly string[], schema: NameSchema): NameRef | undefined {
  const full = parts.join(".");
  if (schema.params.includes(full)) return { kind: "param", path: [...parts] };
  if (schema.metrics.includes(full)) return { kind: "metric", name: full };
  if (parts.length === 1 && schema.columns.includes(full)) return { kind: "column", name: full };
  const [head, ...rest] = parts;
  const restName = rest.join(".");
  if (head === "params") {
    if (rest.length === 0) return { kind: "struct", name: "params" };
    if (isParamOrPrefix(restName, schema)) return { kind: "param", path: rest };
  }
  if (head === "metrics") {
    if (rest.length === 0) return { kind: "struct", name: "metrics" };
    if (schema.metrics.includes(restName)) return { kind: "metric", name: restName };
  }
  if (head === "tags" && schema.tags?.includes(restName)) return { kind: "tag", name: restName };
  if (isParamOrPrefix(full, schema)) return { kind: "param", path: [...parts] };
  return undefined;
}

function isParamOrPrefix(path: string, schema: NameSchema): boolean {
  return schema.params.some((p) => p === path || p.startsWith(path + "."));
}

/** Every name a user can write, for "did you mean". */
export function knownNames(schema: NameSchema): string[] {
  const tags = (schema.tags ?? []).map((name) => `tags.${name}`);
  return [...new Set([...schema.params, ...schema.metrics, ...schema.columns, ...tags])];
}

/** `did you mean "lr" or "lr_decay"?`, or a list of some known names when none is close. */
export function unknownNameHint(name: string, schema: NameSchema): string {
  const names = knownNames(schema);
  const near = closest(name, names, 3);
  if (near.length > 0) return `did you mean ${near.map((n) => `"${n}"`).join(" or ")}?`;
  const sample = (list: readonly string[]) =>
    list.length === 0
      ? "none"
      : list.slice(0, 8).join(", ") + (list.length > 8 ? `, … (${list.length})` : "");
  const tags = schema.tags?.length ? `; tags: ${sample(schema.tags.map((t) => `tags.${t}`))}` : "";
  return `params: ${sample(schema.params)}; metrics: ${sample(schema.metrics)}; ` +
    `trial columns: ${sample(schema.columns)}${tags}`;
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A SQL quoted identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The SQL for `ref` over a row source shaped like the `trials` view under `alias`: params and
 * metrics are STRUCT columns nested at the dots, read field by field so that a name with a space
 * or a quote is safe.
 */
export function refSql(ref: NameRef, alias: string): string {
  const on = alias ? `${alias}.` : "";
  switch (ref.kind) {
    case "param":
      return `${on}"params"${ref.path.map((p) => `[${sqlString(p)}]`).join("")}`;
    case "metric":
      // The index nests metrics at the dots too (`metrics.val.loss`).
      return `${on}"metrics"${ref.name.split(".").map((p) => `[${sqlString(p)}]`).join("")}`;
    case "column":
      return `${on}${sqlIdent(ref.name)}`;
    case "struct":
      return `${on}${sqlIdent(ref.name)}`;
    case "tag":
      return `${on}"tags"[${sqlString(ref.name)}]`;
  }
}
