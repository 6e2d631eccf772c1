/**
 * What `xp gc` does: the index (caught up on open) says which blobs trials reference; the files
 * say what else is there.
 *
 * @module
 */

import { relative } from "node:path";
import { EXIT, UsageError } from "../errors.ts";
import { deleteGarbage, findGarbage, type GarbageItem } from "../store/gc.ts";
import type { Deps } from "./command.ts";
import type { GcArgs } from "./gc.ts";
import { withQueryStore } from "./_query_store.ts";

/** Runs `xp gc`; returns the exit code. */
export function collectGarbage(args: GcArgs, deps: Deps): Promise<number> {
  return withQueryStore(deps, async (store) => {
    const result = await store.query(
      "select distinct sha256 from artifacts where sha256 is not null",
    );
    const referenced = new Set(result.rows.map((row) => String(row[0])));
    const garbage = await findGarbage(store.layout, referenced);
    const { output } = deps;
    const list = (what: string, items: readonly GarbageItem[]) => {
      output.out(`${items.length} ${what}, ${size(total(items))}`);
      if (deps.global.verbose) {
        for (const item of items) {
          output.out(`  ${relative(store.layout.root, item.path)}  ${size(item.bytes)}`);
        }
      }
    };
    list("unreferenced blobs", garbage.blobs);
    list("stale attempts", garbage.attempts);
    if (!args.delete) {
      if (garbage.blobs.length + garbage.attempts.length > 0 && !deps.global.quiet) {
        output.err("nothing deleted: run xp gc --delete to delete them (-v lists them)");
      }
      return EXIT.ok;
    }
    if (garbage.running.length > 0) {
      throw new UsageError(
        `${garbage.running.length} trial${garbage.running.length === 1 ? " is" : "s are"} running`,
        {
          hint:
            "run xp gc --delete once xp run has finished: a running trial's blobs are not indexed yet",
        },
      );
    }
    await deleteGarbage(garbage);
    output.err(`deleted ${size(total(garbage.blobs) + total(garbage.attempts))}`);
    return EXIT.ok;
  });
}

function total(items: readonly GarbageItem[]): number {
  return items.reduce((sum, item) => sum + item.bytes, 0);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1 << 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}
