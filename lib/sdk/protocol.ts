/**
 * The trial protocol of ARCHITECTURE section 7: the events a trial appends to `$XP_EVENTS`, one
 * JSON object per line, and their encoding. The store imports these types to read the lines back.
 *
 * Numbers are JS numbers here; on the wire a non-finite number is the string `"NaN"`,
 * `"Infinity"` or `"-Infinity"` (JSON has no literal for them), wherever it occurs.
 *
 * @module
 */

import type { Json } from "./experiment.ts";

/** Longest event name, in characters; the store skips events with longer names. */
export const MAX_NAME_LENGTH = 256;

/** Longest event line, in UTF-8 bytes without the newline; the store skips longer lines. */
export const MAX_LINE_BYTES = 1_000_000;

/** A context value of a scalar series. */
export type ContextValue = string | number | boolean;

/** A point of a step series: `{"t":"scalar","name":"loss","value":0.25,"step":10,"time":…}`. */
export interface ScalarEvent {
  /** The type tag. */
  t: "scalar";
  /** The series name. */
  name: string;
  /** The value; may be NaN or ±Infinity. */
  value: number;
  /** The step (iteration). */
  step: number;
  /** When it was logged, in seconds since the Unix epoch. */
  time: number;
  /** Tells series of one name apart, e.g. `{ subset: "val" }`. */
  context?: Record<string, ContextValue>;
}

/**
 * Points of one step series in one line, the compact form the TS SDK writes:
 * `{"t":"scalars","name":"loss","step":[0,1],"value":[0.5,0.25],"time":[1763900000.5,1763900000.6]}`.
 * The arrays are parallel; without `step` the points continue the series, without `time` they
 * have none.
 */
export interface ScalarsEvent {
  /** The type tag. */
  t: "scalars";
  /** The series name. */
  name: string;
  /** Tells series of one name apart, e.g. `{ subset: "val" }`. */
  context?: Record<string, ContextValue>;
  /** Each point's step. */
  step?: number[];
  /** Each point's value; may be NaN or ±Infinity. */
  value: number[];
  /** Each point's time, in seconds since the Unix epoch. */
  time?: number[];
}

/** A final value; of several with one name, the last wins. */
export interface MetricEvent {
  /** The type tag. */
  t: "metric";
  /** The metric name. */
  name: string;
  /** The value; may be NaN or ±Infinity. */
  value: number;
}

/** A recorded param that is not part of the trial's key. */
export interface ParamEvent {
  /** The type tag. */
  t: "param";
  /** The param name. */
  name: string;
  /** Any JSON value. */
  value: Json;
}

/** A text, e.g. a sample output. */
export interface TextEvent {
  /** The type tag. */
  t: "text";
  /** The text's name. */
  name: string;
  /** The text. */
  value: string;
  /** The step, when given. */
  step?: number;
}

/** A file to keep; hashed into the store's blobs after the trial exits. */
export interface ArtifactEvent {
  /** The type tag. */
  t: "artifact";
  /** The artifact's name. */
  name: string;
  /** Path relative to the trial's `out/`, `/`-separated, never leaving it. */
  path: string;
}

/** An image file (png, jpeg, webp or svg) in `out/`. */
export interface ImageEvent {
  /** The type tag. */
  t: "image";
  /** The image's name. */
  name: string;
  /** Path relative to the trial's `out/`, `/`-separated, never leaving it. */
  path: string;
  /** The step, when given. */
  step?: number;
}

/** A Plotly figure, given by its spec (`{ data, layout }`). */
export interface PlotlyFigureEvent {
  /** The type tag. */
  t: "figure";
  /** The figure's name. */
  name: string;
  /** The figure format. */
  format: "plotly";
  /** The Plotly spec. */
  spec: { [key: string]: Json };
  /** The step, when given. */
  step?: number;
}

/** An SVG figure, kept as a file in `out/`. */
export interface SvgFigureEvent {
  /** The type tag. */
  t: "figure";
  /** The figure's name. */
  name: string;
  /** The figure format. */
  format: "svg";
  /** Path relative to the trial's `out/`. */
  path: string;
  /** The step, when given. */
  step?: number;
}

/** A figure: a Plotly spec or an SVG file. */
export type FigureEvent = PlotlyFigureEvent | SvgFigureEvent;

/** The trial's result (the TS SDK writes its `run` function's return value). */
export interface ResultEvent {
  /** The type tag. */
  t: "result";
  /** The result. */
  value: Json;
}

/** Any line of `events.ndjson`, keyed by `t`. */
export type TrialEvent =
  | ScalarEvent
  | ScalarsEvent
  | MetricEvent
  | ParamEvent
  | TextEvent
  | ArtifactEvent
  | ImageEvent
  | FigureEvent
  | ResultEvent;

/** The value of field `t` of each event type. */
export type EventType = TrialEvent["t"];

/**
 * Encodes one event as a JSON line (without the newline); non-finite numbers anywhere become the
 * strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeEvent } from "./protocol.ts";
 * assert.equal(
 *   encodeEvent({ t: "scalar", name: "loss", value: NaN, step: 0, time: 1 }),
 *   '{"t":"scalar","name":"loss","value":"NaN","step":0,"time":1}',
 * );
 * ```
 */
export function encodeEvent(event: TrialEvent): string {
  return JSON.stringify(event, nonFiniteAsString);
}

/**
 * Encodes a number as JSON the protocol's way: a finite number as itself, else a quoted string.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeNumber } from "./protocol.ts";
 * assert.equal(encodeNumber(0.5), "0.5");
 * assert.equal(encodeNumber(-Infinity), '"-Infinity"');
 * ```
 */
export function encodeNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : `"${value}"`;
}

/**
 * Reads a protocol number back: a number, or one of the strings `"NaN"`, `"Infinity"`,
 * `"-Infinity"`; anything else gives `undefined`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeNumber } from "./protocol.ts";
 * assert.equal(decodeNumber("Infinity"), Infinity);
 * assert.equal(decodeNumber("1"), undefined);
 * ```
 */
export function decodeNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return undefined;
}

/**
 * Whether an encoded line is over {@linkcode MAX_LINE_BYTES} in UTF-8 (the store would skip it).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { isLineTooLong } from "./protocol.ts";
 * assert.equal(isLineTooLong("{}"), false);
 * assert.equal(isLineTooLong("é".repeat(600_000)), true);
 * ```
 */
export function isLineTooLong(line: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so most lines need no encoding to tell.
  if (line.length <= MAX_LINE_BYTES / 3) return false;
  return line.length > MAX_LINE_BYTES || new TextEncoder().encode(line).length > MAX_LINE_BYTES;
}

function nonFiniteAsString(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}
