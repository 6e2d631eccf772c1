/**
 * What a trial that is not in the index yet (it is running, or xp was killed before ingesting
 * it) has logged, read from its `events.ndjson`: metrics by the rule of ARCHITECTURE section 7,
 * scalar series, and artifacts.
 *
 * @module
 */

import { join } from "node:path";

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

/** Reads `events.ndjson` of the trial in `dir`; a torn or bad line is skipped. */
export async function readLiveEvents(dir: string): Promise<LiveEvents> {
  let text = "";
  try {
    text = await Deno.readTextFile(join(dir, "events.ndjson"));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const resultMetrics: Record<string, number | string> = {};
  const eventMetrics: Record<string, number | string> = {};
  const scalars = new Map<string, ScalarPoint[]>();
  const artifacts: LiveArtifact[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    const name = typeof event.name === "string" ? event.name : undefined;
    if (event.t === "scalar" && name !== undefined && isNumberLike(event.value)) {
      const series = seriesName(name, event.context);
      const points = scalars.get(series) ?? [];
      const step = typeof event.step === "number" ? event.step : points.length;
      points.push({ step, value: event.value });
      scalars.set(series, points);
    } else if (event.t === "metric" && name !== undefined && isNumberLike(event.value)) {
      eventMetrics[name] = event.value;
    } else if (event.t === "result") {
      for (const key of Object.keys(resultMetrics)) delete resultMetrics[key];
      numericLeaves(event.value, "", resultMetrics);
    } else if (
      (event.t === "artifact" || event.t === "image" || event.t === "figure") && name !== undefined
    ) {
      artifacts.push({
        kind: event.t,
        name,
        path: typeof event.path === "string" ? event.path : null,
        step: typeof event.step === "number" ? event.step : null,
      });
    }
  }
  const metrics: Record<string, number | string> = {};
  for (const [series, points] of scalars) {
    if (!series.includes(" {")) metrics[series] = points.at(-1)!.value;
  }
  Object.assign(metrics, eventMetrics, resultMetrics);
  return { metrics, scalars, artifacts };
}

/** `loss`, or `loss {"subset":"val"}` for a series with a context. */
export function seriesName(name: string, context: unknown): string {
  if (context === null || context === undefined) return name;
  if (typeof context === "object" && Object.keys(context).length === 0) return name;
  return `${name} ${typeof context === "string" ? context : JSON.stringify(context)}`;
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
