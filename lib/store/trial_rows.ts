/**
 * Trials turned into column batches, one per table, numbering trials and series from 0 within
 * the batch (the writer shifts them to free ids). Building touches no database, so it runs in a
 * worker during a reindex, and its typed arrays are transferred, not copied.
 *
 * @module
 */

import type { TableBatch } from "./db.ts";
import { downsampleMinMax, LOD_POINTS, sortedByStep } from "./downsample.ts";
import type { StoreLayout } from "./layout.ts";
import { TABLES } from "./schema.ts";
import { readTrial, type ReadTrialOptions, type TrialData } from "./trial_reader.ts";

/** The rows of a batch of trials, table by table. */
export interface TrialRows {
  /** Keys of the trials in the batch, in order (batch-local trial `i` is `keys[i]`). */
  keys: string[];
  /** Keys to delete from the index: their directories are gone. */
  removed: string[];
  /** Lines and files skipped, each naming its file. */
  warnings: string[];
  /** `trial` rows; column 0 is the batch-local trial number. */
  trial: TableBatch;
  /** `param` rows; column 0 is the batch-local trial number. */
  param: TableBatch;
  /** `metric` rows; column 0 is the batch-local trial number. */
  metric: TableBatch;
  /** `series` rows; column 0 the batch-local series number, column 1 the trial number. */
  series: TableBatch;
  /** `point` rows; column 0 is the batch-local series number. */
  point: TableBatch;
  /** `point_lod` rows (long series downsampled); column 0 is the batch-local series number. */
  pointLod: TableBatch;
  /** `text` rows; column 0 is the batch-local trial number. */
  text: TableBatch;
  /** `artifact` rows; column 0 is the batch-local trial number. */
  artifact: TableBatch;
  /** `dep` rows; column 0 is the batch-local trial number. */
  dep: TableBatch;
  /** `tag` rows; column 0 is the batch-local trial number. */
  tag: TableBatch;
  /** `note` rows; column 0 is the batch-local trial number. */
  note: TableBatch;
}

/** Options of {@linkcode readTrialRows}. */
export interface ReadRowsOptions extends ReadTrialOptions {
  /** Do not warn about trials that have not finished (catching up skips them silently). */
  quietUnfinished?: boolean;
}

/** Files read at once. */
const READ_CONCURRENCY = 8;

/** Reads the trials `keys` and builds their rows; unfinished ones are skipped with a warning. */
export async function readTrialRows(
  layout: StoreLayout,
  keys: readonly string[],
  options: ReadRowsOptions,
): Promise<TrialRows> {
  const trials: TrialData[] = [];
  const warnings: string[] = [];
  const removed: string[] = [];
  const results = await mapLimit(keys, READ_CONCURRENCY, (key) => readTrial(layout, key, options));
  for (const result of results) {
    if ("status" in result) {
      trials.push(result);
      warnings.push(...result.warnings);
    } else if (result.reason === "gone") removed.push(result.key);
    else if (!options.quietUnfinished) {
      warnings.push(
        result.reason === "missing"
          ? `${layout.trials}/${result.key}: no readable status.json; not indexed`
          : `${layout.trials}/${result.key}: the trial has not finished; not indexed`,
      );
    }
  }
  return buildTrialRows(trials, { warnings, removed });
}

/** Builds the rows of `trials`. */
export function buildTrialRows(
  trials: readonly TrialData[],
  extra: { warnings: string[]; removed: string[] } = { warnings: [], removed: [] },
): TrialRows {
  const [series, point, pointLod] = scalarBatches(trials);
  return {
    keys: trials.map((trial) => trial.key),
    removed: extra.removed,
    warnings: extra.warnings,
    trial: trialBatch(trials),
    param: paramBatch(trials),
    metric: metricBatch(trials),
    series: series!,
    point: point!,
    pointLod: pointLod!,
    text: textBatch(trials),
    artifact: artifactBatch(trials),
    dep: depBatch(trials),
    tag: tagBatch(trials),
    note: noteBatch(trials),
  };
}

