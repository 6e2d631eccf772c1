/**
 * What a trial that is not in the index yet (it is running, or xp was killed before ingesting
 * it) has logged, read from its `events.ndjson`: metrics by the rule of ARCHITECTURE section 7,
 * scalar series, and artifacts.
 *
 * @module
 */

import { join } from "node:path";
import { parseEvents } from "../store/events_reader.ts";
import { readFileTail } from "../store/tail.ts";

/** One point of a scalar series. */
export interface ScalarPoint {
  /** The step (the line number within the series when the event has none). */
  step: number;
  /** The value; non-finite values as "NaN", "Infinity", "-Infinity". */
  value: number | string;
}

/** An artifact event. */
export interface LiveArtifact {
  /** artifact, image or figure. */
  kind: string;
  /** Its name. */
  name: string;
  /** Path relative to `out/`, when it has one. */
  path: string | null;
  /** The step, for images. */
  step: number | null;
}

/** What a trial's events say. */
export interface LiveEvents {
  /** Result leaves, then metric events, then the last value of each scalar series (first wins). */
  metrics: Record<string, number | string>;
  /** Scalar series by name and context (`loss` or `loss {"subset":"val"}`). */
  scalars: Map<string, ScalarPoint[]>;
  /** Artifacts, images and figures in the order logged. */
  artifacts: LiveArtifact[];
}

/** Options of {@linkcode readLiveEvents}. */
export interface LiveEventsOptions {
  /**
   * Read only the file's last this many bytes (from the first line that starts in them): enough
   * for a running trial's latest values without reading all it logged.
   */
  tailBytes?: number;
}

/** Reads `events.ndjson` of the trial in `dir`, as the index would; a torn or bad line is skipped. */
export async function readLiveEvents(
  dir: string,
  options: LiveEventsOptions = {},
): Promise<LiveEvents> {
  const path = join(dir, "events.ndjson");
  let text = "";
  try {
    text = options.tailBytes === undefined
      ? await Deno.readTextFile(path)
      : await readTail(path, options.tailBytes);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const parsed = parseEvents(text, path);
  const scalars = new Map<string, ScalarPoint[]>();
  const labels = parsed.series.map((series) => seriesName(series.name, series.context));
  for (let i = 0; i < parsed.pointSeries.length; i++) {
    const label = labels[parsed.pointSeries.at(i)]!;
    let points = scalars.get(label);
    if (points === undefined) scalars.set(label, points = []);
    points.push({ step: parsed.steps.at(i), value: wireNumber(parsed.values.at(i)) });
  }
  const metrics: Record<string, number | string> = {};
  parsed.series.forEach((series, i) => {
    if (series.context === null) metrics[series.name] = wireNumber(parsed.lastValues[i]!);
  });
  for (const [name, value] of parsed.metrics) metrics[name] = wireNumber(value);
  if (parsed.result !== undefined) numericLeaves(parsed.result.value, "", metrics);
  const artifacts = parsed.files.map(({ kind, name, path, step }) => ({ kind, name, path, step }));
  return { metrics, scalars, artifacts };
}

/** The lines that start in the last `bytes` bytes of the file at `path`. */
async function readTail(path: string, bytes: number): Promise<string> {
  const { text, whole } = await readFileTail(path, bytes);
  return whole ? text : text.slice(text.indexOf("\n") + 1);
}

/** `loss`, or `loss {"subset":"val"}` for a series with a context. */
export function seriesName(name: string, context: unknown): string {
  if (context === null || context === undefined) return name;
  if (typeof context === "object" && Object.keys(context).length === 0) return name;
  return `${name} ${typeof context === "string" ? context : JSON.stringify(context)}`;
}

/** A number as the protocol writes it: non-finite ones as strings. */
function wireNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function isNumberLike(value: unknown): value is number | string {
  return (typeof value === "number" && Number.isFinite(value)) || value === "NaN" ||
    value === "Infinity" || value === "-Infinity";
}

function numericLeaves(value: unknown, path: string, into: Record<string, number | string>): void {
  if (isNumberLike(value) && path !== "") {
    into[path] = value;
  } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) numericLeaves(v, path ? `${path}.${k}` : k, into);
  }
}
