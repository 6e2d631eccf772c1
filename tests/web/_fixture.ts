/**
 * A small store written as the trial files xp writes (ARCHITECTURE section 5), for the web
 * tests: three finished trials (ok, ok, failed) with series, texts, images, figures, artifacts
 * and logs, tags and a note, and a lineage (failed forked from b, b from a); one running trial
 * that is not indexed; two runs; and the things a viewer must not serve (an HTML artifact with
 * script, a symlink out of the trial, a file beside the store).
 *
 * @module
 */

import { join } from "node:path";
import { memoryStore } from "../../lib/store/memory_store.ts";
import type { Store } from "../../lib/store/store.ts";
import { createApp } from "../../web/app.ts";
import type { LiveEvent, LiveSource } from "../../web/live/live_event.ts";
import type { Hono } from "hono";

/** Keys of the fixture's trials. */
export const KEYS = {
  a: "a".repeat(64),
  b: "b".repeat(64),
  failed: "c".repeat(64),
  running: "d".repeat(64),
} as const;

/** Run ids of the fixture. */
export const RUNS = { done: "20260101T000000000Z-aaaa", running: "20260102T000000000Z-bbbb" };

/** Points in trial a's `loss` series. */
export const A_POINTS = 5000;

/** A 1×1 PNG. */
export const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

interface TrialSpec {
  key: string;
  name: string;
  state: string;
  run: string;
  config: Record<string, unknown>;
  events: unknown[];
  error?: string;
  stdout?: string;
  stderr?: string;
  out?: Record<string, string | Uint8Array>;
  parent?: string;
  tags?: Record<string, string>;
  note?: string;
}

/** Writes the fixture store into `root` (a `.xp/` directory). */
export async function writeFixtureStore(root: string): Promise<void> {
  await Deno.mkdir(join(root, "trials"), { recursive: true });
  await Deno.writeTextFile(join(root, "VERSION"), "1\n");
  await Deno.writeTextFile(join(root, "..", "secret.txt"), "not for the viewer\n");
  const loss = Array.from({ length: A_POINTS }, (_, step) => ({
    t: "scalar",
    name: "loss",
    value: step === 2500 ? 50 : 1 / (step + 1),
    step,
    time: 1767225600 + step / 10,
  }));
  const spec = {
    data: [{ x: [0, 1, 2], y: [1, 3, 2], type: "scatter", mode: "lines", name: "roc" }],
    layout: { title: "ROC" },
  };
  const trials: TrialSpec[] = [
    {
      key: KEYS.a,
      name: "lr=0.1",
      state: "ok",
      run: RUNS.done,
      config: { lr: 0.1, model: { depth: 2 } },
      events: [
        ...loss,
        { t: "metric", name: "accuracy", value: 0.9 },
        { t: "text", name: "sample", value: "first text", step: 0 },
        { t: "text", name: "sample", value: "second text", step: 1 },
        { t: "image", name: "pred", path: "pred.png", step: 0 },
        { t: "figure", name: "roc", format: "plotly", spec },
        { t: "figure", name: "drawing", format: "svg", path: "fig.svg" },
        { t: "artifact", name: "model", path: "model.bin" },
        { t: "artifact", name: "page", path: "page.html" },
        { t: "result", value: { accuracy: 0.91 } },
      ],
      stdout: "hello from a\nline 2\n",
      stderr: "",
      out: {
        "pred.png": PNG,
        "fig.svg":
          '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
        "model.bin": new Uint8Array([0, 1, 2, 3, 255]),
        "page.html": "<html><script>alert(1)</script></html>",
      },
      tags: { best: "yes", paper: "fig 3" },
      note: "the baseline\nkeep it",
    },
    {
      key: KEYS.b,
      name: "lr=0.01",
      state: "ok",
      run: RUNS.done,
      config: { lr: 0.01, model: { depth: 4 } },
      events: [
        ...Array.from({ length: 10 }, (_, step) => ({
          t: "scalar",
          name: "loss",
          value: 2 / (step + 1),
          step,
          time: 1767225700 + step,
        })),
        ...Array.from({ length: 10 }, (_, step) => ({
          t: "scalar",
          name: "loss",
          value: 3 / (step + 1),
          step,
          time: 1767225700 + step,
          context: { subset: "val" },
        })),
        { t: "metric", name: "accuracy", value: "NaN" },
      ],
      stdout: "hello from b\n",
      parent: KEYS.a,
      tags: { best: "no" },
    },
    {
      key: KEYS.failed,
      name: "lr=0.001",
      state: "failed",
      run: RUNS.done,
      config: { lr: 0.001, model: { depth: 8 } },
      error: "exit code 1: ValueError: bad lr",
      events: [{ t: "scalar", name: "loss", value: 9, step: 0, time: 1767225800 }],
      stderr: "Traceback (most recent call last):\nValueError: bad lr\n",
      parent: KEYS.b,
    },
    {
      key: KEYS.running,
      name: "lr=0.5",
      state: "running",
      run: RUNS.running,
      config: { lr: 0.5, model: { depth: 2 } },
      events: [
        { t: "scalar", name: "loss", value: 4, step: 0, time: 1767225900 },
        { t: "scalar", name: "loss", value: 3, step: 1, time: 1767225901 },
        { t: "text", name: "note", value: "still going", step: 1 },
      ],
      stdout: "working...\n",
    },
  ];
  for (const trial of trials) await writeTrial(root, trial);
  const escape = join(root, "trials", KEYS.a, "out", "escape.txt");
  await Deno.symlink(join(root, "..", "secret.txt"), escape);
  await writeRun(root, RUNS.done, "ok", [KEYS.a, KEYS.b, KEYS.failed]);
  await writeRun(root, RUNS.running, "running", []);
}

