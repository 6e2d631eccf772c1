/**
 * Reading a trial's `events.ndjson` (ARCHITECTURE section 7) into columns, with the validation of
 * issue 5: a line that is not valid JSON, over 1 MB, of an unknown type, missing a field, with a
 * non-numeric scalar or metric value, a non-finite step, or an empty or over-256-character name
 * is skipped with a warning naming `file:line`; a truncated last line likewise; everything else is
 * kept. In a `scalars` line (many points of one series) a bad point is skipped, not the line. Non-finite values (`"NaN"`, `"Infinity"`, `"-Infinity"`) are kept as such.
 *
 * Scalar lines in section 7's exact shape take a fast path ({@linkcode ScalarLineScanner});
 * every other line is parsed with `JSON.parse` and checked here.
 *
 * @module
 */

import { decodeNumber, isLineTooLong, MAX_LINE_BYTES, MAX_NAME_LENGTH } from "../sdk/protocol.ts";
import { isPlainObject } from "./flatten.ts";
import { Float64Column, Int32Column } from "./growable.ts";
import { ScalarLineScanner } from "./scalar_scan.ts";

/** A scalar series: a name and an optional context (canonical JSON, keys sorted). */
export interface SeriesKey {
  /** The series name. */
  name: string;
  /** Canonical JSON of the context, or `null` for a context-free series. */
  context: string | null;
}

/** An artifact, image or figure event, resolved to a blob after parsing. */
export interface FileEvent {
  /** The event type. */
  kind: "artifact" | "image" | "figure";
  /** Its name. */
  name: string;
  /** Path relative to `out/`, or `null` for a Plotly figure. */
  path: string | null;
  /** The step, when given. */
  step: number | null;
  /** A Plotly figure's spec. */
  spec?: unknown;
  /** 1-based line, for warnings. */
  line: number;
}

/** Everything one `events.ndjson` holds, ready for the index. */
export interface ParsedEvents {
  /** Series in order of first appearance; points refer to them by index. */
  series: SeriesKey[];
  /** Each point's series index. */
  pointSeries: Int32Column;
  /** Each point's step. */
  steps: Float64Column;
  /** Each point's value. */
  values: Float64Column;
  /** Each point's time in seconds since the epoch, NaN when it had none. */
  times: Float64Column;
  /** Each series' last logged value. */
  lastValues: number[];
  /** `metric` events by name (the last wins). */
  metrics: Map<string, number>;
  /** `param` events by name (the last wins), with their line. */
  params: Map<string, { value: unknown; line: number }>;
  /** `text` events. */
  texts: { name: string; step: number | null; value: string }[];
  /** `artifact`, `image` and `figure` events. */
  files: FileEvent[];
  /** The last `result` event's value, if any. */
  result: { value: unknown } | undefined;
  /** One per skipped line: `file:line: why`. */
  warnings: string[];
}

/** Reads the lines of an `events.ndjson` (its text); `file` names it in warnings. */
export function parseEvents(text: string, file: string): ParsedEvents {
  // SDK lines hold ~40 characters a point (`scalar` lines ~90): room for that many avoids regrowing.
  const capacity = Math.ceil(text.length / 40);
  const parsed: ParsedEvents = {
    series: [],
    pointSeries: new Int32Column(capacity),
    steps: new Float64Column(capacity),
    values: new Float64Column(capacity),
    times: new Float64Column(capacity),
    lastValues: [],
    metrics: new Map(),
    params: new Map(),
    texts: [],
    files: [],
    result: undefined,
    warnings: [],
  };
  const series = new SeriesIndex(parsed);
  const scanner = new ScalarLineScanner(text);
  let start = 0;
  let line = 0;
  while (start < text.length) {
    line++;
    if (scanner.scan(start) && series.addScanned(text, scanner)) {
      start = scanner.next;
      continue;
    }
    let newline = text.indexOf("\n", start);
    const last = newline < 0;
    if (last) newline = text.length;
    let end = newline;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    const source = text.slice(start, end);
    if (isLineTooLong(source)) {
      parsed.warnings.push(`${file}:${line}: line is over ${MAX_LINE_BYTES / 1e6} MB; skipped`);
    } else if (source.trim() !== "") readLine(source, { file, line, last, parsed, series });
    start = newline + 1;
  }
  return parsed;
}

interface LineContext {
  file: string;
  line: number;
  last: boolean;
  parsed: ParsedEvents;
  series: SeriesIndex;
}