/** The typed arrays of `rows`, to transfer them to another thread. */
export function transferables(rows: TrialRows): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const batch of tableBatches(rows)) {
    for (const column of batch.columns) {
      if (column instanceof Float64Array || column instanceof Int32Array) {
        buffers.push(column.buffer as ArrayBuffer);
      }
    }
  }
  return buffers;
}

/** The batches of `rows` in the order they are appended. */
export function tableBatches(rows: TrialRows): TableBatch[] {
  return [
    rows.trial,
    rows.param,
    rows.metric,
    rows.series,
    rows.point,
    rows.pointLod,
    rows.text,
    rows.artifact,
    rows.dep,
    rows.tag,
    rows.note,
  ];
}

/** `[0, 0, …, 1, 1, …]`: the batch-local trial number of each row. */
function trialNumbers(trials: readonly TrialData[], count: (trial: TrialData) => number) {
  let total = 0;
  for (const trial of trials) total += count(trial);
  const numbers = new Int32Array(total);
  let at = 0;
  trials.forEach((trial, i) => {
    const n = count(trial);
    numbers.fill(i, at, at + n);
    at += n;
  });
  return numbers;
}

function trialBatch(trials: readonly TrialData[]): TableBatch {
  const time = (iso: unknown) => {
    const ms = typeof iso === "string" ? Date.parse(iso) : NaN;
    return Number.isNaN(ms) ? null : ms;
  };
  const text = (value: unknown) => typeof value === "string" ? value : null;
  const integer = (value: unknown) => Number.isSafeInteger(value) ? value as number : null;
  const column = <T>(get: (trial: TrialData) => T) => trials.map(get);
  const started = column((trial) => time(trial.status.started_at));
  const finished = column((trial) => time(trial.status.finished_at));
  return {
    table: `${TABLES}.trial`,
    types: [
      "INTEGER",
      "VARCHAR",
      "VARCHAR",
      "VARCHAR",
      "VARCHAR",
      "VARCHAR",
      "VARCHAR",
      "INTEGER",
      "TIMESTAMP",
      "TIMESTAMP",
      "DOUBLE",
      "INTEGER",
      "VARCHAR",
      "VARCHAR",
      "VARCHAR",
      "VARCHAR",
      "BOOLEAN",
      "VARCHAR",
      "VARCHAR",
      "DOUBLE",
      "INTEGER",
      "VARCHAR",
    ],
    columns: [
      trialNumbers(trials, () => 1),
      column((trial) => trial.key),
      column((trial) => trial.experiment),
      column((trial) => trial.stage),
      column((trial) => trial.name),
      column((trial) => trial.status.state),
      column((trial) => text(trial.status.run_id)),
      column((trial) => integer(trial.status.attempt)),
      started,
      finished,
      trials.map((_, i) => {
        const [start, end] = [started[i], finished[i]];
        return start === null || end === null || start === undefined || end === undefined
          ? null
          : (end - start) / 1000;
      }),
      column((trial) => integer(trial.status.exit_code)),
      column((trial) => text(trial.status.signal)),
      column((trial) => text(trial.status.error)),
      column((trial) => trial.gitCommit),
      column((trial) => trial.gitBranch),
      column((trial) => trial.gitDirty),
      column((trial) => trial.codeDigest),
      column((trial) => trial.host),
      column((trial) => trial.statusMtime),
      column((trial) => trial.warnings.length),
      column((trial) => trial.parent),
    ],
    rows: trials.length,
  };
}

