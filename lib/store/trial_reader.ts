/**
 * Reading one finished trial from its files into what the index holds: `status.json` (final
 * states only), `meta.json`, `config.json` (params), `events.ndjson` (scalars, metrics, texts,
 * params, files, result) and the artifacts it names, hashed into the blobs.
 *
 * Metrics follow ARCHITECTURE section 7: the result's numeric leaves win over `metric` events,
 * which win over the last value of each context-free scalar series. Params are the effective
 * params of `config.json` plus `param` events (flagged as such); an event param with the path
 * of a config param is dropped with a warning, the config value being the one the key was made of.
 *
 * @module
 */

import { join } from "node:path";
import { readNote, readTags } from "./annotations.ts";
import { resolveOutFile, storeBytesBlob, storeFileBlob } from "./blobs.ts";
import { type ParsedEvents, parseEvents } from "./events_reader.ts";
import { flattenLeaves, isPlainObject, type Leaf, numericLeaves } from "./flatten.ts";
import { type StoreLayout, trialDir, trialFile } from "./layout.ts";
import { MEDIA_TYPES } from "./media.ts";
import { FINAL_STATES, type TrialStatus } from "./trial_files.ts";

/** Where a metric's value came from (stored as `TINYINT`). */
export const METRIC_SOURCE = { result: 0, metric: 1, scalar: 2 } as const;

/** A param leaf and whether it came from a `param` event rather than `config.json`. */
export interface ParamLeaf extends Leaf {
  /** From a `param` event. */
  event: boolean;
}

/** One `artifacts` row. */
export interface ArtifactRow {
  /** `artifact`, `image` or `figure`. */
  kind: string;
  /** The name it was logged with. */
  name: string;
  /** Path relative to `out/` (`null` for a Plotly figure, whose spec is the blob). */
  path: string | null;
  /** Hex sha256 of the blob. */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
  /** Detected media type. */
  mediaType: string;
  /** The step, when logged with one. */
  step: number | null;
}

/** One `texts` row. */
export interface TextRow {
  /** The text's name. */
  name: string;
  /** The step, when logged with one. */
  step: number | null;
  /** The text, cut at the text limit. */
  value: string;
  /** The full text's length in characters. */
  chars: number;
}

/** A finished trial, read from its files. */
export interface TrialData {
  /** The key (its directory's name). */
  key: string;
  /** `status.json`'s modification time (ms), to notice a later change cheaply. */
  statusMtime: number;
  /** `status.json`. */
  status: TrialStatus;
  /** `meta.json` fields, as far as they could be read. */
  experiment: string | null;
  /** The stage. */
  stage: string | null;
  /** The trial's name. */
  name: string | null;
  /** Dependency keys. */
  deps: string[];
  /** The key of the trial it forked from, if any. */
  parent: string | null;
  /** Git commit of the experiment directory. */
  gitCommit: string | null;
  /** Git branch. */
  gitBranch: string | null;
  /** Whether the work tree had changes. */
  gitDirty: boolean | null;
  /** The stage's code digest. */
  codeDigest: string | null;
  /** Host it ran on. */
  host: string | null;
  /** Params, config first. */
  params: ParamLeaf[];
  /** Metrics by name with their source. */
  metrics: Map<string, { value: number; source: number }>;
  /** Scalars and the rest of the events. */
  events: ParsedEvents;
  /** Texts, cut at the limit. */
  texts: TextRow[];
  /** Artifacts, images and figures, hashed into the blobs. */
  artifacts: ArtifactRow[];
  /** Tags (`tags.json`), name and value, sorted by name. */
  tags: [string, string][];
  /** The note (`notes.md`), or `null`. */
  note: string | null;
  /** What was skipped, each naming its file (and line). */
  warnings: string[];
}

/** Options of {@linkcode readTrial}. */
export interface ReadTrialOptions {
  /** Texts longer than this many characters are cut in the index (the file keeps them whole). */
  textLimit: number;
}

/** Why a trial was not read. */
export interface NotReadable {
  /** The key. */
  key: string;
  /** No directory, no readable `status.json`, or a state that is not final. */
  reason: "gone" | "missing" | "unfinished";
}