async function writeTrial(root: string, trial: TrialSpec): Promise<void> {
  const dir = join(root, "trials", trial.key);
  await Deno.mkdir(join(dir, "out"), { recursive: true });
  const final = trial.state !== "running";
  await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(trial.config));
  await Deno.writeTextFile(
    join(dir, "meta.json"),
    JSON.stringify({
      experiment: "demo",
      stage: "train",
      name: trial.name,
      key: trial.key,
      code_digest: "0".repeat(64),
      deps: [],
      ...(trial.parent === undefined ? {} : { parent: trial.parent }),
      git: { commit: "abc123", branch: "main", dirty: false },
      versions: { xp: "0.1.0" },
      host: "test",
      swept: { lr: trial.config.lr },
      effective_params: trial.config,
    }),
  );
  await Deno.writeTextFile(
    join(dir, "events.ndjson"),
    trial.events.map((e) => JSON.stringify(e)).join("\n") + "\n",
  );
  if (trial.tags) await Deno.writeTextFile(join(dir, "tags.json"), JSON.stringify(trial.tags));
  if (trial.note) await Deno.writeTextFile(join(dir, "notes.md"), `${trial.note}\n`);
  if (trial.stdout !== undefined) await Deno.writeTextFile(join(dir, "stdout.log"), trial.stdout);
  if (trial.stderr !== undefined) await Deno.writeTextFile(join(dir, "stderr.log"), trial.stderr);
  for (const [name, content] of Object.entries(trial.out ?? {})) {
    if (typeof content === "string") await Deno.writeTextFile(join(dir, "out", name), content);
    else await Deno.writeFile(join(dir, "out", name), content);
  }
  await Deno.writeTextFile(
    join(dir, "status.json"),
    JSON.stringify({
      state: trial.state,
      exit_code: trial.state === "failed" ? 1 : final ? 0 : null,
      signal: null,
      error: trial.error ?? null,
      started_at: "2026-01-01T00:00:00.000Z",
      finished_at: final ? "2026-01-01T00:00:02.500Z" : null,
      attempt: 1,
      run_id: trial.run,
    }),
  );
}

async function writeRun(root: string, id: string, status: string, keys: string[]): Promise<void> {
  const dir = join(root, "runs", id);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "run.json"),
    JSON.stringify({
      run_id: id,
      argv: ["run", "xp.yaml"],
      cwd: "/tmp",
      experiment_file: "xp.yaml",
      experiment: "demo",
      host: "test",
      started_at: status === "running" ? new Date().toISOString() : "2026-01-01T00:00:00.000Z",
      finished_at: status === "running" ? null : "2026-01-01T00:01:00.000Z",
      status,
      plan: { trials: 3, cached: 0, todo: keys.length || 2, blocked: 0, excluded: 0 },
      counts: status === "running" ? {} : { ok: 2, failed: 1 },
      trials: Object.fromEntries(
        keys.map((k) => [k, { stage: "train", name: k.slice(0, 4), outcome: "ok" }]),
      ),
    }),
  );
}

/** A live source fed by hand: `emit` sends an event to every listener. */
export interface FakeLive extends LiveSource {
  /** Sends `event` to the listeners. */
  emit(event: LiveEvent): void;
  /** How many listen. */
  readonly listeners: number;
}

/** A {@linkcode FakeLive} that says "ready" to each new listener. */
export function fakeLive(): FakeLive {
  const listeners = new Set<(event: LiveEvent) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      queueMicrotask(() => listener({ type: "ready" }));
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    get listeners() {
      return listeners.size;
    },
  };
}

/** What {@linkcode withFixtureApp} hands its callback. */
export interface FixtureApp {
  /** The app. */
  app: Hono;
  /** The store it reads. */
  store: Store;
  /** The live source it uses. */
  live: FakeLive;
  /** The store directory. */
  root: string;
}

/** Runs `fn` with an app over a fresh fixture store (memory index), cleaned up afterwards. */
export async function withFixtureApp<T>(
  fn: (fixture: FixtureApp) => Promise<T>,
  options: { token?: string; signal?: AbortSignal } = {},
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "xp_web_" });
  const root = join(dir, ".xp");
  await writeFixtureStore(root);
  const store = await memoryStore(root);
  const live = fakeLive();
  try {
    const app = createApp({ store, live, token: options.token, signal: options.signal });
    return await fn({ app, store, live, root });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** GETs `path` from `app` and parses the JSON answer. */
export async function getJson(
  app: Hono,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> & { error?: string }; res: Response }> {
  const res = await app.request(path, init);
  const body = await res.json();
  return { status: res.status, body, res };
}
