/**
 * `deno run -A scripts/gen_fixtures.ts N DIR`: writes a synthetic store of N finished trials into
 * `DIR` (a store root, like `.xp/`) as the trial files xp writes: `status.json`, `meta.json`,
 * `config.json` and `events.ndjson`, plus one `runs/<id>/run.json`. Each trial has 20 params
 * (19 in its config, some nested, and one `param` event), 10 metrics (5 result leaves, 2 `metric` events, and the last values of 3 scalar
 * series) and 3 scalar series of 100 steps each. Values come from a seeded generator, so two
 * calls with the same N give the same files.
 *
 * @module
 */

import { join } from "node:path";

/** Options of {@linkcode generateFixtures}. */
export interface FixtureOptions {
  /** Steps per scalar series. @default {100} */
  steps?: number;
  /** Seed of the value generator. @default {1} */
  seed?: number;
  /** Files written at once. @default {64} */
  concurrency?: number;
}

/** What {@linkcode generateFixtures} wrote. */
export interface FixtureSummary {
  /** Trial keys, in order. */
  keys: string[];
  /** The run id all trials belong to. */
  runId: string;
  /** Bytes of all `events.ndjson` files. */
  eventBytes: number;
  /** Scalar rows (points) written. */
  scalarRows: number;
}

const OPTIMIZERS = ["sgd", "adam", "adamw", "lion"];
const RUN_ID = "20260101T000000000Z-fix0";
const START_MS = Date.UTC(2026, 0, 1);

