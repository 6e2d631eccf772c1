/**
 * Everything the Trial page shows about one trial. Its files (meta, status, config) are the
 * truth; metrics, series names, texts and artifacts come from the index, or, while the trial is
 * not indexed yet (it is running), from its `events.ndjson`.
 *
 * @module
 */

import { join } from "node:path";
import { type Ancestor, readLineage } from "../../lib/query/lineage.ts";
import { readJson } from "../../lib/query/resolve.ts";
import { readNote, readTags } from "../../lib/store/annotations.ts";
import { parseEvents } from "../../lib/store/events_reader.ts";
import { numericLeaves } from "../../lib/store/flatten.ts";
import { trialDir, trialFile } from "../../lib/store/layout.ts";
import { HttpError } from "../http_error.ts";
import { fileSize } from "../live/dir_scan.ts";
import type { Viewer } from "../viewer.ts";
import { checkKey } from "./trial_key.ts";
import type { ArtifactInfo } from "../../lib/query/details.ts";

/** An artifact, image or figure, with the URL that serves it. */
export interface ArtifactView extends ArtifactInfo {
  /** Where to fetch it (`null` when there is nothing to fetch). */
  url: string | null;
  /** A Plotly figure's spec, when it is not in a blob yet. */
  spec?: unknown;
}

/** A scalar series of the trial. */
export interface SeriesInfo {
  /** The series name. */
  name: string;
  /** Its context as canonical JSON, or `null`. */
  context: string | null;
  /** How many points. */
  points: number;
  /** The last value. */
  last: number | string | null;
}

/** One text, at a step. */
export interface TextView {
  /** Its name. */
  name: string;
  /** The step, if logged with one. */
  step: number | null;
  /** The text. */
  value: string;
}

/** What `GET /api/trials/:key` answers. */
export interface TrialDetail {
  /** The key. */
  key: string;
  /** The experiment. */
  experiment: string;
  /** The stage. */
  stage: string;
  /** The trial's name. */
  name: string;
  /** `status.json` as written. */
  status: Record<string, unknown>;
  /** Wall time in seconds, once it has ended. */
  duration_s: number | null;
  /** `config.json`: the resolved config. */
  config: Record<string, unknown>;
  /** The config plus what the dependencies contribute. */
  effective_params: Record<string, unknown>;
  /** The swept values that made it. */
  swept: Record<string, unknown>;
  /** `meta.json` as written (git, versions, host, code digest, …). */
  meta: Record<string, unknown>;
  /** Final metrics. */
  metrics: Record<string, number | string | null>;
  /** Scalar series. */
  scalars: SeriesInfo[];
  /** Texts by name and step. */
  texts: TextView[];
  /** Artifacts, images, figures. */
  artifacts: ArtifactView[];
  /** Its dependencies. */
  deps: { key: string; stage: string; name: string; status: string }[];
  /** The trials it forked from (`xp run --from`), parent first; empty when it did not fork. */
  lineage: Ancestor[];
  /** Its tags (`xp tag`). */
  tags: Record<string, string>;
  /** Its note (`xp note`), or `null`. */
  note: string | null;
  /** Sizes of stdout.log and stderr.log (-1 when absent). */
  logs: { stdout: number; stderr: number };
  /** Whether the index has it. */
  indexed: boolean;
}

/**
 * The trial `key` in detail.
 *
 * @throws {HttpError} 400 for a malformed key, 404 when there is no such trial
 */
export async function trialDetail(viewer: Viewer, key: string): Promise<TrialDetail> {
  checkKey(key);
  const layout = viewer.store.layout;
  const dir = trialDir(layout, key);
  const [meta, status, config] = await Promise.all([
    readJson(trialFile(dir, "meta")),
    readJson(trialFile(dir, "status")),
    readJson(trialFile(dir, "config")),
  ]);
  if (meta === undefined && status === undefined) {
    throw new HttpError(404, `No trial ${key} in ${layout.root}`, {
      hint: "the Trials page lists the trials of this store",
    });
  }
  const indexed = (await viewer.indexedKeys()).has(key);
  const logged = indexed ? await fromIndex(viewer, key) : await fromEvents(key, dir);
  const depKeys = Array.isArray(meta?.deps) ? meta.deps.map(String) : [];
  const deps = await Promise.all(depKeys.map(async (dep) => {
    const depDir = trialDir(layout, dep);
    const [depMeta, depStatus] = await Promise.all([
      readJson(trialFile(depDir, "meta")),
      readJson(trialFile(depDir, "status")),
    ]);
    return {
      key: dep,
      stage: String(depMeta?.stage ?? "?"),
      name: String(depMeta?.name ?? "?"),
      status: String(depStatus?.state ?? "?"),
    };
  }));
  const started = Date.parse(String(status?.started_at ?? ""));
  const finished = Date.parse(String(status?.finished_at ?? ""));
  return {
    key,
    experiment: String(meta?.experiment ?? "?"),
    stage: String(meta?.stage ?? "?"),
    name: String(meta?.name ?? key),
    status: status ?? {},
    duration_s: Number.isFinite(started) && Number.isFinite(finished)
      ? (finished - started) / 1000
      : null,
    config: config ?? {},
    effective_params: (meta?.effective_params ?? config ?? {}) as Record<string, unknown>,
    swept: (meta?.swept ?? {}) as Record<string, unknown>,
    meta: meta ?? {},
    ...logged,
    deps,
    lineage: await readLineage(layout, key),
    tags: await readTags(dir),
    note: await readNote(dir),
    logs: {
      stdout: fileSize(trialFile(dir, "stdout")),
      stderr: fileSize(trialFile(dir, "stderr")),
    },
    indexed,
  };
}