/** The general path: parses and validates one line. */
function readLine(text: string, at: LineContext): void {
  const { parsed } = at;
  const warn = (why: string): void => {
    parsed.warnings.push(`${at.file}:${at.line}: ${why}`);
  };
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    warn(
      at.last
        ? "truncated last line (the trial was stopped while writing it); skipped"
        : "not valid JSON; line skipped",
    );
    return;
  }
  if (!isPlainObject(event)) return warn("not a JSON object; line skipped");
  const type = event.t as string | undefined;
  if (type === undefined) return warn('missing field "t"; line skipped');
  if (type === "result") {
    if (!("value" in event)) return warn('result: missing field "value"; line skipped');
    parsed.result = { value: event.value };
    return;
  }
  if (!KNOWN_TYPES.has(type)) {
    return warn(`unknown event type ${describe(type)}; line skipped`);
  }
  const name = event.name;
  if (name === undefined) return warn(`${type}: missing field "name"; line skipped`);
  if (typeof name !== "string") return warn(`${type}: name must be a string; line skipped`);
  if (name === "") return warn(`${type}: name is empty; line skipped`);
  if (name.length > MAX_NAME_LENGTH) {
    return warn(`${type}: name is over ${MAX_NAME_LENGTH} characters; line skipped`);
  }
  const what = `${type} ${JSON.stringify(name)}`;
  if (type === "scalars") return readBatch(event, name, what, at, warn);
  const step = event.step === undefined ? null : finiteNumber(event.step);
  if (step === undefined) return warn(`${what}: step must be a finite number; line skipped`);
  switch (type) {
    case "scalar": {
      const value = decodeNumber(event.value);
      if (event.value === undefined) return warn(`${what}: missing field "value"; line skipped`);
      if (value === undefined) return warn(`${what}: ${nonNumeric(event.value)}; line skipped`);
      const time = event.time === undefined ? NaN : finiteNumber(event.time);
      if (time === undefined) return warn(`${what}: time must be a finite number; line skipped`);
      const context = canonicalContext(event.context);
      if (context === undefined) {
        return warn(
          `${what}: context must be an object of strings, numbers and booleans; line skipped`,
        );
      }
      at.series.addPoint(at.series.indexOf(name, context), value, step, time);
      return;
    }
    case "metric": {
      const value = decodeNumber(event.value);
      if (event.value === undefined) return warn(`${what}: missing field "value"; line skipped`);
      if (value === undefined) return warn(`${what}: ${nonNumeric(event.value)}; line skipped`);
      parsed.metrics.set(name, value);
      return;
    }
    case "param":
      if (!("value" in event)) return warn(`${what}: missing field "value"; line skipped`);
      parsed.params.set(name, { value: event.value, line: at.line });
      return;
    case "text":
      if (typeof event.value !== "string") {
        return warn(`${what}: value must be a string; line skipped`);
      }
      parsed.texts.push({ name, step, value: event.value });
      return;
    case "artifact":
    case "image": {
      const kind = type;
      if (typeof event.path !== "string") {
        return warn(`${what}: missing field "path" (a path relative to out/); line skipped`);
      }
      parsed.files.push({ kind, name, path: event.path, step, line: at.line });
      return;
    }
    case "figure": {
      if (event.format === "plotly") {
        if (!isPlainObject(event.spec)) {
          return warn(`${what}: a plotly figure needs "spec", an object; line skipped`);
        }
        parsed.files.push({
          kind: "figure",
          name,
          path: null,
          step,
          spec: event.spec,
          line: at.line,
        });
      } else if (event.format === "svg") {
        if (typeof event.path !== "string") {
          return warn(`${what}: an svg figure needs "path" relative to out/; line skipped`);
        }
        parsed.files.push({ kind: "figure", name, path: event.path, step, line: at.line });
      } else {
        return warn(`${what}: format must be "plotly" or "svg"; line skipped`);
      }
      return;
    }
  }
}

/** A `scalars` line: parallel arrays of points. A bad point is skipped, the others kept. */
function readBatch(
  event: Record<string, unknown>,
  name: string,
  what: string,
  at: LineContext,
  warn: (why: string) => void,
): void {
  const { value: values, step: steps, time: times } = event;
  if (values === undefined) return warn(`${what}: missing field "value"; line skipped`);
  if (!Array.isArray(values)) return warn(`${what}: value must be an array; line skipped`);
  for (const [field, array] of [["step", steps], ["time", times]] as const) {
    if (array !== undefined && (!Array.isArray(array) || array.length !== values.length)) {
      return warn(`${what}: ${field} must be an array as long as value; line skipped`);
    }
  }
  const context = canonicalContext(event.context);
  if (context === undefined) {
    return warn(
      `${what}: context must be an object of strings, numbers and booleans; line skipped`,
    );
  }
  const series = at.series.indexOf(name, context);
  const stepAt = steps as unknown[] | undefined;
  const timeAt = times as unknown[] | undefined;
  let skipped = 0;
  let first = "";
  for (let i = 0; i < values.length; i++) {
    const value = decodeNumber(values[i]);
    const step = stepAt === undefined ? null : finiteNumber(stepAt[i]);
    const time = timeAt === undefined ? NaN : finiteNumber(timeAt[i]);
    if (value !== undefined && step !== undefined && time !== undefined) {
      at.series.addPoint(series, value, step, time);
      continue;
    }
    if (skipped++ > 0) continue;
    first = value === undefined
      ? nonNumeric(values[i])
      : step === undefined
      ? "step must be a finite number"
      : "time must be a finite number";
    first = `point ${i}: ${first}`;
  }
  if (skipped > 0) {
    const points = skipped === 1 ? "1 point" : `${skipped} points`;
    warn(`${what}: ${points} skipped (${first}); the line's other points kept`);
  }
}

