/**
 * The points of one scalar series name for several trials, ready to draw: from the index,
 * downsampled there (min and max per step bucket, at most `maxPoints` a series) so 20 trials of
 * 100,000 points cross the wire as 40,000; within a zoomed step range (`from`, `to`) at full
 * resolution once it is small enough. Trials not indexed yet are read from their events.
 *
 * @module
 */

import { join } from "node:path";
import { parseEvents } from "../../lib/store/events_reader.ts";
import { trialDir, trialFile } from "../../lib/store/layout.ts";
import type { Viewer } from "../viewer.ts";
import {
  downsampleMinMax,
  LOD_POINTS,
  type SeriesPoints,
  sortedByStep,
} from "../../lib/store/downsample.ts";
import { TABLES } from "../../lib/store/schema.ts";

/** One trial's series of the name asked for (a context makes a separate series). */
export interface SeriesData extends SeriesPoints {
  /** The trial's key. */
  key: string;
  /** The context as canonical JSON, or `null`. */
  context: string | null;
  /** Points in the range before downsampling. */
  total: number;
  /** Whether points were left out. */
  downsampled: boolean;
}

/** What to fetch. */
export interface SeriesQuery {
  /** Trial keys (checked). */
  keys: readonly string[];
  /** The series name. */
  name: string;
  /** Lowest step, inclusive. */
  from?: number | undefined;
  /** Highest step, inclusive. */
  to?: number | undefined;
  /** Most points a series. */
  maxPoints: number;
}

/** The series `query.name` of each trial in `query.keys` that has it. */
export async function loadSeries(viewer: Viewer, query: SeriesQuery): Promise<SeriesData[]> {
  const indexed = await viewer.indexedKeys();
  const inIndex = query.keys.filter((k) => indexed.has(k));
  const onDisk = query.keys.filter((k) => !indexed.has(k) && viewer.trialKeys().has(k));
  const [fromIndex, fromFiles] = await Promise.all([
    inIndex.length > 0 ? indexSeries(viewer, { ...query, keys: inIndex }) : [],
    Promise.all(onDisk.map((key) => fileSeries(viewer, key, query))),
  ]);
  const all = [...fromIndex, ...fromFiles.flat()];
  const order = new Map(query.keys.map((k, i) => [k, i]));
  return all.sort((a, b) =>
    order.get(a.key)! - order.get(b.key)! || (a.context ?? "").localeCompare(b.context ?? "")
  );
}

async function indexSeries(viewer: Viewer, query: SeriesQuery): Promise<SeriesData[]> {
  if (query.from === undefined && query.to === undefined && query.maxPoints === LOD_POINTS) {
    return await lodSeries(viewer, query);
  }
  const buckets = Math.max(1, Math.floor(query.maxPoints / 2));
  const keys = query.keys.map((k) => `'${k}'`).join(", ");
  const params: unknown[] = [query.name];
  let range = "";
  if (query.from !== undefined) {
    params.push(query.from);
    range += ` and step >= $${params.length}`;
  }
  if (query.to !== undefined) {
    params.push(query.to);
    range += ` and step <= $${params.length}`;
  }
  // Keys are checked to be [A-Za-z0-9_-] before they get here, so they are quoted as they are.
  // The context is coalesced so that series join on plain equality (a hash join): `is not
  // distinct from` made DuckDB compare every point with every series.
  const sql = `with s as (
      select key, coalesce(context, '') as ctx, step, value, time from scalars
      where name = $1 and key in (${keys}) and isfinite(value)${range}),
    r as (select key, ctx, min(step) as lo, max(step) as hi, count(*) as n
      from s group by key, ctx),
    b as (select s.key, s.ctx, r.n, s.step, s.value, s.time,
      case when r.n <= ${query.maxPoints} then s.step
        else least(${buckets - 1}, floor((s.step - r.lo) * ${buckets} / (r.hi - r.lo + 1))) end
        as bucket
      from s join r on s.key = r.key and s.ctx = r.ctx)
    select key, ctx, any_value(n), arg_min(step, value), min(value), arg_min(time, value),
      arg_max(step, value), max(value), arg_max(time, value)
    from b group by key, ctx, bucket order by key, ctx, bucket`;
  const result = await viewer.query(sql, params);
  const byId = new Map<string, SeriesData>();
  for (const [key, context, n, s1, v1, t1, s2, v2, t2] of result.rows) {
    const id = `${key}\u0000${context}`;
    let series = byId.get(id);
    if (series === undefined) {
      const total = Number(n);
      series = {
        key: String(key),
        context: context === "" || context === null ? null : String(context),
        total,
        downsampled: total > query.maxPoints,
        step: [],
        value: [],
        time: [],
      };
      byId.set(id, series);
    }
    const low = [Number(s1), Number(v1), seconds(t1)] as const;
    const high = [Number(s2), Number(v2), seconds(t2)] as const;
    const points = low[0] === high[0] && low[1] === high[1]
      ? [low]
      : low[0] <= high[0]
      ? [low, high]
      : [high, low];
    for (const [step, value, time] of points) {
      series.step.push(step);
      series.value.push(value);
      series.time.push(time);
    }
  }
  return [...byId.values()];
}

