/**
 * What `xp ls` does once its arguments are parsed: one query over the `trials` (or `runs`) view
 * with the filter, status, sort and limit compiled in, printed as a table, NDJSON or CSV.
 *
 * @module
 */

import { EXIT, SqlError } from "../errors.ts";
import { compileFilter, filterError, loadNameSchema } from "../query/filter.ts";
import { formatDuration, formatNumber, pruneNulls } from "../query/display.ts";
import { sqlString } from "../query/names.ts";
import { valueAt } from "../query/trial.ts";
import { type TrialRow, unindexedTrials } from "../query/unindexed.ts";
import { compileSort } from "../query/sort.ts";
import type { Store } from "../store/store.ts";
import type { Deps } from "./command.ts";
import type { LsArgs } from "./ls.ts";
import { printRows } from "./_output_format.ts";
import { withQueryStore } from "./_query_store.ts";
import { TRIAL_COLUMNS } from "../store/views.ts";

/** How many metrics the table shows. */
const TABLE_METRICS = 4;

/** The columns of `trials` that `xp ls --json` prints, in order. */
const TRIAL_FIELDS = [
  ...TRIAL_COLUMNS.filter((column) => column !== "git_commit"),
  "params",
  "metrics",
] as const;

/** Runs `xp ls`; returns the exit code. */
export function listTrialsOrRuns(args: LsArgs, deps: Deps): Promise<number> {
  return withQueryStore(
    deps,
    (store) => args.runs ? listRuns(store, args, deps) : listTrials(store, args, deps),
  );
}

async function listTrials(store: Store, args: LsArgs, deps: Deps): Promise<number> {
  const schema = await loadNameSchema(store);
  const filter = args.filter === undefined ? undefined : compileFilter(args.filter, schema);
  const sort = args.sort === undefined ? undefined : compileSort(args.sort, schema);
  let sql = `select ${TRIAL_FIELDS.map((f) => `t.${f}`).join(", ")} from trials t where true`;
  if (args.status.length > 0) sql += ` and t.status in (${args.status.map(sqlString).join(", ")})`;
  let offset = -1;
  if (filter !== undefined) {
    sql += " and (";
    offset = sql.length;
    sql += `${filter.sql})`;
  }
  sql += ` order by ${sort?.sql ?? "t.started_at desc nulls last"}, t.stage, t.name, t.key`;
  if (args.limit !== undefined) sql += ` limit ${args.limit}`;
  let result;
  try {
    result = await store.query(sql);
  } catch (error) {
    if (error instanceof SqlError && filter !== undefined) throw filterError(error, filter, offset);
    throw error;
  }
  let trials = result.rows.map((row) => {
    const object = Object.fromEntries(
      TRIAL_FIELDS.map((f, i) => [f, row[i]]),
    ) as unknown as TrialRow;
    // The index's structs have every key any trial has; a trial's own are the non-null ones.
    object.params = (pruneNulls(object.params) ?? {}) as Record<string, unknown>;
    object.metrics = (pruneNulls(object.metrics) ?? {}) as Record<string, unknown>;
    return object;
  });
  // Running and queued trials are not in the index yet; without a filter or sort they lead.
  if (filter === undefined && sort === undefined) {
    const live = (await unindexedTrials(store)).filter((t) =>
      args.status.length === 0 || args.status.includes(t.status)
    );
    trials = [...live, ...trials].slice(0, args.limit ?? Infinity);
  }
  const tags = await tagsByKey(store);
  const { output } = deps;
  if (args.format === "json") {
    for (const trial of trials) {
      output.out(JSON.stringify({ ...trial, tags: tags.get(trial.key) ?? {} }));
    }
    return EXIT.ok;
  }
  // The tags column is shown only when a listed trial has tags, keeping the usual table narrow.
  const tagText = (t: TrialRow) =>
    Object.entries(tags.get(t.key) ?? {}).map(([n, v]) => `${n}=${v}`).join(" ");
  const withTags = trials.some((t) => tags.has(t.key));
  const tagLabels = withTags ? ["tags"] : [];
  const tagCells = (t: TrialRow) => (withTags ? [tagText(t)] : []);
  const metrics = await tableMetrics(
    store,
    sort?.ref.kind === "metric" ? sort.ref.name : undefined,
  );
  const shown = [
    ...(sort?.ref.kind === "param"
      ? [{ label: sort.name, get: (t: TrialRow) => valueAt(t.params, sort.name) }]
      : []),
    ...metrics.map((m) => ({ label: m, get: (t: TrialRow) => valueAt(t.metrics, m) })),
  ];
  const cells = (t: TrialRow) => shown.map((s) => s.get(t) ?? null);
  if (args.format === "csv") {
    printRows(
      output,
      "csv",
      ["key", "stage", "name", "status", "duration_s", ...tagLabels, ...shown.map((s) => s.label)],
      trials.map((
        t,
      ) => [t.key, t.stage, t.name, t.status, t.duration_s, ...tagCells(t), ...cells(t)]),
    );
    return EXIT.ok;
  }
  printRows(
    output,
    "table",
    ["key", "stage", "name", "status", "duration", ...tagLabels, ...shown.map((s) => s.label)],
    trials.map((t) => [
      t.key.slice(0, 8),
      t.stage,
      t.name,
      t.status,
      formatDuration(t.duration_s),
      ...tagCells(t),
      ...cells(t).map(formatNumber),
    ]),
  );
  if (!deps.global.quiet && output.isTerminal) {
    output.err(`(${trials.length} trial${trials.length === 1 ? "" : "s"})`);
  }
  return EXIT.ok;
}