/** Writes `n` synthetic finished trials into the store at `root`. */
export async function generateFixtures(
  root: string,
  n: number,
  options: FixtureOptions = {},
): Promise<FixtureSummary> {
  const steps = options.steps ?? 100;
  const random = mulberry32(options.seed ?? 1);
  const concurrency = options.concurrency ?? 64;
  await Deno.mkdir(join(root, "trials"), { recursive: true });
  await Deno.mkdir(join(root, "runs", RUN_ID), { recursive: true });
  await Deno.writeTextFile(join(root, "VERSION"), "1\n");
  const keys: string[] = [];
  let eventBytes = 0;
  let next = 0;
  const trials: Record<string, { stage: string; name: string; outcome: "ok" }> = {};
  // Values are drawn in trial order before the writes interleave, so output is deterministic.
  const docs = Array.from({ length: n }, (_, i) => trialDocs(i, steps, random));
  for (const doc of docs) {
    keys.push(doc.key);
    trials[doc.key] = { stage: "train", name: doc.name, outcome: "ok" };
  }
  async function worker(): Promise<void> {
    while (next < docs.length) {
      const doc = docs[next++]!;
      const dir = join(root, "trials", doc.key);
      await Deno.mkdir(join(dir, "out"), { recursive: true });
      await Deno.writeTextFile(join(dir, "config.json"), doc.config);
      await Deno.writeTextFile(join(dir, "meta.json"), doc.meta);
      await Deno.writeTextFile(join(dir, "events.ndjson"), doc.events);
      await Deno.writeTextFile(join(dir, "status.json"), doc.status);
      eventBytes += doc.events.length;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const run = {
    run_id: RUN_ID,
    argv: ["run", "synthetic.yaml"],
    cwd: root,
    experiment_file: "synthetic.yaml",
    experiment: "synthetic",
    host: "fixture",
    started_at: new Date(START_MS).toISOString(),
    finished_at: new Date(START_MS + n * 1000).toISOString(),
    status: "ok",
    plan: { trials: n, cached: 0, todo: n, blocked: 0, excluded: 0 },
    counts: { ok: n },
    trials,
  };
  await Deno.writeTextFile(join(root, "runs", RUN_ID, "run.json"), JSON.stringify(run) + "\n");
  return { keys, runId: RUN_ID, eventBytes, scalarRows: n * 3 * steps };
}

interface TrialDocs {
  key: string;
  name: string;
  config: string;
  meta: string;
  status: string;
  events: string;
}

function trialDocs(i: number, steps: number, random: () => number): TrialDocs {
  const key = hexKey(i);
  const name = `t${String(i).padStart(5, "0")}`;
  const lr = round(10 ** (-4 + 3 * random()));
  const params = {
    lr,
    batch_size: 2 ** (4 + Math.floor(random() * 5)),
    epochs: 10 + Math.floor(random() * 90),
    optimizer: OPTIMIZERS[Math.floor(random() * OPTIMIZERS.length)]!,
    seed: i,
    weight_decay: round(random() * 1e-3),
    momentum: round(0.8 + random() * 0.19),
    label_smoothing: round(random() * 0.2),
    grad_clip: round(0.5 + random() * 4.5),
    augment: random() < 0.5,
    dataset: { fraction: round(0.1 + random() * 0.9) },
    model: {
      depth: 2 + Math.floor(random() * 30),
      width: 64 * (1 + Math.floor(random() * 8)),
      dropout: round(random() * 0.5),
      activation: random() < 0.5 ? "relu" : "gelu",
      norm: random() < 0.5 ? "batch" : "layer",
    },
    schedule: { kind: "cosine", min_lr: round(lr / 100), cycles: 1 + Math.floor(random() * 3) },
  };
  const started = START_MS + i * 1000;
  const finished = started + 500 + Math.floor(random() * 500);
  const lines: string[] = [];
  const quality = random();
  for (let step = 0; step < steps; step++) {
    const time = String((started + step * 5) / 1000);
    const loss = 2.5 * Math.exp(-step / (20 + 40 * quality)) + random() * 0.05;
    const acc = 1 - loss / 2.6;
    const grad = 0.1 + random() * 2;
    lines.push(`{"t":"scalar","name":"loss","value":${loss},"step":${step},"time":${time}}`);
    lines.push(`{"t":"scalar","name":"acc_train","value":${acc},"step":${step},"time":${time}}`);
    lines.push(`{"t":"scalar","name":"grad_norm","value":${grad},"step":${step},"time":${time}}`);
  }
  const accuracy = round(0.5 + 0.45 * quality + random() * 0.04);
  lines.push(JSON.stringify({ t: "metric", name: "throughput", value: round(1000 * random()) }));
  lines.push(JSON.stringify({ t: "metric", name: "memory_mb", value: round(4000 * random()) }));
  lines.push(JSON.stringify({ t: "param", name: "n_params", value: 1000 * params.model.width }));
  const result = {
    accuracy,
    f1: round(accuracy - 0.02 * random()),
    precision: round(accuracy - 0.03 * random()),
    recall: round(accuracy - 0.03 * random()),
    val: { loss: round(0.1 + (1 - quality)) },
  };
  lines.push(JSON.stringify({ t: "result", value: result }));
  const meta = {
    experiment: "synthetic",
    stage: "train",
    name,
    key,
    code_digest: "0".repeat(64),
    deps: [],
    git: { commit: "deadbeef", branch: "main", dirty: false },
    versions: { xp: "0.1.0", deno: "2.9.6" },
    host: "fixture",
    swept: { lr },
    effective_params: params,
  };
  const status = {
    state: "ok",
    exit_code: 0,
    signal: null,
    error: null,
    started_at: new Date(started).toISOString(),
    finished_at: new Date(finished).toISOString(),
    attempt: 1,
    run_id: RUN_ID,
  };
  return {
    key,
    name,
    config: JSON.stringify(params) + "\n",
    meta: JSON.stringify(meta, null, 2) + "\n",
    status: JSON.stringify(status, null, 2) + "\n",
    events: lines.join("\n") + "\n",
  };
}

/** A 64-hex-digit key derived from the index (looks like a sha256, sorts by nothing). */
function hexKey(i: number): string {
  let h = (i + 1) * 2654435761;
  let out = "";
  while (out.length < 64) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 3266489909) >>> 0;
    out += (h >>> 0).toString(16).padStart(8, "0");
  }
  return out.slice(0, 64);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** A small seeded generator: the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (import.meta.main) {
  const [count, dir] = Deno.args;
  if (count === undefined || dir === undefined || !/^\d+$/.test(count)) {
    Deno.stderr.writeSync(new TextEncoder().encode("usage: gen_fixtures.ts N DIR\n"));
    Deno.exit(2);
  }
  const started = performance.now();
  const summary = await generateFixtures(dir, Number(count));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const mb = (summary.eventBytes / 1e6).toFixed(1);
  Deno.stdout.writeSync(
    new TextEncoder().encode(
      `${summary.keys.length} trials, ${summary.scalarRows} scalar rows, ${mb} MB NDJSON in ${seconds} s\n`,
    ),
  );
}
