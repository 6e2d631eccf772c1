/**
 * What `xp seal` and `xp verify` do, over the files only (no index needed).
 *
 * @module
 */

import { join } from "node:path";
import { EXIT, UsageError } from "../errors.ts";
import { type StoreLayout, storeLayout, trialDir } from "../store/layout.ts";
import { readSeal, SEAL_FILE, sealRun, verifySeal } from "../store/seal.ts";
import type { Deps } from "./command.ts";
import type { SealArgs } from "./seal.ts";
import type { VerifyArgs } from "./verify.ts";
import { findStoreRoot } from "./_query_store.ts";

/** Runs `xp seal`; returns the exit code. */
export async function sealRuns(args: SealArgs, deps: Deps): Promise<number> {
  const layout = storeLayout(await findStoreRoot(deps));
  const records = [];
  for (const id of args.runs) records.push({ id, record: await readRun(layout, id) });
  for (const { id, record } of records) {
    if (record.status === "running") {
      throw new UsageError(`Run ${id} is still running`, {
        hint: "seal it once xp run has finished",
      });
    }
  }
  for (const { id, record } of records) {
    const keys = [];
    for (const key of Object.keys(record.trials ?? {})) {
      if (await Deno.stat(trialDir(layout, key)).then(() => true, () => false)) keys.push(key);
    }
    const seal = await sealRun(layout, id, keys);
    const files = Object.values(seal.trials).reduce((n, t) => n + Object.keys(t).length, 0);
    if (!deps.global.quiet) {
      deps.output.err(`sealed ${id}: ${keys.length} trials, ${files} files`);
    }
  }
  return EXIT.ok;
}

/** Runs `xp verify`; returns the exit code. */
export async function verifyRuns(args: VerifyArgs, deps: Deps): Promise<number> {
  const layout = storeLayout(await findStoreRoot(deps));
  let ids = args.runs;
  if (ids.length === 0) {
    ids = [];
    for await (const entry of Deno.readDir(layout.runs)) {
      if (await Deno.stat(join(layout.runs, entry.name, SEAL_FILE)).then(() => true, () => false)) {
        ids.push(entry.name);
      }
    }
    ids.sort();
    if (ids.length === 0) {
      throw new UsageError("No run is sealed", { hint: "seal a finished run with xp seal RUN" });
    }
  }
  let differs = false;
  for (const id of ids) {
    const seal = await readSeal(layout, id);
    if (seal === undefined) {
      throw new UsageError(`Run ${id} is not sealed`, { hint: `seal it with xp seal ${id}` });
    }
    const check = await verifySeal(layout, seal);
    const { output } = deps;
    for (const path of check.changed) output.out(`changed  ${path}`);
    for (const path of check.missing) output.out(`missing  ${path}`);
    for (const path of check.added) output.out(`added    ${path}`);
    const problems = check.changed.length + check.missing.length + check.added.length;
    differs ||= problems > 0;
    if (!deps.global.quiet || problems > 0) {
      output.err(
        problems === 0
          ? `${id}: ${check.files} files match the seal of ${seal.sealed_at}`
          : `${id}: ${problems} file${
            problems === 1 ? "" : "s"
          } differ from the seal of ${seal.sealed_at}`,
      );
    }
  }
  return differs ? EXIT.trialFailed : EXIT.ok;
}

async function readRun(
  layout: StoreLayout,
  id: string,
): Promise<{ status?: string; trials?: Record<string, unknown> }> {
  try {
    if (id.includes("/") || id.startsWith(".")) throw new Error("not a run id");
    return JSON.parse(await Deno.readTextFile(join(layout.runs, id, "run.json")));
  } catch {
    throw new UsageError(`No run "${id}" in ${layout.root}`, {
      hint: 'list the runs with "xp ls --runs"',
    });
  }
}