function paramBatch(trials: readonly TrialData[]): TableBatch {
  const path: string[] = [];
  const value: string[] = [];
  const num: (number | null)[] = [];
  const type: number[] = [];
  const event: boolean[] = [];
  for (const trial of trials) {
    for (const leaf of trial.params) {
      path.push(leaf.path);
      value.push(leaf.value);
      num.push(leaf.num);
      type.push(leaf.type);
      event.push(leaf.event);
    }
  }
  return {
    table: `${TABLES}.param`,
    types: ["INTEGER", "VARCHAR", "VARCHAR", "DOUBLE", "TINYINT", "BOOLEAN"],
    columns: [trialNumbers(trials, (trial) => trial.params.length), path, value, num, type, event],
    rows: path.length,
  };
}

function metricBatch(trials: readonly TrialData[]): TableBatch {
  const name: string[] = [];
  const value: number[] = [];
  const source: number[] = [];
  for (const trial of trials) {
    for (const [metric, entry] of trial.metrics) {
      name.push(metric);
      value.push(entry.value);
      source.push(entry.source);
    }
  }
  return {
    table: `${TABLES}.metric`,
    types: ["INTEGER", "VARCHAR", "DOUBLE", "TINYINT"],
    columns: [trialNumbers(trials, (trial) => trial.metrics.size), name, value, source],
    rows: name.length,
  };
}

/**
 * The `series`, `point` and `point_lod` batches; points grouped by series (compresses and scans
 * better); each series' count of finite points, and for the long ones their downsampled copy.
 */
function scalarBatches(trials: readonly TrialData[]): TableBatch[] {
  const seriesName: string[] = [];
  const seriesContext: (string | null)[] = [];
  const finite: number[] = [];
  const lod = {
    series: [] as number[],
    step: [] as number[],
    value: [] as number[],
    time: [] as number[],
  };
  let total = 0;
  for (const trial of trials) total += trial.events.values.length;
  const pointSeries = new Int32Array(total);
  const steps = new Float64Array(total);
  const values = new Float64Array(total);
  const times = new Float64Array(total);
  let at = 0;
  for (const trial of trials) {
    const { series, pointSeries: local } = trial.events;
    const base = seriesName.length;
    for (const { name, context } of series) {
      seriesName.push(name);
      seriesContext.push(context);
    }
    // A counting sort by series keeps each series' points in logged order.
    const count = local.length;
    const starts = new Int32Array(series.length + 1);
    const localView = local.view();
    for (let p = 0; p < count; p++) starts[localView[p]! + 1]!++;
    for (let s = 0; s < series.length; s++) starts[s + 1]! += starts[s]!;
    const ends = starts.slice(1);
    const step = trial.events.steps.view();
    const value = trial.events.values.view();
    const time = trial.events.times.view();
    for (let p = 0; p < count; p++) {
      const s = localView[p]!;
      const to = at + starts[s]!++;
      pointSeries[to] = base + s;
      steps[to] = step[p]!;
      values[to] = value[p]!;
      times[to] = time[p]!;
    }
    for (let s = 0; s < series.length; s++) {
      const from = at + (s === 0 ? 0 : ends[s - 1]!);
      const to = at + ends[s]!;
      const { finite: n, sorted } = inspect(steps, values, from, to);
      finite.push(n);
      if (n <= LOD_POINTS) continue;
      const columns = { step: steps, value: values, time: times };
      // Logged out of step order (rare): its finite points (no limit on how many), sorted first.
      const cut = sorted
        ? downsampleMinMax(columns, LOD_POINTS, from, to)
        : downsampleMinMax(sortedByStep(downsampleMinMax(columns, Infinity, from, to)), LOD_POINTS);
      for (let i = 0; i < cut.step.length; i++) {
        lod.series.push(base + s);
        lod.step.push(cut.step[i]!);
        lod.value.push(cut.value[i]!);
        lod.time.push(cut.time[i] ?? NaN);
      }
    }
    at += count;
  }
  const seriesIds = new Int32Array(seriesName.length);
  for (let i = 0; i < seriesIds.length; i++) seriesIds[i] = i;
  return [
    {
      table: `${TABLES}.series`,
      types: ["INTEGER", "INTEGER", "VARCHAR", "VARCHAR", "INTEGER"],
      columns: [
        seriesIds,
        trialNumbers(trials, (trial) => trial.events.series.length),
        seriesName,
        seriesContext,
        Int32Array.from(finite),
      ],
      rows: seriesName.length,
    },
    {
      table: `${TABLES}.point`,
      types: ["INTEGER", "DOUBLE", "DOUBLE", "DOUBLE_NAN_NULL"],
      columns: [pointSeries, steps, values, times],
      rows: total,
    },
    {
      table: `${TABLES}.point_lod`,
      types: ["INTEGER", "DOUBLE", "DOUBLE", "DOUBLE_NAN_NULL"],
      columns: [
        Int32Array.from(lod.series),
        Float64Array.from(lod.step),
        Float64Array.from(lod.value),
        Float64Array.from(lod.time),
      ],
      rows: lod.series.length,
    },
  ];
}

