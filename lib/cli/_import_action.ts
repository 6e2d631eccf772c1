/**
 * What `xp import` does: stages the source inside the store (`.xp/tmp/import-…`, on the same file
 * system, so that moving a trial into place is one rename), checks it, merges it by key, then
 * indexes what was added. A failure before the merge leaves the store exactly as it was.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { EXIT, UsageError } from "../errors.ts";
import { ArchiveError, extractArchive } from "../store/archive_read.ts";
import { openStoreDir } from "../store/files.ts";
import { storeLayout } from "../store/layout.ts";
import { mergeStaged, presentInStore, stageStore } from "../store/merge.ts";
import type { Deps } from "./command.ts";
import type { ImportArgs } from "./import.ts";
import { findStoreRoot } from "./_query_store.ts";

/** Runs `xp import`; returns the exit code. */
export async function importInto(args: ImportArgs, deps: Deps): Promise<number> {
  const source = resolve(deps.cwd, args.source);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(source);
  } catch {
    throw new UsageError(`No file or directory ${args.source}`, {
      hint: "give an archive written by xp archive, or another store's .xp/ directory",
    });
  }
  const sourceStore = info.isDirectory ? await storeDirOf(source, args.source) : undefined;
  const root = await targetRoot(deps);
  if (sourceStore !== undefined && resolve(sourceStore) === resolve(root)) {
    throw new UsageError("Cannot import a store into itself", {
      hint: "give another store's directory, or choose the target with --store DIR",
    });
  }
  const layout = await openStoreDir(root);
  const staging = join(root, "tmp", `import-${crypto.randomUUID().slice(0, 8)}`);
  await Deno.mkdir(staging, { recursive: true });
  const began = performance.now();
  try {
    let skipped = 0;
    if (sourceStore !== undefined) {
      await stageStore(storeLayout(sourceStore), staging);
    } else {
      const present = presentInStore(layout);
      try {
        await extractArchive(source, staging, present.has);
      } catch (error) {
        if (!(error instanceof ArchiveError)) throw error;
        throw new UsageError(`Cannot import ${args.source}: ${error.message}`, {
          hint: "the store was not changed; copy or write the archive again (xp archive)",
        });
      }
      skipped = present.trials();
    }
    const report = await mergeStaged(layout, staging);
    report.kept += skipped;
    const ingest = [...report.added, ...report.replaced];
    if (ingest.length + report.runs.length > 0) {
      const { openStore } = await import("../store/duckdb_store.ts");
      const store = await openStore(root, { catchUp: false });
      try {
        // One ingest: each refreshes the views, so batches cost more time than they save memory.
        const indexed = await store.ingest(ingest, report.runs);
        for (const warning of indexed.warnings) deps.output.err(`warning: ${warning}`);
      } finally {
        await store.close();
      }
    }
    if (!deps.global.quiet) {
      const n = report.added.length;
      deps.output.err(
        `imported ${n} new trial${n === 1 ? "" : "s"} (${report.replaced.length} replaced, ` +
          `${report.kept} kept), ${report.runs.length} run${
            report.runs.length === 1 ? "" : "s"
          }, ` +
          `${report.blobs} blob${report.blobs === 1 ? "" : "s"} from ${args.source} in ` +
          `${((performance.now() - began) / 1000).toFixed(2)} s`,
      );
    }
    return EXIT.ok;
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    await Deno.remove(join(root, "tmp")).catch(() => {});
  }
}

/** The store directory a directory argument names: itself when it has `trials/`, else its `.xp/`. */
async function storeDirOf(dir: string, given: string): Promise<string> {
  for (const candidate of [dir, join(dir, ".xp")]) {
    try {
      if ((await Deno.stat(join(candidate, "trials"))).isDirectory) return candidate;
    } catch {
      // Not a store.
    }
  }
  throw new UsageError(`${given} is not a store`, {
    hint: "give a .xp/ directory (with trials/ inside), or an archive written by xp archive",
  });
}

/** The store to import into: --store, the nearest `.xp/`, else a new `./.xp`. */
async function targetRoot(deps: Deps): Promise<string> {
  if (deps.global.store !== undefined) return resolve(deps.cwd, deps.global.store);
  try {
    return await findStoreRoot(deps);
  } catch (error) {
    if (error instanceof UsageError) return resolve(deps.cwd, ".xp");
    throw error;
  }
}
