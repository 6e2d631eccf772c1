/**
 * `experiment()`: the typed form of an `xp.ts` file. It returns its argument unchanged; the
 * planner reads the plain object and the trial runner calls its `run` functions.
 *
 * @module
 */

/** A config value as trials receive it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Turns the literal types of `params` into the value types a trial sees (`0.01` → `number`). */
export type Widen<T> = T extends string ? string
  : T extends number ? number
  : T extends boolean ? boolean
  : T extends readonly (infer U)[] ? Widen<U>[]
  : T extends object ? { -readonly [K in keyof T]: Widen<T[K]> }
  : T;

/** Options of a logged value that has a step. */
export interface StepOptions {
  /** The step (iteration); scalars default to one past the last step of that series. */
  step?: number;
}

/** Options of {@linkcode TrialLog.scalar}. */
export interface ScalarOptions extends StepOptions {
  /** Tells series of one name apart, e.g. `{ subset: "val" }`. */
  context?: Record<string, string | number | boolean>;
}

/** What a trial records (ARCHITECTURE section 7); each call appends one event. */
export interface TrialLog {
  /** A point of a step series; NaN and ±Infinity are kept. */
  scalar(name: string, value: number, options?: ScalarOptions): void;
  /** A final value; the last one wins; NaN and ±Infinity are kept. */
  metric(name: string, value: number): void;
  /** A recorded param that is not part of the key. */
  param(name: string, value: Json): void;
  /** A text, e.g. a sample output. */
  text(name: string, value: string, options?: StepOptions): void;
  /** An image: bytes, or a path relative to `out/`. */
  image(name: string, image: Uint8Array | string, options?: StepOptions): void;
  /** A Plotly spec (object) or an SVG (string). */
  figure(name: string, figure: Record<string, unknown> | string, options?: StepOptions): void;
  /** A file to keep: bytes, or a path relative to `out/`. */
  artifact(name: string, artifact: Uint8Array | string): void;
}

/**
 * A dependency trial as a trial sees it in `ctx.deps`; `R` types its result, as in
 * `ctx.deps.train as Dependency<{ accuracy: number }>`.
 */
export interface Dependency<R = Json> {
  /** Its stage. */
  stage: string;
  /** Its name. */
  name: string;
  /** Its key. */
  key: string;
  /** Its result (`null` when it returned nothing). */
  result: R;
  /** Absolute path of its output directory (readable by the trial). */
  out: string;
}

/**
 * The trial a forked trial starts from (`xp run --from`), as it sees it in `ctx.parent`; `R`
 * types its result. Its checkpoint is what `ctx.restore()` returns until the trial saves its own.
 */
export type Parent<R = Json> = Dependency<R>;

/**
 * A trial's dependencies by stage name: one {@linkcode Dependency}, or for a stage the trial
 * gathers (`gather: true`) an array of all of them.
 */
export type Dependencies = Record<string, Dependency | Dependency[]>;

/** What a trial's `run` receives besides its config (filled in by the trial SDK). */
export interface TrialContext<P> {
  /** The resolved config. */
  cfg: P;
  /** The trial's name, derived from its swept values. */
  name: string;
  /** The trial's key. */
  key: string;
  /** The trial's stage. */
  stage: string;
  /** Absolute path of its output directory. */
  out: string;
  /**
   * Each dependency's result and out path, by stage name; an array for a gathered stage:
   * `ctx.deps.train as Dependency<{ accuracy: number }>`, `ctx.deps.train as Dependency[]`.
   */
  deps: Dependencies;
  /**
   * The trial this one forks from (`xp run --from`): its stage, name, key, result and out path
   * (readable); `null` when it did not fork.
   */
  parent: Parent | null;
  /** Records scalars, metrics, texts, images, figures and artifacts. */
  log: TrialLog;
  /** Saves `state` (JSON) as the trial's checkpoint, atomically, replacing the previous one. */
  checkpoint(state: unknown): void;
  /**
   * The last checkpoint, kept across retries and resumes; for a forked trial that has saved none
   * yet, its parent's last checkpoint; `undefined` when there is none.
   */
  restore<T = Json>(): T | undefined;
}

/** A trial function: its return value (JSON) is the trial's result. */
export type RunFunction<P> = (cfg: P, ctx: TrialContext<P>) => unknown;

/** Settings a stage shares with a one-stage experiment. */
export interface StageSettings {
  /** A TS module whose default export runs the trial, instead of `run`. */
  script?: string;
  /** A shell command with `${param}` placeholders, instead of `run`. */
  command?: string;
  /** Grants on top of the sandbox defaults. */
  permissions?: Partial<
    Record<"read" | "write" | "net" | "env" | "run" | "ffi" | "sys", boolean | string[]>
  >;
  /** Seconds, or `"500ms"`, `"90s"`, `"10m"`, `"2h"`. */
  timeout?: number | string;
  /** Extra attempts after a failure. */
  retry?: number;
  /** Megabytes, or `"512M"`, `"4G"`. */
  memory?: number | string;
  /** Environment variables for the trial. */
  env?: Record<string, string | number | boolean>;
  /** Files whose contents are part of the trial's key. */
  inputs?: string[];
  /** `"bwrap"` runs a command trial under bubblewrap. */
  sandbox?: "bwrap";
  /** Names of variables of xp's environment whose values each trial's meta.json records. */
  capture_env?: string[];
}

/** One stage of a multi-stage `xp.ts`. */
export interface StageDefinition<P> extends StageSettings {
  /** The trial function. */
  run?: RunFunction<P>;
  /** Params merged over the experiment's. */
  params?: Record<string, unknown>;
  /** A stage-level sweep. */
  sweep?: Record<string, unknown> | Record<string, unknown>[];
  /** Stage names or `/regex/` patterns. */
  dependsOn?: string[];
  /** One trial depending on every trial of the dependencies. */
  gather?: boolean;
}

/** The default export of an `xp.ts`. */
export interface ExperimentDefinition<P> extends StageSettings {
  /** The experiment's name. */
  name?: string;
  /** A line about it. */
  description?: string;
  /** The base config. */
  params?: P;
  /** A map of axes (a grid) or a list of grids. */
  sweep?: Record<string, unknown> | Record<string, unknown>[];
  /** The trial function of a one-stage experiment. */
  run?: RunFunction<Widen<P>>;
  /** The stages of a multi-stage experiment. */
  stages?: Record<string, StageDefinition<Widen<P>>>;
}

/**
 * Declares an experiment; `cfg` in `run` is typed from `params`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { experiment } from "./experiment.ts";
 * const def = experiment({
 *   name: "demo",
 *   params: { lr: 0.01 },
 *   sweep: { lr: [0.1, 0.01] },
 *   run: (cfg) => ({ loss: cfg.lr * 2 }),
 * });
 * assert.equal(def.name, "demo");
 * ```
 */
export function experiment<const P extends Record<string, unknown>>(
  definition: ExperimentDefinition<P>,
): ExperimentDefinition<P> {
  return definition;
}
