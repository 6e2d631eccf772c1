/**
 * Everything `xp show` and `xp compare` say about one trial: its files (meta, status, config,
 * stderr tail) are the truth; metrics and artifacts come from the index, or from the trial's
 * events while it is not indexed yet.
 *
 * @module
 */

import { join } from "node:path";
import { readNote, readTags } from "../store/annotations.ts";
import type { Store } from "../store/store.ts";
import { type Ancestor, readLineage } from "./lineage.ts";
import { readLiveEvents } from "./live.ts";
import { readFileTail } from "../store/tail.ts";
import { readJson } from "./resolve.ts";

/** One artifact, image or figure of a trial. */
export interface ArtifactInfo {
  /** artifact, image or figure. */
  kind: string;
  /** Its name. */
  name: string;
  /** Path relative to the trial's `out/`. */
  path: string | null;
  /** Content hash, once stored in blobs/ (indexed trials only). */
  sha256: string | null;
  /** Size in bytes (indexed trials only). */
  bytes: number | null;
  /** Media type (indexed trials only). */
  media_type: string | null;
  /** The step, for images. */
  step: number | null;
}

/** A dependency of a trial. */
export interface DepInfo {
  /** Its key. */
  key: string;
  /** Its stage ("?" when its files are gone). */
  stage: string;
  /** Its name. */
  name: string;
  /** Its state. */
  status: string;
}

/** One trial in detail. */
export interface TrialDetails {
  /** Its key. */
  key: string;
  /** Its directory. */
  dir: string;
  /** The experiment. */
  experiment: string;
  /** The stage. */
  stage: string;
  /** The trial's name. */
  name: string;
  /** `status.json` as written (state, exit_code, signal, error, times, attempt, run_id). */
  status: Record<string, unknown>;
  /** Wall time in seconds, when it has started and ended. */
  durationS: number | null;
  /** `config.json`: the resolved config. */
  config: Record<string, unknown>;
  /** The swept values that made it. */
  swept: Record<string, unknown>;
  /** The git state of the experiment directory. */
  git: unknown;
  /** Final metrics. */
  metrics: Record<string, unknown>;
  /** Artifacts, images and figures. */
  artifacts: ArtifactInfo[];
  /** Its dependencies. */
  deps: DepInfo[];
  /** The trials it forked from (`xp run --from`), parent first; empty when it did not fork. */
  lineage: Ancestor[];
  /** Whether the index has it (else metrics and artifacts were read from its events). */
  indexed: boolean;
  /** Where it ran: host, user, os, cpus, versions, captured env (meta.json; absent left out). */
  provenance: Record<string, unknown>;
  /** Its tags (`tags.json`). */
  tags: Record<string, string>;
  /** Its note (`notes.md`), or `null`. */
  note: string | null;
}

/** Reads the details of the trial `key` of `store`. */
export async function loadTrialDetails(
  store: Pick<Store, "query" | "layout">,
  key: string,
): Promise<TrialDetails> {
  const dir = join(store.layout.trials, key);
  const [meta, status, config] = await Promise.all([
    readJson(join(dir, "meta.json")),
    readJson(join(dir, "status.json")),
    readJson(join(dir, "config.json")),
  ]);
  const indexed = await store.query(
    `select (select count(*) from trials where key = $1) as n,
      (select list({'name': name, 'value': value} order by name) from metrics where key = $1) as metrics,
      (select list({'kind': kind, 'name': name, 'path': path, 'sha256': sha256, 'bytes': bytes,
        'media_type': media_type, 'step': step} order by kind, name, step) from artifacts where key = $1) as artifacts`,
    [key],
  );
  const [count, metricRows, artifactRows] = indexed.rows[0] ?? [0, null, null];
  const inIndex = Number(count) > 0;
  let metrics: Record<string, unknown> = {};
  let artifacts: ArtifactInfo[] = [];
  if (inIndex) {
    for (const m of (metricRows ?? []) as { name: string; value: unknown }[]) {
      metrics[m.name] = m.value;
    }
    artifacts = (artifactRows ?? []) as ArtifactInfo[];
  } else {
    const live = await readLiveEvents(dir);
    metrics = live.metrics;
    artifacts = live.artifacts.map((a) => ({ ...a, sha256: null, bytes: null, media_type: null }));
  }
  const depKeys = Array.isArray(meta?.deps) ? meta.deps.map(String) : [];
  const deps = await Promise.all(depKeys.map(async (dep): Promise<DepInfo> => {
    const depDir = join(store.layout.trials, dep);
    const [depMeta, depStatus] = await Promise.all([
      readJson(join(depDir, "meta.json")),
      readJson(join(depDir, "status.json")),
    ]);
    return {
      key: dep,
      stage: String(depMeta?.stage ?? "?"),
      name: String(depMeta?.name ?? "?"),
      status: String(depStatus?.state ?? "?"),
    };
  }));
  return {
    key,
    dir,
    experiment: String(meta?.experiment ?? "?"),
    stage: String(meta?.stage ?? "?"),
    name: String(meta?.name ?? "?"),
    status: status ?? {},
    durationS: duration(status),
    config: config ?? {},
    swept: (meta?.swept ?? {}) as Record<string, unknown>,
    git: meta?.git ?? null,
    metrics,
    artifacts,
    deps,
    lineage: await readLineage(store.layout, key),
    indexed: inIndex,
    provenance: Object.fromEntries(
      ["host", "user", "os", "cpus", "versions", "env"].filter((k) =>
        meta?.[k] !== undefined && meta?.[k] !== null
      ).map((
        k,
      ) => [k, meta?.[k]]),
    ),
    tags: await readTags(dir),
    note: await readNote(dir),
  };
}

function duration(status: Record<string, unknown> | undefined): number | null {
  const started = Date.parse(String(status?.started_at ?? ""));
  const finished = Date.parse(String(status?.finished_at ?? ""));
  return Number.isFinite(started) && Number.isFinite(finished) ? (finished - started) / 1000 : null;
}

/**
 * The last `lines` lines of a text file (reading at most its last 64 KiB); `[]` when it does not
 * exist.
 */
export async function tailLines(path: string, lines: number): Promise<string[]> {
  let tail;
  try {
    tail = await readFileTail(path, 65536);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const text = tail.text.replace(/\n$/, "");
  if (text === "") return [];
  const all = text.split("\n");
  // A cut first line is partial; drop it unless the whole file was read.
  if (!tail.whole) all.shift();
  return all.slice(-lines);
}