type Logged = Pick<TrialDetail, "metrics" | "scalars" | "texts" | "artifacts">;

async function fromIndex(viewer: Viewer, key: string): Promise<Logged> {
  const result = await viewer.query(
    `select
      (select list({'name': name, 'value': value} order by name) from metrics where key = $1),
      (select list({'name': name, 'context': context, 'points': n, 'last': last}
         order by name, context)
       from (select name, context, count(*) as n, arg_max(value, step) as last
             from scalars where key = $1 group by name, context)),
      (select list({'name': name, 'step': step, 'value': value} order by name, step)
       from texts where key = $1),
      (select list({'kind': kind, 'name': name, 'path': path, 'sha256': sha256, 'bytes': bytes,
         'media_type': media_type, 'step': step} order by kind, name, step)
       from artifacts where key = $1)`,
    [key],
  );
  const [metricRows, seriesRows, textRows, artifactRows] = result.rows[0] ?? [];
  const metrics: Record<string, number | string | null> = {};
  for (const m of (metricRows ?? []) as { name: string; value: number | string | null }[]) {
    metrics[m.name] = m.value;
  }
  const artifacts = ((artifactRows ?? []) as Omit<ArtifactView, "url">[]).map((a) => ({
    ...a,
    url: a.sha256 ? `/api/blobs/${a.sha256}` : a.path ? outUrl(key, a.path) : null,
  }));
  return {
    metrics,
    scalars: (seriesRows ?? []) as SeriesInfo[],
    texts: (textRows ?? []) as TextView[],
    artifacts,
  };
}

async function fromEvents(key: string, dir: string): Promise<Logged> {
  let text = "";
  try {
    text = await Deno.readTextFile(trialFile(dir, "events"));
  } catch {
    // Nothing logged yet.
  }
  const parsed = parseEvents(text, join(dir, "events.ndjson"));
  const counts = new Array<number>(parsed.series.length).fill(0);
  for (let i = 0; i < parsed.pointSeries.length; i++) counts[parsed.pointSeries.at(i)]!++;
  const scalars = parsed.series.map((s, i) => ({
    name: s.name,
    context: s.context,
    points: counts[i]!,
    last: jsonNumber(parsed.lastValues[i]),
  }));
  // Metrics by precedence: result leaves, then metric events, then the last scalar values.
  const metrics: Record<string, number | string | null> = {};
  parsed.series.forEach((s, i) => {
    if (s.context === null) metrics[s.name] = jsonNumber(parsed.lastValues[i]);
  });
  for (const [name, value] of parsed.metrics) metrics[name] = jsonNumber(value);
  const leaves = new Map<string, number>();
  if (parsed.result !== undefined) numericLeaves(parsed.result.value, "", leaves);
  for (const [name, value] of leaves) metrics[name] = jsonNumber(value);
  const artifacts = parsed.files.map((f) => ({
    kind: f.kind,
    name: f.name,
    path: f.path,
    sha256: null,
    bytes: null,
    media_type: null,
    step: f.step,
    url: f.path === null ? null : outUrl(key, f.path),
    ...(f.spec === undefined ? {} : { spec: f.spec }),
  }));
  return { metrics, scalars, texts: parsed.texts, artifacts };
}

function outUrl(key: string, path: string): string {
  return `/api/trials/${key}/files/out/${path.split("/").map(encodeURIComponent).join("/")}`;
}

/** JSON cannot hold NaN or ±Infinity: the protocol's strings stand in for them. */
function jsonNumber(value: number | undefined): number | string | null {
  if (value === undefined) return null;
  return Number.isFinite(value) ? value : String(value);
}
