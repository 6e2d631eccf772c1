/**
 * `xp compare`: params and metrics of several trials side by side, rows whose values differ
 * marked; the model both the text and the HTML report render.
 *
 * @module
 */

import { cellText } from "./format.ts";
import { jsonEqual, leafPaths, valueAt } from "./trial.ts";

/** What compare needs of one trial. */
export interface ComparedTrial {
  /** sha256 hex. */
  key: string;
  /** The stage. */
  stage: string;
  /** The trial's name. */
  name: string;
  /** Its state. */
  status: string;
  /** Wall time in seconds. */
  durationS: number | null;
  /** The resolved config. */
  params: Record<string, unknown>;
  /** Final metrics. */
  metrics: Record<string, unknown>;
}

/** One row of a side-by-side table. */
export interface CompareRow {
  /** The param path or metric name. */
  name: string;
  /** One value per trial; `undefined` where the trial has none. */
  values: unknown[];
  /** Whether the values are not all equal (a missing value differs from any value). */
  differs: boolean;
}

/** The side-by-side tables. */
export interface Comparison {
  /** The trials, in the order given. */
  trials: ComparedTrial[];
  /** stage, status, duration. */
  summary: CompareRow[];
  /** Every param path any trial has, sorted. */
  params: CompareRow[];
  /** Every metric any trial has, sorted. */
  metrics: CompareRow[];
}

/**
 * Lines up `trials`' params and metrics by name.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareTrials } from "./compare.ts";
 * const base = { stage: "train", status: "ok", durationS: 1 };
 * const c = compareTrials([
 *   { ...base, key: "a", name: "a", params: { lr: 0.1, seed: 1 }, metrics: { acc: 0.9 } },
 *   { ...base, key: "b", name: "b", params: { lr: 0.01, seed: 1 }, metrics: { acc: 0.8 } },
 * ]);
 * assert.deepEqual(c.params.map((r) => [r.name, r.differs]), [["lr", true], ["seed", false]]);
 * ```
 */
export function compareTrials(trials: readonly ComparedTrial[]): Comparison {
  const rows = (names: Iterable<string>, get: (t: ComparedTrial, n: string) => unknown) =>
    [...new Set(names)].sort().map((name) => row(name, trials.map((t) => get(t, name))));
  return {
    trials: [...trials],
    summary: [
      row("stage", trials.map((t) => t.stage)),
      row("status", trials.map((t) => t.status)),
      row("duration_s", trials.map((t) => t.durationS)),
    ],
    params: rows(trials.flatMap((t) => leafPaths(t.params)), (t, n) => valueAt(t.params, n)),
    metrics: rows(
      trials.flatMap((t) => Object.keys(t.metrics)),
      (t, n) => (Object.hasOwn(t.metrics, n) ? t.metrics[n] : undefined),
    ),
  };
}

function row(name: string, values: unknown[]): CompareRow {
  const [first, ...rest] = values;
  const differs = rest.some((v) =>
    v === undefined || first === undefined ? v !== first : !jsonEqual(v, first)
  );
  return { name, values, differs };
}

/** How a compared value reads: "—" where the trial has none. */
export function compareCell(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "number" && !Number.isInteger(value)) {
    return String(Number(value.toPrecision(6)));
  }
  return cellText(value);
}

/** A column header for a trial: its name and short key. */
export function trialLabel(trial: ComparedTrial): string {
  return `${trial.name} (${trial.key.slice(0, 8)})`;
}
