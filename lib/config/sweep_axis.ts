/**
 * Plans one axis of a sweep: checks what is written under one key of a sweep map and turns it
 * into the values it takes (a list, `range`, `linspace`, `logspace`) or a way to draw them (the
 * random `uniform`, `loguniform`, `randint`, `choice`). Grids and their expansion are in
 * `sweep.ts`.
 *
 * @module
 */

import { suggest } from "../suggest.ts";
import { count, describe, fail, type Where } from "./_sweep_errors.ts";
import { roundGenerated } from "./canonical.ts";
import type { Json, JsonObject, Locate } from "./model.ts";

// Here rather than in sweep.ts, which re-exports it, because a single range or linspace must not
// pass it either and sweep.ts imports this file.
/** The most points a sweep (or a product of sweeps) may expand to. */
export const SWEEP_LIMIT = 10_000_000;

/** Draws one value of a random axis from `random`, a generator of floats in [0, 1). */
export type Draw = (random: () => number) => Json;

/** One axis as planned: its values if it is a list axis, or how to draw them if it is random. */
export interface PlannedAxis {
  /** The key as written: `lr`, `model.depth`, `**model`. */
  path: string;
  /** Where the axis is in the sweep spec, for errors. */
  where: Where;
  /** Values of a list axis; undefined for a random axis. */
  values: Json[] | undefined;
  /** Draws one value of a random axis; undefined for a list axis. */
  draw: Draw | undefined;
}

const SPECS: readonly string[] = [
  "range",
  "linspace",
  "logspace",
  "uniform",
  "loguniform",
  "randint",
  "choice",
];

/**
 * Plans the axis `path: value` of the sweep map at `where`, checking `value` as it goes.
 *
 * @throws {ConfigError} on an empty key, a single value, an unknown spec or bad spec arguments,
 * located with `locate`
 */
export function planAxis(path: string, value: unknown, where: Where, locate: Locate): PlannedAxis {
  const name = `Cannot expand sweep "${path}"`;
  if (path === "" || path === "**") {
    throw fail(locate, where, `Cannot expand sweep: an axis has an empty key "${path}"`, {
      hint: "name the param to sweep, e.g. lr or model.depth",
    });
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw fail(locate, where, `${name}: the list is empty`, {
        hint: "give at least one value, or remove the axis",
      });
    }
    value.forEach((item, i) => checkValue(item, [...where, i], name, locate));
    return { path, where, values: value.slice(), draw: undefined };
  }
  if (!isPlainObject(value)) {
    const hint = value === undefined
      ? `give a list of values, e.g. ${path}: [1, 2]`
      : `write ${path}: [${describe(value)}] to sweep one value, or set it under params`;
    const message = `${name}: ${describe(value)} is a single value, not a list or a spec`;
    throw fail(locate, where, message, { hint });
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    const got = keys.length === 0 ? "none" : keys.map((k) => `"${k}"`).join(", ");
    throw fail(
      locate,
      keys.length === 0 ? where : [...where, keys[1]!],
      `${name}: a spec has exactly one key, got ${got}`,
      {
        hint: `write e.g. ${path}: { range: [start, stop, step] }; ` +
          `to sweep maps as values, list them: ${path}: [{ … }]`,
      },
    );
  }
  const kind = keys[0]!;
  const args: unknown = value[kind];
  const at: Where = [...where, kind];
  const listed = (values: Json[]): PlannedAxis => ({ path, where, values, draw: undefined });
  const drawn = (draw: Draw): PlannedAxis => ({ path, where, values: undefined, draw });
  switch (kind) {
    case "range":
      return listed(rangeValues(numbers(args, kind, [2, 3], name, at, locate), name, at, locate));
    case "linspace":
    case "logspace":
      return listed(
        spacedValues(kind, numbers(args, kind, [3], name, at, locate), name, at, locate),
      );
    case "uniform": {
      const [a, b] = numbers(args, kind, [2], name, at, locate) as [number, number];
      if (!(a < b)) throw fail(locate, at, `${name}: uniform needs a < b, got [${a}, ${b}]`);
      return drawn((random) => drawFloat(a, b, (r) => a + (b - a) * r, random));
    }
    case "loguniform": {
      const [a, b] = numbers(args, kind, [2], name, at, locate) as [number, number];
      if (!(0 < a && a < b)) {
        throw fail(locate, at, `${name}: loguniform needs 0 < a < b, got [${a}, ${b}]`);
      }
      const [la, lb] = [Math.log(a), Math.log(b)];
      return drawn((random) => drawFloat(a, b, (r) => Math.exp(la + (lb - la) * r), random));
    }
    case "randint": {
      const [a, b] = numbers(args, kind, [2], name, at, locate) as [number, number];
      [a, b].forEach((n, i) => {
        if (!Number.isSafeInteger(n)) {
          throw fail(locate, [...at, i], `${name}: randint takes integers, got ${n}`);
        }
      });
      if (!(a < b)) {
        throw fail(locate, at, `${name}: randint needs a < b (b is excluded), got [${a}, ${b}]`);
      }
      // min() keeps b excluded even where b - a is too wide for the float product to be exact.
      return drawn((random) => Math.min(b - 1, a + Math.floor(random() * (b - a))));
    }
    case "choice": {
      if (!Array.isArray(args) || args.length === 0) {
        const message = `${name}: choice takes a non-empty list of values, got ${describe(args)}`;
        throw fail(locate, at, message, { hint: `write ${path}: { choice: [a, b, c] }` });
      }
      args.forEach((item, i) => checkValue(item, [...at, i], name, locate));
      const options = args.slice();
      const last = options.length - 1;
      return drawn((random) => options[Math.min(last, Math.floor(random() * options.length))]!);
    }
    default: {
      const hint = suggest(kind, SPECS) ??
        `a spec is one of ${
          SPECS.join(", ")
        }; to sweep maps as values, list them: ${path}: [{ … }]`;
      throw fail(locate, at, `${name}: unknown spec "${kind}"`, { hint });
    }
  }
}

