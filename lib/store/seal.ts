/**
 * Sealing a finished run: `runs/<id>/seal.json` records the sha256 of every file of its trials,
 * so that any later change (an edited metric, a replaced artifact, a deleted log) is reported by
 * verifying. Tags and notes are left out: they are meant to be edited after the fact.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { writeJsonAtomic } from "./atomic.ts";
import { walk } from "./archive_write.ts";
import { NOTES_FILE, TAGS_FILE } from "./annotations.ts";
import { runDir, type StoreLayout, trialDir } from "./layout.ts";

/** The seal's file name inside the run's directory. */
export const SEAL_FILE = "seal.json";

/** `seal.json`. */
export interface Seal {
  /** The run sealed. */
  run_id: string;
  /** ISO 8601. */
  sealed_at: string;
  /** By trial key: each file's path inside the trial directory → sha256. */
  trials: Record<string, Record<string, string>>;
}

/** What verifying a seal found. */
export interface SealCheck {
  /** The run. */
  runId: string;
  /** Files checked. */
  files: number;
  /** `trials/<key>/<path>` whose content changed. */
  changed: string[];
  /** Sealed files that are gone. */
  missing: string[];
  /** Files added since the seal. */
  added: string[];
}

/** Files a seal does not cover: the user's annotations, a lock, temp files. */
const UNSEALED = new RegExp(`^(${TAGS_FILE}|${NOTES_FILE}|lock)$|\\.tmp$`);

/** The sha256 of each sealable file of the trial in `dir`. */
async function trialSums(dir: string): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for await (const file of walk(dir)) {
    const path = relative(dir, file);
    if (UNSEALED.test(path)) continue;
    const hash = createHash("sha256");
    using handle = await Deno.open(file);
    for await (const chunk of handle.readable) hash.update(chunk);
    sums[path] = hash.digest("hex");
  }
  return sums;
}

/** Seals the trials `keys` of run `runId`, writing its `seal.json`. */
export async function sealRun(
  layout: StoreLayout,
  runId: string,
  keys: readonly string[],
): Promise<Seal> {
  const seal: Seal = { run_id: runId, sealed_at: new Date().toISOString(), trials: {} };
  for (const key of [...keys].sort()) seal.trials[key] = await trialSums(trialDir(layout, key));
  await writeJsonAtomic(join(runDir(layout, runId), SEAL_FILE), seal);
  return seal;
}

/** Reads a run's seal; `undefined` when it has none. */
export async function readSeal(layout: StoreLayout, runId: string): Promise<Seal | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(runDir(layout, runId), SEAL_FILE))) as Seal;
  } catch {
    return undefined;
  }
}

/** Checks the files of a sealed run against its seal. */
export async function verifySeal(layout: StoreLayout, seal: Seal): Promise<SealCheck> {
  const check: SealCheck = { runId: seal.run_id, files: 0, changed: [], missing: [], added: [] };
  for (const [key, sealed] of Object.entries(seal.trials)) {
    const now = await trialSums(trialDir(layout, key));
    for (const [path, sha256] of Object.entries(sealed)) {
      check.files++;
      const name = `trials/${key}/${path}`;
      if (!(path in now)) check.missing.push(name);
      else if (now[path] !== sha256) check.changed.push(name);
    }
    for (const path of Object.keys(now)) {
      if (!(path in sealed)) check.added.push(`trials/${key}/${path}`);
    }
  }
  return check;
}