/** Up to this many series a file's series are found by comparing text in place. */
const FEW_SERIES = 16;

const KNOWN_TYPES = new Set([
  "scalar",
  "scalars",
  "metric",
  "param",
  "text",
  "artifact",
  "image",
  "figure",
]);

/** Series by name and context, shared by both paths so they number series alike. */
class SeriesIndex {
  readonly #parsed: ParsedEvents;
  readonly #byKey = new Map<string, number>();
  /** Series as written on scalar lines of that shape: name, raw context, index. */
  readonly #scanned: { name: string; context: string | null; index: number }[] = [];
  /** The same by `name` or `name\0context`, for files with many series. */
  readonly #scannedByText = new Map<string, number>();
  readonly #nextStep: number[] = [];

  constructor(parsed: ParsedEvents) {
    this.#parsed = parsed;
  }

  /** The index of the series `name` with `context` (canonical), added if new. */
  indexOf(name: string, context: string | null): number {
    const key = context === null ? name : `${name}\u0000${context}`;
    let index = this.#byKey.get(key);
    if (index === undefined) {
      index = this.#parsed.series.length;
      this.#parsed.series.push({ name, context });
      this.#parsed.lastValues.push(NaN);
      this.#nextStep.push(0);
      this.#byKey.set(key, index);
    }
    return index;
  }

  /** Adds a point; a missing step (`null`) continues the series, as the SDK numbers them. */
  addPoint(index: number, value: number, step: number | null, time: number): void {
    const parsed = this.#parsed;
    const at = step ?? this.#nextStep[index]!;
    this.#nextStep[index] = at + 1;
    parsed.pointSeries.push(index);
    parsed.steps.push(at);
    parsed.values.push(value);
    parsed.times.push(time);
    parsed.lastValues[index] = value;
  }

  /**
   * Adds the line the scanner just matched; `false` when its context needs the general path (to
   * be validated and warned about there). Series are found by comparing text in place: a file
   * has few series, and slicing out each line's name measured as a good part of the cost.
   */
  addScanned(text: string, scanner: ScalarLineScanner): boolean {
    const { nameStart, nameEnd, contextStart, contextEnd } = scanner;
    const nameLength = nameEnd - nameStart;
    const contextLength = contextEnd - contextStart;
    let index = -1;
    let name: string | undefined;
    let raw: string | null = null;
    if (this.#scanned.length <= FEW_SERIES) {
      for (const known of this.#scanned) {
        if (
          known.name.length === nameLength && text.startsWith(known.name, nameStart) &&
          (known.context === null ? contextStart < 0 : known.context.length === contextLength &&
            text.startsWith(known.context, contextStart))
        ) {
          index = known.index;
          break;
        }
      }
    } else {
      name = text.slice(nameStart, nameEnd);
      raw = contextStart < 0 ? null : text.slice(contextStart, contextEnd);
      index = this.#scannedByText.get(raw === null ? name : `${name}\u0000${raw}`) ?? -1;
    }
    if (index < 0) {
      name ??= text.slice(nameStart, nameEnd);
      raw = contextStart < 0 ? null : text.slice(contextStart, contextEnd);
      let context: string | null = null;
      if (raw !== null) {
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          return false;
        }
        const canonical = canonicalContext(value);
        if (canonical === undefined) return false;
        context = canonical;
      }
      index = this.indexOf(name, context);
      this.#scanned.push({ name, context: raw, index });
      this.#scannedByText.set(raw === null ? name : `${name}\u0000${raw}`, index);
    }
    this.addPoint(index, scanner.value, scanner.step, scanner.time);
    return true;
  }
}

/**
 * The canonical JSON (keys sorted) of a context; `null` for none or an empty object; `undefined`
 * when it is not an object of strings, numbers and booleans.
 */
function canonicalContext(context: unknown): string | null | undefined {
  if (context === undefined || context === null) return null;
  if (!isPlainObject(context)) return undefined;
  const keys = Object.keys(context).sort();
  if (keys.length === 0) return null;
  const sorted: Record<string, unknown> = {};
  for (const key of keys) {
    const value = context[key];
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      return undefined;
    }
    sorted[key] = value;
  }
  return JSON.stringify(sorted);
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function nonNumeric(value: unknown): string {
  return `value must be a number, "NaN", "Infinity" or "-Infinity", got ${describe(value)}`;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
