/**
 * Which store the query commands (`sql`, `ls`, `show`, `logs`, `compare`, `export`, `reindex`)
 * read, and opening it. `--store DIR` (or XP_STORE) wins; otherwise `./.xp` when it exists,
 * else the nearest `.xp/` in a parent directory, so `xp ls` works from a subdirectory of the
 * experiment. No store is an error: there is nothing to query before `xp run`.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import type { Store } from "../store/store.ts";
import type { Deps } from "./command.ts";
import { paint } from "./output.ts";

/**
 * The store directory the query commands use.
 *
 * @throws {UsageError} when `--store` names no directory, or no `.xp/` is found
 */
export async function findStoreRoot(deps: Pick<Deps, "cwd" | "global">): Promise<string> {
  if (deps.global.store !== undefined) {
    const root = resolve(deps.cwd, deps.global.store);
    if (!(await isDirectory(root))) {
      throw new UsageError(`No store at ${root}`, {
        hint: 'run "xp run" to create one, or fix --store / XP_STORE',
      });
    }
    return root;
  }
  for (let dir = resolve(deps.cwd);; dir = dirname(dir)) {
    const candidate = join(dir, ".xp");
    if (await isDirectory(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new UsageError(`No store (.xp/) in ${resolve(deps.cwd)} or any parent directory`, {
    hint: 'run "xp run" first to create one, or give --store DIR',
  });
}

/**
 * Opens the store the query commands use (loading DuckDB only now); what opening did to the
 * index (rebuilt, caught up) is a note on stderr, and lines skipped while ingesting are warnings.
 */
export async function openQueryStore(
  deps: Pick<Deps, "cwd" | "global" | "output">,
): Promise<Store> {
  const root = await findStoreRoot(deps);
  const { openStore } = await import("../store/duckdb_store.ts");
  const store = await openStore(root);
  const { output } = deps;
  if (!deps.global.quiet) {
    for (const notice of store.notices) output.err(`${paint(output, "cyan", "note:")} ${notice}`);
  }
  for (const warning of store.warnings) {
    output.err(`${paint(output, "yellow", "warning:")} ${warning}`);
  }
  return store;
}

/** Runs `fn` with the query store, closing it afterwards. */
export async function withQueryStore<T>(
  deps: Pick<Deps, "cwd" | "global" | "output">,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openQueryStore(deps);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