const ARG_NAMES: Readonly<Record<string, readonly string[]>> = {
  range: ["start", "stop", "step"],
  linspace: ["start", "stop", "num"],
  logspace: ["start_exp", "stop_exp", "num"],
  uniform: ["a", "b"],
  loguniform: ["a", "b"],
  randint: ["a", "b"],
};

function numbers(
  args: unknown,
  kind: string,
  arities: number[],
  name: string,
  at: Where,
  locate: Locate,
): number[] {
  const names = ARG_NAMES[kind]!;
  const form = arities.map((n) => `[${names.slice(0, n).join(", ")}]`).join(" or ");
  if (!Array.isArray(args) || !arities.includes(args.length)) {
    const got = Array.isArray(args) ? plural(args.length, "value") : describe(args);
    throw fail(locate, at, `${name}: ${kind} takes ${form}, got ${got}`, {
      hint: `write ${kind}: ${form}`,
    });
  }
  return args.map((arg: unknown, i) => {
    if (typeof arg !== "number" || !Number.isFinite(arg)) {
      const what = typeof arg === "number" ? "a finite number" : "a number";
      throw fail(
        locate,
        [...at, i],
        `${name}: ${kind} ${names[i]} must be ${what}, got ${describe(arg)}`,
      );
    }
    return arg;
  });
}

function rangeValues(args: number[], name: string, at: Where, locate: Locate): Json[] {
  const [start, stop, step = 1] = args as [number, number, number?];
  if (step === 0) {
    throw fail(locate, [...at, 2], `${name}: range step must not be 0`, {
      hint: "use a positive step to count up, a negative one to count down",
    });
  }
  const integers = Number.isInteger(start) && Number.isInteger(step);
  const valueAt = integers
    ? (i: number) => start + i * step
    : (i: number) => roundGenerated(start + i * step);
  const before = step > 0 ? (v: number) => v < stop : (v: number) => v > stop;
  // The float quotient can land just beside an integer; nudge the count so that exactly the
  // generated values before stop are kept.
  let n = Math.max(0, Math.ceil((stop - start) / step));
  if (n > SWEEP_LIMIT) {
    throw fail(
      locate,
      at,
      `${name}: range makes ${count(n)} values, more than the limit of ${count(SWEEP_LIMIT)}`,
      {
        hint: "use a larger step or a narrower range",
      },
    );
  }
  while (n > 0 && !before(valueAt(n - 1))) n--;
  while (before(valueAt(n))) n++;
  if (n === 0) {
    throw fail(locate, at, `${name}: range [${args.join(", ")}] has no values`, {
      hint: step > 0
        ? "stop is excluded and must be above start; use a negative step to count down"
        : "with a negative step, stop must be below start",
    });
  }
  return Array.from({ length: n }, (_, i) => valueAt(i));
}

function spacedValues(
  kind: "linspace" | "logspace",
  args: number[],
  name: string,
  at: Where,
  locate: Locate,
): Json[] {
  const [start, stop, num] = args as [number, number, number];
  if (!Number.isInteger(num) || num < 1) {
    throw fail(locate, [...at, 2], `${name}: ${kind} num must be a positive integer, got ${num}`);
  }
  if (num > SWEEP_LIMIT) {
    throw fail(
      locate,
      [...at, 2],
      `${name}: ${kind} makes ${count(num)} values, more than the limit of ${count(SWEEP_LIMIT)}`,
    );
  }
  const linear = (i: number) =>
    i === num - 1 && num > 1 ? stop : roundGenerated(start + ((stop - start) * i) / (num - 1 || 1));
  const values = Array.from(
    { length: num },
    kind === "linspace" ? (_, i) => linear(i) : (_, i) => roundGenerated(10 ** linear(i)),
  );
  if (!values.every(Number.isFinite)) {
    throw fail(
      locate,
      at,
      `${name}: ${kind} [${args.join(", ")}] makes values too large for a number`,
    );
  }
  return values;
}

// Draws a float in [a, b), rounded to 15 significant digits when that stays in range, so values
// print cleanly and match across platforms; a draw that rounds onto b is drawn again.
function drawFloat(a: number, b: number, map: (r: number) => number, random: () => number): number {
  for (let attempt = 0; attempt < 64; attempt++) {
    const raw = map(random());
    const rounded = roundGenerated(raw);
    if (a <= rounded && rounded < b) return rounded;
    if (a <= raw && raw < b) return raw;
  }
  return a;
}

function checkValue(value: unknown, where: Where, name: string, locate: Locate): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (Number.isFinite(value)) return;
      throw fail(locate, where, `${name}: ${value} is not a valid value`, {
        hint: "use a finite number, or a string",
      });
    case "object":
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => checkValue(item, [...where, i], name, locate));
        return;
      }
      if (isPlainObject(value)) {
        for (const [key, item] of Object.entries(value)) {
          checkValue(item, [...where, key], name, locate);
        }
        return;
      }
  }
  throw fail(locate, where, `${name}: ${describe(value)} is not a JSON value`);
}

// Stricter than isObject from merge.ts on purpose: a Date, Map or class instance passed to the
// API is rejected as not JSON instead of passing as a map with no keys.
/** Whether `value` is a plain object (prototype `Object.prototype` or null), so a map or spec. */
export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