/** How many values in `[from, to)` are finite (what a chart can draw), and whether steps ascend. */
function inspect(
  steps: Float64Array,
  values: Float64Array,
  from: number,
  to: number,
): { finite: number; sorted: boolean } {
  let finite = 0;
  let sorted = true;
  for (let i = from; i < to; i++) {
    if (Number.isFinite(values[i]!)) finite++;
    if (i > from && steps[i]! < steps[i - 1]!) sorted = false;
  }
  return { finite, sorted };
}

function textBatch(trials: readonly TrialData[]): TableBatch {
  const texts = trials.flatMap((trial) => trial.texts);
  return {
    table: `${TABLES}.text`,
    types: ["INTEGER", "VARCHAR", "DOUBLE", "VARCHAR", "BIGINT"],
    columns: [
      trialNumbers(trials, (trial) => trial.texts.length),
      texts.map((text) => text.name),
      texts.map((text) => text.step),
      texts.map((text) => text.value),
      texts.map((text) => text.chars),
    ],
    rows: texts.length,
  };
}

function artifactBatch(trials: readonly TrialData[]): TableBatch {
  const rows = trials.flatMap((trial) => trial.artifacts);
  return {
    table: `${TABLES}.artifact`,
    types: ["INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "VARCHAR", "DOUBLE"],
    columns: [
      trialNumbers(trials, (trial) => trial.artifacts.length),
      rows.map((row) => row.kind),
      rows.map((row) => row.name),
      rows.map((row) => row.path),
      rows.map((row) => row.sha256),
      rows.map((row) => row.bytes),
      rows.map((row) => row.mediaType),
      rows.map((row) => row.step),
    ],
    rows: rows.length,
  };
}

function depBatch(trials: readonly TrialData[]): TableBatch {
  const deps = trials.flatMap((trial) => trial.deps);
  return {
    table: `${TABLES}.dep`,
    types: ["INTEGER", "VARCHAR"],
    columns: [trialNumbers(trials, (trial) => trial.deps.length), deps],
    rows: deps.length,
  };
}

function tagBatch(trials: readonly TrialData[]): TableBatch {
  const tags = trials.flatMap((trial) => trial.tags);
  return {
    table: `${TABLES}.tag`,
    types: ["INTEGER", "VARCHAR", "VARCHAR"],
    columns: [
      trialNumbers(trials, (trial) => trial.tags.length),
      tags.map(([name]) => name),
      tags.map(([, value]) => value),
    ],
    rows: tags.length,
  };
}

function noteBatch(trials: readonly TrialData[]): TableBatch {
  const notes = trials.flatMap((trial) => (trial.note === null ? [] : [trial.note]));
  return {
    table: `${TABLES}.note`,
    types: ["INTEGER", "VARCHAR"],
    columns: [trialNumbers(trials, (trial) => (trial.note === null ? 0 : 1)), notes],
    rows: notes.length,
  };
}

/** Maps with at most `limit` calls in flight, keeping the order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
