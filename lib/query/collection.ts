/**
 * A list-like, queryable collection of trials, after repx-py's JobCollection and pyexp's result
 * indexing: filter by predicate or lookups, pick by position, name, regex or a dict of params,
 * select along sweep axes, and flatten to rows.
 *
 * @module
 */

import { checkLookupNames, type Lookups, matchesLookups, parseLookups } from "./lookups.ts";
import { jsonEqual, leafPaths, lookupValue, toNumber, type Trial, valueAt } from "./trial.ts";

/** What {@linkcode TrialCollection.select} accepts. */
export type TrialQuery = string | RegExp | Record<string, unknown>;

/** One sweep axis of a collection: a swept path and its values, sorted. */
export interface SweepAxis {
  /** The swept path (`lr`, `model.depth`). */
  name: string;
  /** Its distinct values: numbers ascending, then other values in order of appearance. */
  values: unknown[];
}

/**
 * Trials in order, immutable: every query returns a new collection.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { TrialCollection, trialOf } from "./collection.ts";
 * const trials = new TrialCollection([
 *   trialOf({ key: "a1", name: "lr=0.1", params: { lr: 0.1 }, metrics: { acc: 0.9 }, swept: { lr: 0.1 } }),
 *   trialOf({ key: "b2", name: "lr=0.01", params: { lr: 0.01 }, metrics: { acc: 0.8 }, swept: { lr: 0.01 } }),
 * ]);
 * assert.equal(trials.filter({ lr__lt: 0.05 }).length, 1);
 * assert.equal(trials.filter((t) => t.metrics.acc === 0.9).at(0)?.key, "a1");
 * assert.equal(trials.get("b2").name, "lr=0.01");
 * assert.deepEqual(trials.axes, [{ name: "lr", values: [0.01, 0.1] }]);
 * ```
 */
export class TrialCollection implements Iterable<Trial> {
  readonly #trials: readonly Trial[];

  /** A collection of `trials`, in the order given. */
  constructor(trials: readonly Trial[]) {
    this.#trials = [...trials];
  }

  /** How many trials. */
  get length(): number {
    return this.#trials.length;
  }

  /** The trials in order. */
  [Symbol.iterator](): Iterator<Trial> {
    return this.#trials[Symbol.iterator]();
  }