/**
 * The default chart: the downsampled copy ingest kept of each long series (`point_lod`), and the
 * points of the short ones, instead of bucketing every point (measured: 20 trials of 100,000
 * points, 0.58 s that way).
 */
async function lodSeries(viewer: Viewer, query: SeriesQuery): Promise<SeriesData[]> {
  const keys = query.keys.map((k) => `'${k}'`).join(", ");
  // Keys are checked to be [A-Za-z0-9_-] before they get here, so they are quoted as they are.
  const found = await viewer.query(
    `select s.series_id, t.key, s.context, s.points
     from ${TABLES}.series s join ${TABLES}.trial t on t.tid = s.tid
     where s.name = $1 and t.key in (${keys}) and s.points > 0`,
    [query.name],
  );
  const byId = new Map<number, SeriesData>();
  for (const [id, key, context, points] of found.rows) {
    const total = Number(points);
    byId.set(Number(id), {
      key: String(key),
      context: context === null ? null : String(context),
      total,
      downsampled: total > LOD_POINTS,
      step: [],
      value: [],
      time: [],
    });
  }
  const long = [...byId].filter(([, s]) => s.downsampled).map(([id]) => id);
  const short = [...byId].filter(([, s]) => !s.downsampled).map(([id]) => id);
  const parts = [
    ...(long.length > 0
      ? [`select series_id, step, value, time from ${TABLES}.point_lod
          where series_id in (${long.join(", ")})`]
      : []),
    ...(short.length > 0
      ? [`select series_id, step, value, time from ${TABLES}.point
          where series_id in (${short.join(", ")}) and isfinite(value)`]
      : []),
  ];
  if (parts.length === 0) return [];
  const points = await viewer.query(`${parts.join(" union all ")} order by series_id, step`);
  for (const [id, step, value, time] of points.rows) {
    const series = byId.get(Number(id))!;
    series.step.push(Number(step));
    series.value.push(Number(value));
    series.time.push(seconds(time));
  }
  return [...byId.values()].filter((s) => s.step.length > 0);
}

async function fileSeries(viewer: Viewer, key: string, query: SeriesQuery): Promise<SeriesData[]> {
  const dir = trialDir(viewer.store.layout, key);
  let text = "";
  try {
    text = await Deno.readTextFile(trialFile(dir, "events"));
  } catch {
    return [];
  }
  const parsed = parseEvents(text, join(dir, "events.ndjson"));
  const wanted = new Map<number, SeriesPoints>();
  parsed.series.forEach((s, i) => {
    if (s.name === query.name) wanted.set(i, { step: [], value: [], time: [] });
  });
  for (let i = 0; i < parsed.pointSeries.length; i++) {
    const points = wanted.get(parsed.pointSeries.at(i));
    if (points === undefined) continue;
    const step = parsed.steps.at(i);
    const value = parsed.values.at(i);
    if (!Number.isFinite(value)) continue;
    if (query.from !== undefined && step < query.from) continue;
    if (query.to !== undefined && step > query.to) continue;
    points.step.push(step);
    points.value.push(value);
    points.time.push(seconds(parsed.times.at(i)));
  }
  return [...wanted].map(([i, points]) => {
    const sorted = sortedByStep(points);
    const total = sorted.step.length;
    return {
      key,
      context: parsed.series[i]!.context,
      total,
      downsampled: total > query.maxPoints,
      ...downsampleMinMax(sorted, query.maxPoints),
    };
  }).filter((s) => s.total > 0);
}

function seconds(value: unknown): number | null {
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A series name and how many of the trials have it. */
export interface SeriesName {
  /** The series name. */
  name: string;
  /** How many of the trials asked about log it. */
  trials: number;
}

/** The scalar series names of `keys`, by name. */
export async function seriesNames(viewer: Viewer, keys: readonly string[]): Promise<SeriesName[]> {
  const indexed = await viewer.indexedKeys();
  const inIndex = keys.filter((k) => indexed.has(k));
  const onDisk = keys.filter((k) => !indexed.has(k) && viewer.trialKeys().has(k));
  const counts = new Map<string, number>();
  if (inIndex.length > 0) {
    // From the series table, not the scalars view: the names need none of the points.
    const result = await viewer.query(
      `select s.name, count(distinct t.key)
       from ${TABLES}.series s join ${TABLES}.trial t on t.tid = s.tid
       where t.key in (${inIndex.map((k) => `'${k}'`).join(", ")}) group by s.name`,
    );
    for (const [name, n] of result.rows) counts.set(String(name), Number(n));
  }
  const fromFiles = await Promise.all(onDisk.map(async (key) => {
    const dir = trialDir(viewer.store.layout, key);
    try {
      const text = await Deno.readTextFile(trialFile(dir, "events"));
      return new Set(parseEvents(text, join(dir, "events.ndjson")).series.map((s) => s.name));
    } catch {
      return new Set<string>();
    }
  }));
  for (const names of fromFiles) {
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, trials]) => ({ name, trials }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
