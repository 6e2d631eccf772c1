/**
 * A store built from fixture trial files, as `xp run` leaves them (lib/store/trial_files.ts):
 * config.json, meta.json, status.json, events.ndjson, logs, out/, and a run record. The index
 * is then built from these files by the store, like after a crash or `xp reindex`.
 *
 * @module
 */

import { join } from "node:path";
import type { RunRecord, TrialMeta, TrialState, TrialStatus } from "../../lib/store/mod.ts";

/** One fixture trial. */
export interface FixtureTrial {
  /** The key; default: sha256 of stage and name. */
  key?: string;
  /** @default {"mnist"} */
  experiment?: string;
  /** @default {"train"} */
  stage?: string;
  /** The trial's name. */
  name: string;
  /** The resolved config. */
  params: Record<string, unknown>;
  /** The swept values. @default {params' top-level numbers} */
  swept?: Record<string, unknown>;
  /** @default {"ok"} */
  state?: TrialState;
  /** The error line for a failed trial. */
  error?: string;
  /** Seconds it ran. @default {1.5} */
  duration?: number;
  /** When it started. @default {2026-01-01T00:00:00Z plus its position in minutes} */
  startedAt?: string;
  /** Events, one object each (written as NDJSON). */
  events?: Record<string, unknown>[];
  /** stdout.log. */
  stdout?: string;
  /** stderr.log. */
  stderr?: string;
  /** Files under out/. */
  out?: Record<string, string>;
  /** Dependency keys. */
  deps?: string[];
  /** Without status.json (a trial that has not started). */
  noStatus?: boolean;
}

/** The run id fixture trials belong to. */
export const FIXTURE_RUN = "20260101T000000000Z-abcd";