  /** The trials as an array (a copy). */
  toArray(): Trial[] {
    return [...this.#trials];
  }

  /** The trial at `index` (negative counts from the end), or `undefined`. */
  at(index: number): Trial | undefined {
    return this.#trials.at(index);
  }

  /** Trials `start` (inclusive) to `end` (exclusive), like `Array.prototype.slice`. */
  slice(start?: number, end?: number): TrialCollection {
    return new TrialCollection(this.#trials.slice(start, end));
  }

  /** Maps every trial. */
  map<T>(fn: (trial: Trial, index: number) => T): T[] {
    return this.#trials.map(fn);
  }

  /**
   * The trials that satisfy a predicate, or every lookup (`{ lr: 0.1 }`, `{ lr__lt: 0.05 }`,
   * `{ model__depth__in: [2, 4] }`, `{ status: "ok", name__startswith: "lr=" }`). A name is a
   * param path first, then a metric, then a trial field.
   *
   * @throws {TypeError} when a lookup names something no trial has (with the closest names)
   */
  filter(predicate: ((trial: Trial) => boolean) | Lookups): TrialCollection {
    if (typeof predicate === "function") return new TrialCollection(this.#trials.filter(predicate));
    const lookups = parseLookups(predicate);
    checkLookupNames(this.#trials, lookups);
    return new TrialCollection(this.#trials.filter((t) => matchesLookups(t, lookups)));
  }

  /**
   * The trial with this key, a unique key prefix, this name, or `stage/name`.
   *
   * @throws {Error} when none or several match (the message lists them)
   */
  get(keyOrName: string): Trial {
    const exact = this.#trials.filter((t) =>
      t.key === keyOrName || t.name === keyOrName || `${t.stage}/${t.name}` === keyOrName
    );
    const found = exact.length > 0
      ? exact
      : this.#trials.filter((t) => t.key.startsWith(keyOrName));
    if (found.length === 1) return found[0]!;
    if (found.length === 0) throw new Error(`No trial "${keyOrName}" among ${this.length} trials`);
    throw new Error(
      `"${keyOrName}" matches ${found.length} trials: ` +
        found.slice(0, 10).map((t) => `${t.key.slice(0, 8)} ${t.stage}/${t.name}`).join(", "),
    );
  }

  /**
   * pyexp-style selection: a string is an exact name, or else a regular expression matched
   * against the whole name; a RegExp is tested against the name; an object is a dict of params
   * by dotted path (`{ lr: 0.1, "model.depth": 2 }`) that must all be equal.
   */
  select(query: TrialQuery): TrialCollection {
    if (typeof query === "string") {
      const named = this.#trials.filter((t) => t.name === query);
      if (named.length > 0) return new TrialCollection(named);
      const pattern = new RegExp(`^(?:${query})$`);
      return new TrialCollection(this.#trials.filter((t) => pattern.test(t.name)));
    }
    if (query instanceof RegExp) {
      return new TrialCollection(this.#trials.filter((t) => query.test(t.name)));
    }
    const entries = Object.entries(query);
    return new TrialCollection(
      this.#trials.filter((t) =>
        entries.every(([path, value]) => {
          const found = lookupValue(t, path);
          return found !== undefined && jsonEqual(found.value, value);
        })
      ),
    );
  }

  /**
   * pyexp's indexing: a number is a position (the trial, or a RangeError); otherwise the trial when
   * exactly one matches {@linkcode select}, else the collection of matches.
   */
  pick(query: number): Trial;
  /** pyexp's indexing by name, regex or a dict of params. */
  pick(query: TrialQuery): Trial | TrialCollection;
  /** pyexp's indexing. */
  pick(query: number | TrialQuery): Trial | TrialCollection {
    if (typeof query === "number") {
      const trial = this.at(query);
      if (trial === undefined) throw new RangeError(`No trial at ${query} of ${this.length}`);
      return trial;
    }
    const found = this.select(query);
    return found.length === 1 ? found.at(0)! : found;
  }

  /**
   * The one trial that matches {@linkcode select}.
   *
   * @throws {Error} when none or several match
   */
  one(query: TrialQuery): Trial {
    const found = this.select(query);
    if (found.length === 1) return found.at(0)!;
    const names = found.map((t) => `${t.stage}/${t.name}`).slice(0, 10).join(", ");
    throw new Error(
      `${found.length} trials match ${describe(query)}` + (found.length ? `: ${names}` : ""),
    );
  }

  /** The sweep axes of these trials: each swept path and its distinct values, sorted. */
  get axes(): SweepAxis[] {
    const axes = new Map<string, unknown[]>();
    for (const trial of this.#trials) {
      for (const [name, value] of Object.entries(trial.swept)) {
        const values = axes.get(name) ?? [];
        if (!values.some((v) => jsonEqual(v, value))) values.push(value);
        axes.set(name, values);
      }
    }
    return [...axes].map(([name, values]) => ({ name, values: sortValues(values) }));
  }

  /** How many values each sweep axis has, in {@linkcode axes} order (pyexp's `shape`). */
  get shape(): number[] {
    return this.axes.map((a) => a.values.length);
  }

  /**
   * Selects along sweep axes by position (negative from the end): `isel({ lr: 0 })` keeps the
   * trials with the smallest swept `lr`; a list keeps several values.
   *
   * @throws {RangeError} for an axis that is not swept or a position out of range
   */
  isel(positions: Record<string, number | readonly number[]>): TrialCollection {
    const axes = this.axes;
    const wanted = Object.entries(positions).map(([name, pos]) => {
      const axis = axes.find((a) => a.name === name);
      if (axis === undefined) {
        throw new RangeError(
          `"${name}" is not a sweep axis; axes: ${axes.map((a) => a.name).join(", ") || "none"}`,
        );
      }
      const values = (typeof pos === "number" ? [pos] : pos).map((p) => {
        const value = axis.values.at(p);
        if (p >= axis.values.length || p < -axis.values.length) {
          throw new RangeError(`No position ${p} on axis "${name}" of ${axis.values.length}`);
        }
        return value;
      });
      return { name, values };
    });
    return new TrialCollection(
      this.#trials.filter((t) =>
        wanted.every(({ name, values }) =>
          Object.hasOwn(t.swept, name) && values.some((v) => jsonEqual(t.swept[name], v))
        )
      ),
    );
  }

  /** Each trial's effective params (config plus inherited), by key (repx's `effective_params`). */
  get effectiveParams(): Record<string, Record<string, unknown>> {
    return Object.fromEntries(this.#trials.map((t) => [t.key, t.effectiveParams]));
  }

  /**
   * One flat object per trial with the columns of the `results` view: key, experiment, stage,
   * name, status, then every param by dotted path, then every metric. The same clash rule: a
   * name already taken (case-insensitively) by an earlier column gets the prefix `param.` or
   * `metric.`; one still taken is left out.
   */
  toRows(): Record<string, unknown>[] {
    return this.#trials.map((t) => {
      const row: Record<string, unknown> = {
        key: t.key,
        experiment: t.experiment,
        stage: t.stage,
        name: t.name,
        status: t.status,
      };
      const taken = new Set(Object.keys(row));
      const claim = (name: string, prefix: string, value: unknown) => {
        for (const candidate of [name, `${prefix}.${name}`]) {
          if (taken.has(candidate.toLowerCase())) continue;
          taken.add(candidate.toLowerCase());
          row[candidate] = value;
          return;
        }
      };
      for (const path of leafPaths(t.params).sort()) {
        claim(path, "param", valueAt(t.params, path) ?? null);
      }
      for (const name of Object.keys(t.metrics).sort()) claim(name, "metric", t.metrics[name]);
      return row;
    });
  }
}

function describe(query: TrialQuery): string {
  return typeof query === "string" || query instanceof RegExp
    ? String(query)
    : JSON.stringify(query);
}

/** Numbers ascending first, then the other values in the order they came. */
function sortValues(values: unknown[]): unknown[] {
  const numbers = values.filter((v) => toNumber(v) !== undefined)
    .sort((a, b) => toNumber(a)! - toNumber(b)!);
  return [...numbers, ...values.filter((v) => toNumber(v) === undefined)];
}

/** A trial from the fields given, the rest empty: for tests and examples. */
export function trialOf(fields: Partial<Trial> & { key: string }): Trial {
  const params = fields.params ?? {};
  return {
    experiment: "exp",
    stage: "main",
    name: fields.key,
    status: "ok",
    runId: null,
    attempt: 1,
    startedAt: null,
    finishedAt: null,
    durationS: null,
    exitCode: 0,
    error: null,
    gitCommit: null,
    metrics: {},
    swept: {},
    deps: [],
    dir: "",
    ...fields,
    params,
    effectiveParams: fields.effectiveParams ?? params,
  };
}
