/**
 * Helpers of the `xp run` end-to-end tests: writing a small experiment, reading the store's
 * per-trial files back, and driving an `xp run` process that is signalled mid-run.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { type CliResult, MAIN } from "../_helpers.ts";
import type { RunRecord, TrialMeta, TrialStatus } from "../../lib/store/mod.ts";

/** Writes `files` (path relative to `dir` → text) into `dir`, creating directories. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
}

/** Whether `path` exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Parses a JSON file. */
export async function readJson<T = unknown>(path: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(path)) as T;
}

/** Parses NDJSON text (one value per non-empty line). */
export function ndjson<T = Record<string, unknown>>(text: string): T[] {
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as T);
}

/** The sorted names in a directory (`[]` when it does not exist). */
export async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

/** One trial directory of the store, read back. */
export interface StoredTrial {
  /** The key (the directory's name). */
  key: string;
  /** The directory. */
  dir: string;
  /** `meta.json`. */
  meta: TrialMeta;
  /** `status.json` (`undefined` before the first one is written). */
  status: TrialStatus | undefined;
}

/** Every trial directory under `<dir>/.xp/trials` that has a meta.json, by stage then name. */
export async function storedTrials(dir: string): Promise<StoredTrial[]> {
  const root = join(dir, ".xp", "trials");
  const trials: StoredTrial[] = [];
  for (const key of await entries(root)) {
    const trialDir = join(root, key);
    if (!(await exists(join(trialDir, "meta.json")))) continue;
    const meta = await readJson<TrialMeta>(join(trialDir, "meta.json"));
    const status = await exists(join(trialDir, "status.json"))
      ? await readJson<TrialStatus>(join(trialDir, "status.json"))
      : undefined;
    trials.push({ key, dir: trialDir, meta, status });
  }
  return trials.sort((a, b) =>
    `${a.meta.stage}\0${a.meta.name}` < `${b.meta.stage}\0${b.meta.name}` ? -1 : 1
  );
}

/** The stored trial of `stage` named `name`; throws when there is not exactly one. */
export async function storedTrial(dir: string, stage: string, name: string): Promise<StoredTrial> {
  const found = (await storedTrials(dir)).filter((t) =>
    t.meta.stage === stage && t.meta.name === name
  );
  if (found.length !== 1) {
    throw new Error(`expected one stored trial ${stage} ${name}, found ${found.length}`);
  }
  return found[0]!;
}

/** `stage name → state` of every stored trial, for one-glance assertions. */
export async function storedStates(dir: string): Promise<Record<string, string | undefined>> {
  return Object.fromEntries(
    (await storedTrials(dir)).map((t) => [`${t.meta.stage} ${t.meta.name}`, t.status?.state]),
  );
}

/** A line of `xp run --dry-run --json`. */
export interface PlanRow {
  /** Stage. */
  stage: string;
  /** Trial name. */
  name: string;
  /** Key. */
  key: string;
  /** `todo`, `cached` or `blocked`. */
  state: string;
  /** The trial's config. */
  params: Record<string, unknown>;
  /** Its swept values. */
  swept: Record<string, unknown>;
  /** Its dependencies' keys. */
  deps: string[];
}

/** Every `.xp/runs/<id>/run.json`, oldest first. */
export async function runRecords(dir: string): Promise<RunRecord[]> {
  const root = join(dir, ".xp", "runs");
  const records: RunRecord[] = [];
  for (const id of await entries(root)) {
    records.push(await readJson<RunRecord>(join(root, id, "run.json")));
  }
  return records;
}

/** Polls `check` every 25 ms until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An `xp` process started in the background (to be signalled while it runs). */
export interface XpProcess {
  /** The process. */
  child: Deno.ChildProcess;
  /** Waits for it to end and collects its output. */
  done(): Promise<CliResult>;
}

/** Starts `deno run -A main.ts ...args` in `cwd` without waiting for it. */
export function spawnXp(args: readonly string[], cwd: string): XpProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  return {
    child,
    async done() {
      const { code, stdout, stderr } = await output;
      const decoder = new TextDecoder();
      return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
    },
  };
}

/** Kills the process group `pgid` (a trial left behind by a killed `xp run`), if it is alive. */
export function killGroup(pgid: number): void {
  try {
    Deno.kill(-pgid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
