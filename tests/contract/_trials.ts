/**
 * Writing trial directories the way `xp run` leaves them, for store tests.
 *
 * @module
 */

import { join } from "node:path";

/** What to write for one trial; everything but the key has a default. */
export interface TrialSpec {
  /** The key (directory name). */
  key: string;
  /** Trial name. @default {key} */
  name?: string;
  /** Stage. @default {"train"} */
  stage?: string;
  /** `status.json` fields over `{ state: "ok", attempt: 1, … }`. */
  status?: Record<string, unknown>;
  /** `config.json`. @default {{}} */
  config?: unknown;
  /** Dependency keys. */
  deps?: string[];
  /** The key of the trial it forked from. */
  parent?: string;
  /** Event lines: objects are JSON-encoded, strings written as they are. */
  events?: (Record<string, unknown> | string)[];
  /** Raw `events.ndjson` text (wins over `events`). */
  eventsText?: string;
  /** Files in `out/`, by relative path. */
  out?: Record<string, string | Uint8Array>;
  /** Leave `status.json` out. */
  noStatus?: boolean;
}

/** Writes the trial `spec` under `root/trials/`; returns its directory. */
export async function writeTrial(root: string, spec: TrialSpec): Promise<string> {
  const dir = join(root, "trials", spec.key);
  await Deno.mkdir(join(dir, "out"), { recursive: true });
  const meta = {
    experiment: "exp",
    stage: spec.stage ?? "train",
    name: spec.name ?? spec.key,
    key: spec.key,
    code_digest: "c0de",
    deps: spec.deps ?? [],
    ...(spec.parent === undefined ? {} : { parent: spec.parent }),
    git: { commit: "abc123", branch: "main", dirty: false },
    versions: { xp: "0.1.0" },
    host: "testhost",
    swept: {},
    effective_params: spec.config ?? {},
  };
  await Deno.writeTextFile(join(dir, "meta.json"), JSON.stringify(meta));
  await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(spec.config ?? {}));
  const text = spec.eventsText ??
    (spec.events ?? []).map((e) => typeof e === "string" ? e : JSON.stringify(e)).join("\n") +
      ((spec.events ?? []).length > 0 ? "\n" : "");
  await Deno.writeTextFile(join(dir, "events.ndjson"), text);
  for (const [path, content] of Object.entries(spec.out ?? {})) {
    const file = join(dir, "out", path);
    await Deno.mkdir(join(file, ".."), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(file, content);
    else await Deno.writeFile(file, content);
  }
  if (!spec.noStatus) await writeStatus(root, spec.key, spec.status ?? {});
  return dir;
}

/** Writes (or rewrites) a trial's `status.json`. */
export async function writeStatus(
  root: string,
  key: string,
  fields: Record<string, unknown>,
): Promise<void> {
  const status = {
    state: "ok",
    exit_code: 0,
    signal: null,
    error: null,
    started_at: "2026-01-01T00:00:00.000Z",
    finished_at: "2026-01-01T00:00:02.500Z",
    attempt: 1,
    run_id: "20260101T000000000Z-test",
    ...fields,
  };
  await Deno.writeTextFile(join(root, "trials", key, "status.json"), JSON.stringify(status));
}

/** Writes `runs/<id>/run.json`. */
export async function writeRun(
  root: string,
  id: string,
  fields: Record<string, unknown> = {},
): Promise<void> {
  await Deno.mkdir(join(root, "runs", id), { recursive: true });
  const run = {
    run_id: id,
    argv: ["run", "exp.yaml", "lr=0.1,0.01"],
    cwd: "/work",
    experiment_file: "exp.yaml",
    experiment: "exp",
    host: "testhost",
    started_at: "2026-01-01T00:00:00.000Z",
    finished_at: "2026-01-01T00:01:00.000Z",
    status: "ok",
    plan: { trials: 2, cached: 0, todo: 2, blocked: 0, excluded: 0 },
    counts: { ok: 2 },
    trials: {},
    ...fields,
  };
  await Deno.writeTextFile(join(root, "runs", id, "run.json"), JSON.stringify(run));
}

/** A 64-hex-digit key made from a short label (`k("a")`). */
export function k(label: string): string {
  const hex = [...new TextEncoder().encode(label)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  return hex.padEnd(64, "0").slice(0, 64);
}
