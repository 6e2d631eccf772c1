/**
 * A trial as the query API returns it, and reading values out of it by path.
 *
 * @module
 */

/** One trial: what it is, how it ended, its params and metrics. */
export interface Trial {
  /** sha256 hex. */
  key: string;
  /** The experiment's name. */
  experiment: string;
  /** The stage. */
  stage: string;
  /** The trial's name (unique within its stage). */
  name: string;
  /** `ok`, `failed`, `running`, … */
  status: string;
  /** The run that last ran it. */
  runId: string | null;
  /** 1 for the first attempt. */
  attempt: number | null;
  /** ISO 8601. */
  startedAt: string | null;
  /** ISO 8601. */
  finishedAt: string | null;
  /** Wall time in seconds. */
  durationS: number | null;
  /** The process's exit code. */
  exitCode: number | null;
  /** What went wrong, when it did not end `ok`. */
  error: string | null;
  /** The git commit of the experiment directory. */
  gitCommit: string | null;
  /** The resolved config. */
  params: Record<string, unknown>;
  /** Final metrics by name (non-finite values as "NaN", "Infinity", "-Infinity"). */
  metrics: Record<string, number | string | null>;
  /** The swept values that made it, by path (`lr`, `model.depth`). */
  swept: Record<string, unknown>;
  /** The config plus the params inherited from its dependencies. */
  effectiveParams: Record<string, unknown>;
  /** Keys of the trials it depends on. */
  deps: string[];
  /** Its directory in the store. */
  dir: string;
}

/** Trial fields a lookup or a row may name, by their SQL (snake_case) name. */
export const TRIAL_FIELDS: Record<string, keyof Trial> = {
  key: "key",
  experiment: "experiment",
  stage: "stage",
  name: "name",
  status: "status",
  run_id: "runId",
  attempt: "attempt",
  started_at: "startedAt",
  finished_at: "finishedAt",
  duration_s: "durationS",
  exit_code: "exitCode",
  error: "error",
  git_commit: "gitCommit",
};

/** The value at a dotted `path` of a nested object, or `undefined` when absent. */
export function valueAt(object: unknown, path: string): unknown {
  if (Object.hasOwn(asObject(object) ?? {}, path)) return (object as Record<string, unknown>)[path];
  let value: unknown = object;
  for (const part of path.split(".")) {
    const record = asObject(value);
    if (record === undefined || !Object.hasOwn(record, part)) return undefined;
    value = record[part];
  }
  return value;
}

/** Where a name was found on a trial. */
export type FieldSource = "param" | "metric" | "field";

/**
 * The value `name` has on `trial`: a param path (of the effective params) first, then a metric,
 * then a trial field (`status`, `duration_s` or `durationS`); `params.x` and `metrics.x` reach a
 * shadowed one. `undefined` when the trial has none.
 */
export function trialValue(trial: Trial, name: string): unknown {
  return lookupValue(trial, name)?.value;
}

/** Like {@linkcode trialValue}, also saying where the value came from. */
export function lookupValue(
  trial: Trial,
  name: string,
): { value: unknown; source: FieldSource } | undefined {
  const param = valueAt(trial.effectiveParams, name);
  if (param !== undefined) return { value: param, source: "param" };
  if (Object.hasOwn(trial.metrics, name)) return { value: trial.metrics[name], source: "metric" };
  const field = TRIAL_FIELDS[name] ??
    (Object.values(TRIAL_FIELDS).includes(name as keyof Trial) ? name as keyof Trial : undefined);
  if (field !== undefined) return { value: trial[field], source: "field" };
  if (name.startsWith("params.")) {
    const value = valueAt(trial.effectiveParams, name.slice(7));
    if (value !== undefined) return { value, source: "param" };
  }
  if (name.startsWith("metrics.") && Object.hasOwn(trial.metrics, name.slice(8))) {
    return { value: trial.metrics[name.slice(8)], source: "metric" };
  }
  return undefined;
}

/** Every leaf path of a nested object (`model.depth`); arrays are leaves. */
export function leafPaths(object: Record<string, unknown>, prefix = ""): string[] {
  const paths: string[] = [];
  for (const [k, v] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const nested = asObject(v);
    if (nested !== undefined && Object.keys(nested).length > 0) {
      paths.push(...leafPaths(nested, path));
    } else paths.push(path);
  }
  return paths;
}

/** Structural equality of JSON values; numbers also equal their non-finite string forms. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined) {
    return na === nb || (Number.isNaN(na) && Number.isNaN(nb));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const oa = asObject(a);
  const ob = asObject(b);
  if (oa !== undefined && ob !== undefined) {
    const keys = Object.keys(oa);
    return keys.length === Object.keys(ob).length &&
      keys.every((k) => Object.hasOwn(ob, k) && jsonEqual(oa[k], ob[k]));
  }
  return false;
}

/** A number, or the number a "NaN"/"Infinity"/"-Infinity" string stands for; else `undefined`. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}
