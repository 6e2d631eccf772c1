/**
 * What `xp archive` does: resolves the selection to trial keys (the index answers queries; the
 * trial directories are the truth for "every trial" and for runs), adds the blobs the index says
 * they reference and the runs their statuses name, and streams the archive.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { EXIT, UsageError } from "../errors.ts";
import { blobPath } from "../store/blobs.ts";
import { writeArchive } from "../store/archive_write.ts";
import { metaBlobs } from "../store/gc.ts";
import { runDir, type StoreLayout, trialDir } from "../store/layout.ts";
import type { Store } from "../store/store.ts";
import { subdirectories } from "../store/subdirectories.ts";
import type { ArchiveArgs } from "./archive.ts";
import type { Deps } from "./command.ts";
import { withQueryStore } from "./_query_store.ts";

/** Runs `xp archive`; returns the exit code. */
export function archiveStore(args: ArchiveArgs, deps: Deps): Promise<number> {
  return withQueryStore(deps, async (store) => {
    const layout = store.layout;
    const trials = await selectTrials(store, args);
    const keys = new Set(trials);
    const blobs = new Set<string>();
    const artifacts = await store.query(
      "select key, sha256 from artifacts where sha256 is not null",
    );
    for (const [key, sha256] of artifacts.rows) {
      if (keys.has(String(key)) && (await exists(blobPath(layout, String(sha256))))) {
        blobs.add(String(sha256));
      }
    }
    const runs = new Set(args.runs);
    for (const key of trials) {
      for (const sha256 of await metaBlobs(trialDir(layout, key))) {
        if (await exists(blobPath(layout, sha256))) blobs.add(sha256);
      }
      const runId = await statusRunId(trialDir(layout, key));
      if (runId !== undefined) runs.add(runId);
    }
    const presentRuns: string[] = [];
    for (const id of [...runs].sort()) {
      if (await exists(runDir(layout, id))) presentRuns.push(id);
    }
    const path = resolve(deps.cwd, args.output);
    const began = performance.now();
    const report = await writeArchive(
      layout,
      { trials, runs: presentRuns, blobs: [...blobs].sort() },
      path,
    );
    if (!deps.global.quiet) {
      const size = (await Deno.stat(path)).size;
      deps.output.err(
        `archived ${trials.length} trial${trials.length === 1 ? "" : "s"}, ` +
          `${presentRuns.length} run${presentRuns.length === 1 ? "" : "s"}, ${blobs.size} blob${
            blobs.size === 1 ? "" : "s"
          } (${report.files} files, ${mib(report.bytes)}) to ${args.output}: ${mib(size)} in ` +
          `${((performance.now() - began) / 1000).toFixed(2)} s`,
      );
    }
    return EXIT.ok;
  });
}

/** The keys the arguments select, sorted, each with a trial directory. */
async function selectTrials(store: Store, args: ArchiveArgs): Promise<string[]> {
  const layout = store.layout;
  const keys = new Set<string>();
  if (args.query !== undefined) {
    const result = await store.query(args.query);
    const column = Math.max(0, result.columns.findIndex((c) => c.name === "key"));
    if (result.columns.length === 0) {
      throw new UsageError("The query returns no columns", {
        hint: 'select the keys: --query "select key from trials where …"',
      });
    }
    for (const row of result.rows) if (typeof row[column] === "string") keys.add(row[column]);
  } else if (args.runs.length > 0) {
    for (const id of args.runs) {
      for (const key of await runTrials(layout, id)) keys.add(key);
    }
  } else {
    for (const key of await subdirectories(layout.trials)) keys.add(key);
  }
  const present: string[] = [];
  for (const key of [...keys].sort()) {
    if (await exists(trialDir(layout, key))) present.push(key);
  }
  return present;
}

/** The keys of the trials a run ran or found cached, from its `run.json`. */
async function runTrials(layout: StoreLayout, id: string): Promise<string[]> {
  let record: { trials?: Record<string, unknown> };
  try {
    record = JSON.parse(await Deno.readTextFile(join(runDir(layout, id), "run.json")));
  } catch {
    throw new UsageError(`No run "${id}" in ${layout.root}`, {
      hint: 'list the runs with "xp ls --runs"',
    });
  }
  return Object.keys(record.trials ?? {});
}

async function statusRunId(dir: string): Promise<string | undefined> {
  try {
    const status = JSON.parse(await Deno.readTextFile(join(dir, "status.json")));
    return typeof status?.run_id === "string" && status.run_id !== "" ? status.run_id : undefined;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

function mib(bytes: number): string {
  return bytes < 1 << 20
    ? `${(bytes / 1024).toFixed(1)} KiB`
    : `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}