/** Reads the trial `key`; `NotReadable` when it has no final status. */
export async function readTrial(
  layout: StoreLayout,
  key: string,
  options: ReadTrialOptions,
): Promise<TrialData | NotReadable> {
  const dir = trialDir(layout, key);
  const files = readTrialFiles(dir);
  if ("reason" in files) return { key, reason: files.reason };
  const { statusMtime, status, warnings } = files;
  const meta = parseObject(files.meta, trialFile(dir, "meta"), warnings);
  const config = parseObject(files.config, trialFile(dir, "config"), warnings);
  const eventsPath = trialFile(dir, "events");
  const events = parseEvents(files.events, eventsPath);
  warnings.push(...events.warnings);

  const params: ParamLeaf[] = [];
  const configLeaves: Leaf[] = [];
  flattenLeaves(config ?? {}, "", configLeaves);
  const configPaths = new Set<string>();
  for (const leaf of configLeaves) {
    params.push({ ...leaf, event: false });
    configPaths.add(leaf.path);
  }
  for (const [name, { value, line }] of events.params) {
    const leaves: Leaf[] = [];
    flattenLeaves(value, name, leaves);
    for (const leaf of leaves) {
      if (configPaths.has(leaf.path)) {
        warnings.push(
          `${eventsPath}:${line}: param "${leaf.path}" is also in config.json; the config value is kept`,
        );
      } else params.push({ ...leaf, event: true });
    }
  }

  const metrics = new Map<string, { value: number; source: number }>();
  events.series.forEach((series, index) => {
    if (series.context === null) {
      metrics.set(series.name, { value: events.lastValues[index]!, source: METRIC_SOURCE.scalar });
    }
  });
  for (const [name, value] of events.metrics) {
    metrics.set(name, { value, source: METRIC_SOURCE.metric });
  }
  if (events.result !== undefined) {
    const leaves = new Map<string, number>();
    numericLeaves(events.result.value, "", leaves);
    for (const [name, value] of leaves) metrics.set(name, { value, source: METRIC_SOURCE.result });
  }

  const texts = events.texts.map(({ name, step, value }) => ({
    name,
    step,
    value: value.length > options.textLimit ? value.slice(0, options.textLimit) : value,
    chars: value.length,
  }));
  const artifacts = await storeArtifacts(layout, dir, events, eventsPath, warnings);
  // Files are checked after the lines are read: put their warnings back in line order.
  sortByLine(warnings, eventsPath);

  const text = (value: unknown) => typeof value === "string" ? value : null;
  const git = isPlainObject(meta?.git) ? meta.git : {};
  return {
    key,
    statusMtime,
    status,
    experiment: text(meta?.experiment),
    stage: text(meta?.stage),
    name: text(meta?.name),
    deps: Array.isArray(meta?.deps) ? meta.deps.filter((dep) => typeof dep === "string") : [],
    parent: text(meta?.parent),
    gitCommit: text(git.commit),
    gitBranch: text(git.branch),
    gitDirty: typeof git.dirty === "boolean" ? git.dirty : null,
    codeDigest: text(meta?.code_digest),
    host: text(meta?.host),
    params,
    metrics,
    events,
    texts,
    artifacts,
    tags: Object.entries(await readTags(dir)).sort(([a], [b]) => (a < b ? -1 : 1)),
    note: await readNote(dir),
    warnings,
  };
}

async function storeArtifacts(
  layout: StoreLayout,
  dir: string,
  events: ParsedEvents,
  eventsPath: string,
  warnings: string[],
): Promise<ArtifactRow[]> {
  const out = join(dir, "out");
  const rows: ArtifactRow[] = [];
  for (const file of events.files) {
    const where = `${eventsPath}:${file.line}: ${file.kind} ${JSON.stringify(file.name)}`;
    if (file.path === null) {
      const spec = new TextEncoder().encode(JSON.stringify(file.spec));
      const blob = await storeBytesBlob(layout, spec, MEDIA_TYPES.json);
      rows.push({
        kind: file.kind,
        name: file.name,
        path: null,
        step: file.step,
        sha256: blob.sha256,
        bytes: blob.bytes,
        mediaType: blob.mediaType,
      });
      continue;
    }
    const resolved = await resolveOutFile(out, file.path);
    if ("error" in resolved) {
      warnings.push(`${where}: ${resolved.error}; line skipped`);
      continue;
    }
    try {
      const blob = await storeFileBlob(layout, resolved.path);
      rows.push({
        kind: file.kind,
        name: file.name,
        path: file.path,
        step: file.step,
        sha256: blob.sha256,
        bytes: blob.bytes,
        mediaType: blob.mediaType,
      });
    } catch (error) {
      warnings.push(`${where}: cannot store "${file.path}": ${(error as Error).message}`);
    }
  }
  return rows;
}

/** Sorts the warnings about `file` (`file:line: …`) by line, keeping the others first. */
function sortByLine(warnings: string[], file: string): void {
  const line = (warning: string) =>
    warning.startsWith(`${file}:`)
      ? Number(/^(\d+)/.exec(warning.slice(file.length + 1))?.[1] ?? 0)
      : -1;
  const sorted = warnings.map((warning, i) => ({ warning, i, line: line(warning) }))
    .sort((a, b) => a.line - b.line || a.i - b.i)
    .map((entry) => entry.warning);
  warnings.splice(0, warnings.length, ...sorted);
}

/** The texts of a trial's files, or why it is not readable. */
type TrialFiles = {
  statusMtime: number;
  status: TrialStatus;
  meta: string | undefined;
  config: string | undefined;
  events: string;
  warnings: string[];
} | { reason: NotReadable["reason"] };

/**
 * Reads a trial's small files synchronously: for thousands of trials, sync reads measured several
 * times faster than async ones (each async call pays a thread-pool round trip), and ingest is
 * CPU-bound anyway.
 */
function readTrialFiles(dir: string): TrialFiles {
  const statusPath = trialFile(dir, "status");
  let statusMtime: number;
  let status: TrialStatus;
  try {
    // The time is taken before the read: a status written in between is seen as changed later.
    statusMtime = Deno.statSync(statusPath).mtime?.getTime() ?? 0;
    status = JSON.parse(Deno.readTextFileSync(statusPath));
  } catch {
    try {
      Deno.statSync(dir);
    } catch {
      return { reason: "gone" };
    }
    return { reason: "missing" };
  }
  if (!isPlainObject(status) || !FINAL_STATES.includes(status.state)) {
    return { reason: "unfinished" };
  }
  const read = (path: string) => {
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return undefined;
    }
  };
  return {
    statusMtime,
    status,
    meta: read(trialFile(dir, "meta")),
    config: read(trialFile(dir, "config")),
    // A trial that never started (skipped) has no events.
    events: read(trialFile(dir, "events")) ?? "",
    warnings: [],
  };
}

function parseObject(
  text: string | undefined,
  path: string,
  warnings: string[],
): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text);
    if (isPlainObject(value)) return value;
    warnings.push(`${path}: not a JSON object; ignored`);
  } catch {
    warnings.push(`${path}: not valid JSON; ignored`);
  }
  return undefined;
}