/** The key a fixture trial gets when none is given. */
export async function fixtureKey(stage: string, name: string): Promise<string> {
  const bytes = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${stage}\0${name}`),
  );
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes `trials` into the store at `root` (created) and a run record; returns their keys. */
export async function writeFixtureStore(
  root: string,
  trials: readonly FixtureTrial[],
): Promise<string[]> {
  await Deno.mkdir(join(root, "trials"), { recursive: true });
  await Deno.writeTextFile(join(root, "VERSION"), "1\n");
  const keys: string[] = [];
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (const [i, trial] of trials.entries()) {
    const stage = trial.stage ?? "train";
    const key = trial.key ?? await fixtureKey(stage, trial.name);
    keys.push(key);
    await writeFixtureTrial(root, key, trial, new Date(base + i * 60_000).toISOString());
  }
  const record: RunRecord = {
    run_id: FIXTURE_RUN,
    argv: ["run", "xp.yaml"],
    cwd: root,
    experiment_file: "xp.yaml",
    experiment: trials[0]?.experiment ?? "mnist",
    host: "test",
    started_at: new Date(base).toISOString(),
    finished_at: new Date(base + trials.length * 60_000).toISOString(),
    status: trials.some((t) => (t.state ?? "ok") !== "ok") ? "failed" : "ok",
    plan: { trials: trials.length, cached: 0, todo: trials.length, blocked: 0, excluded: 0 },
    counts: {
      ok: trials.filter((t) => (t.state ?? "ok") === "ok").length,
      failed: trials.filter((t) => t.state === "failed").length,
    },
    trials: Object.fromEntries(trials.map((t, i) => [keys[i]!, {
      stage: t.stage ?? "train",
      name: t.name,
      outcome: t.state ?? "ok",
    }])),
  };
  await Deno.mkdir(join(root, "runs", FIXTURE_RUN), { recursive: true });
  await Deno.writeTextFile(join(root, "runs", FIXTURE_RUN, "run.json"), JSON.stringify(record));
  return keys;
}

/** Writes one trial's directory. */
export async function writeFixtureTrial(
  root: string,
  key: string,
  trial: FixtureTrial,
  defaultStart: string,
): Promise<string> {
  const dir = join(root, "trials", key);
  await Deno.mkdir(join(dir, "out"), { recursive: true });
  const swept = trial.swept ??
    Object.fromEntries(Object.entries(trial.params).filter(([, v]) => typeof v === "number"));
  const meta: TrialMeta = {
    experiment: trial.experiment ?? "mnist",
    stage: trial.stage ?? "train",
    name: trial.name,
    key,
    code_digest: "0".repeat(64),
    deps: trial.deps ?? [],
    git: { commit: "abc123", branch: "main", dirty: false },
    versions: { xp: "0.1.0" },
    host: "test",
    swept,
    effective_params: trial.params,
  };
  await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(trial.params) + "\n");
  await Deno.writeTextFile(join(dir, "meta.json"), JSON.stringify(meta));
  await Deno.writeTextFile(
    join(dir, "events.ndjson"),
    (trial.events ?? []).map((e) => JSON.stringify(e) + "\n").join(""),
  );
  await Deno.writeTextFile(join(dir, "stdout.log"), trial.stdout ?? "");
  await Deno.writeTextFile(join(dir, "stderr.log"), trial.stderr ?? "");
  for (const [file, text] of Object.entries(trial.out ?? {})) {
    await Deno.writeTextFile(join(dir, "out", file), text);
  }
  if (!trial.noStatus) {
    const started = trial.startedAt ?? defaultStart;
    const state = trial.state ?? "ok";
    const status: TrialStatus = {
      state,
      exit_code: state === "ok" ? 0 : state === "running" ? null : 1,
      signal: null,
      error: trial.error ?? (state === "ok" || state === "running" ? null : "exited with code 1"),
      started_at: started,
      finished_at: state === "running"
        ? null
        : new Date(Date.parse(started) + (trial.duration ?? 1.5) * 1000).toISOString(),
      attempt: 1,
      run_id: FIXTURE_RUN,
    };
    await Deno.writeTextFile(join(dir, "status.json"), JSON.stringify(status));
  }
  return dir;
}

/** A scalar series as events. */
export function series(
  name: string,
  values: readonly (number | string)[],
  context?: unknown,
): Record<string, unknown>[] {
  return values.map((value, step) => ({
    t: "scalar",
    name,
    value,
    step,
    time: 1767225600 + step,
    ...(context === undefined ? {} : { context }),
  }));
}

/** The standard fixture: a small lr × depth sweep with a failure, a NaN, an eval stage. */
export function standardTrials(): FixtureTrial[] {
  const trials: FixtureTrial[] = [];
  for (const lr of [0.1, 0.01]) {
    for (const depth of [2, 4]) {
      const failed = lr === 0.01 && depth === 4;
      const acc = lr === 0.1 ? 0.8 + depth / 100 : depth === 2 ? "NaN" : undefined;
      trials.push({
        name: `lr=${lr},depth=${depth}`,
        params: { lr, model: { depth, kind: "mlp" }, opt: "adam" },
        swept: { lr, "model.depth": depth },
        state: failed ? "failed" : "ok",
        ...(failed ? { error: "Error: diverged" } : {}),
        duration: depth,
        events: [
          ...series("loss", [1, 0.5 + lr, 0.25 + lr]),
          ...(acc === undefined ? [] : [{ t: "metric", name: "accuracy", value: acc }]),
          ...(failed ? [] : [{ t: "artifact", name: "model", path: "model.bin" }]),
        ],
        stdout: `epoch 1\nepoch 2\ndone lr=${lr}\n`,
        stderr: failed
          ? Array.from({ length: 15 }, (_, i) => `warn ${i + 1}`).join("\n") + "\nError: diverged\n"
          : "",
        out: failed ? {} : { "model.bin": "weights", "preds.csv": "step,pred\n1,0.5\n2,0.75\n" },
      });
    }
  }
  trials.push({
    stage: "eval",
    name: "lr=0.1,depth=2",
    params: { split: "val", lr: 0.1 },
    swept: {},
    events: [{ t: "metric", name: "f1", value: 0.7 }, ...series("loss", [0.9, 0.3])],
  });
  return trials;
}