/** The metrics the table shows: the sorted one first, then the most common ones. */
async function tableMetrics(store: Store, first: string | undefined): Promise<string[]> {
  const result = await store.query(
    "select name from metrics group by name order by count(*) desc, name limit " +
      (TABLE_METRICS + 1),
  );
  const names = result.rows.map((r) => String(r[0]));
  return [...new Set([...(first === undefined ? [] : [first]), ...names])].slice(0, TABLE_METRICS);
}

async function listRuns(store: Store, args: LsArgs, deps: Deps): Promise<number> {
  let sql = "select run_id, status, started_at, finished_at, argv, counts from runs where true";
  if (args.status.length > 0) sql += ` and status in (${args.status.map(sqlString).join(", ")})`;
  sql += " order by run_id desc";
  if (args.limit !== undefined) sql += ` limit ${args.limit}`;
  const result = await store.query(sql);
  const columns = result.columns.map((c) => c.name);
  const { output } = deps;
  if (args.format !== "table") {
    printRows(output, args.format, columns, result.rows);
    return EXIT.ok;
  }
  const rows = result.rows.map(([id, status, started, finished, argv, counts]) => [
    id,
    status,
    started,
    formatDuration(secondsBetween(started, finished)),
    countsText(counts),
    Array.isArray(argv) ? `xp ${argv.join(" ")}` : argv,
  ]);
  printRows(
    output,
    "table",
    ["run", "status", "started_at", "duration", "trials", "command"],
    rows,
  );
  return EXIT.ok;
}

function secondsBetween(start: unknown, end: unknown): number | null {
  const a = Date.parse(String(start));
  const b = Date.parse(String(end));
  return Number.isFinite(a) && Number.isFinite(b) ? (b - a) / 1000 : null;
}

/** `ok 3, failed 1` from a counts object (or its JSON text). */
function countsText(counts: unknown): string {
  let object = counts;
  if (typeof counts === "string") {
    try {
      object = JSON.parse(counts);
    } catch {
      return counts;
    }
  }
  if (typeof object !== "object" || object === null) return "";
  return Object.entries(object)
    .filter(([, n]) => typeof n === "number" && n > 0)
    .map(([state, n]) => `${state} ${n}`)
    .join(", ");
}

/** Every indexed trial's tags, by key. */
async function tagsByKey(store: Store): Promise<Map<string, Record<string, string>>> {
  const result = await store.query("select key, name, value from tags order by key, name");
  const tags = new Map<string, Record<string, string>>();
  for (const [key, name, value] of result.rows) {
    const own = tags.get(String(key)) ?? {};
    own[String(name)] = String(value);
    tags.set(String(key), own);
  }
  return tags;
}
