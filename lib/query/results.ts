/**
 * `openResults(storeDir)`: a store's trials as a {@linkcode TrialCollection}, with the helpers of
 * repx-py's Experiment (effective params, output paths, CSV loading) and the step series.
 *
 * @module
 */

import { isAbsolute, join, normalize, relative } from "node:path";
import type { QueryResult, Store } from "../store/store.ts";
import { TrialCollection } from "./collection.ts";
import { parseCsv, type ParseCsvOptions } from "./csv_parse.ts";
import { readJson } from "./resolve.ts";
import type { Trial } from "./trial.ts";

/** One point of a scalar series, as {@linkcode Results.scalars} returns it. */
export interface ScalarRow {
  /** The trial's key. */
  key: string;
  /** The series' name. */
  name: string;
  /** The step. */
  step: number;
  /** The value; non-finite values as "NaN", "Infinity", "-Infinity". */
  value: number | string;
  /** Seconds since the epoch when it was logged, when known. */
  time: number | null;
  /** The context (canonical JSON text), or null. */
  context: string | null;
}

/** A store's results, loaded once; {@linkcode Results.reload} reads them again. */
export interface Results {
  /** The store's directory. */
  readonly storeDir: string;
  /** Every trial, oldest first (then by stage and name). */
  trials(): TrialCollection;
  /** The trial with this key, key prefix, name or STAGE/NAME (throws when none or several). */
  get(keyOrName: string): Trial;
  /** Each trial's effective params by key (repx's `effective_params`). */
  readonly effectiveParams: Record<string, Record<string, unknown>>;
  /**
   * The path of `file` in a trial's `out/` directory (repx's `get_output_path`).
   *
   * @throws {RangeError} when `file` leaves `out/`
   */
  outputPath(trial: Trial | string, file: string): string;
  /** Reads a CSV file of a trial's `out/` into records (numbers converted, empty as null). */
  loadCsv(
    trial: Trial | string,
    file: string,
    options?: ParseCsvOptions,
  ): Promise<Record<string, unknown>[]>;
  /** Every point of the scalar series `name`, of the given trials or all, by key then step. */
  scalars(name: string, trials?: Iterable<Trial> | TrialCollection): Promise<ScalarRow[]>;
  /** Read-only SQL over the index's views. */
  sql(query: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** Reads the trials again (after more have finished). */
  reload(): Promise<void>;
  /** Releases the store. */
  close(): Promise<void>;
}

/** Loads every trial of `store` (index rows, params, metrics, and each trial's meta.json). */
export async function loadTrials(store: Pick<Store, "query" | "layout">): Promise<Trial[]> {
  const [rows, params, metrics] = await Promise.all([
    store.query(
      "select key, experiment, stage, name, status, run_id, attempt, started_at, finished_at, " +
        "duration_s, exit_code, error, git_commit from trials " +
        "order by started_at nulls last, stage, name, key",
    ),
    store.query("select key, path, value from params order by key, path"),
    store.query("select key, name, value from metrics order by key, name"),
  ]);
  const paramsByKey = new Map<string, Record<string, unknown>>();
  for (const [key, path, value] of params.rows) {
    const object = paramsByKey.get(String(key)) ?? {};
    setPath(object, String(path), parseJson(value));
    paramsByKey.set(String(key), object);
  }
  const metricsByKey = new Map<string, Record<string, number | string | null>>();
  for (const [key, name, value] of metrics.rows) {
    const object = metricsByKey.get(String(key)) ?? {};
    object[String(name)] = value as number | string | null;
    metricsByKey.set(String(key), object);
  }
  const trials: Trial[] = [];
  // Reading thousands of meta.json files one by one is slow; a bounded batch keeps handles in check.
  const batch = 256;
  for (let i = 0; i < rows.rows.length; i += batch) {
    const slice = rows.rows.slice(i, i + batch);
    const metas = await Promise.all(
      slice.map((r) => readJson(join(store.layout.trials, String(r[0]), "meta.json"))),
    );
    slice.forEach((r, j) => {
      const key = String(r[0]);
      const meta = metas[j];
      const own = paramsByKey.get(key) ?? {};
      trials.push({
        key,
        experiment: String(r[1]),
        stage: String(r[2]),
        name: String(r[3]),
        status: String(r[4]),
        runId: r[5] as string | null,
        attempt: r[6] as number | null,
        startedAt: r[7] as string | null,
        finishedAt: r[8] as string | null,
        durationS: typeof r[9] === "number" ? r[9] : null,
        exitCode: r[10] as number | null,
        error: r[11] as string | null,
        gitCommit: r[12] as string | null,
        params: own,
        metrics: metricsByKey.get(key) ?? {},
        swept: isObject(meta?.swept) ? meta.swept : {},
        effectiveParams: isObject(meta?.effective_params) ? meta.effective_params : own,
        deps: Array.isArray(meta?.deps) ? meta.deps.map(String) : [],
        dir: join(store.layout.trials, key),
      });
    });
  }
  return trials;
}

/** The {@linkcode Results} over an open store (the caller keeps owning it unless `owned`). */
export async function resultsOf(store: Store, owned: boolean): Promise<Results> {
  let collection = new TrialCollection(await loadTrials(store));
  const trialOf = (trial: Trial | string) =>
    typeof trial === "string" ? collection.get(trial) : trial;
  const outputPath = (trial: Trial | string, file: string) => {
    const out = join(trialOf(trial).dir, "out");
    const path = normalize(join(out, file));
    const rel = relative(out, path);
    if (isAbsolute(file) || rel.startsWith("..") || rel === "") {
      throw new RangeError(`"${file}" is not a file inside the trial's out/ directory`);
    }
    return path;
  };
  return {
    storeDir: store.layout.root,
    trials: () => collection,
    get: (keyOrName) => collection.get(keyOrName),
    get effectiveParams() {
      return collection.effectiveParams;
    },
    outputPath,
    async loadCsv(trial, file, options) {
      return parseCsv(await Deno.readTextFile(outputPath(trial, file)), options);
    },
    async scalars(name, trials) {
      const keys = trials === undefined ? undefined : [...trials].map((t) => t.key);
      if (keys !== undefined && keys.length === 0) return [];
      const where = keys === undefined ? "" : ` and key in (${keys.map(() => "?").join(", ")})`;
      const result = await store.query(
        `select key, name, step, value, time, context from scalars where name = ?${where} order by key, step`,
        [name, ...(keys ?? [])],
      );
      return result.rows.map(([key, n, step, value, time, context]) => ({
        key: String(key),
        name: String(n),
        step: Number(step),
        value: value as number | string,
        time: typeof time === "number" ? time : null,
        context: context === null || context === undefined
          ? null
          : typeof context === "string"
          ? context
          : JSON.stringify(context),
      }));
    },
    sql: (query, params) => store.query(query, params),
    async reload() {
      collection = new TrialCollection(await loadTrials(store));
    },
    async close() {
      if (owned) await store.close();
    },
  };
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = object;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
