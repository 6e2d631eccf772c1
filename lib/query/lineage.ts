/**
 * A trial's lineage: the trial it forked from (`xp run --from`), that one's parent, and so on,
 * read from their `meta.json` files so that a running trial and one not indexed yet have theirs.
 *
 * @module
 */

import { readMeta, readStatus, type StoreLayout, trialDir } from "../store/mod.ts";
import { MAX_LINEAGE_DEPTH } from "../store/schema.ts";

/** An ancestor of a trial. */
export interface Ancestor {
  /** Its key. */
  key: string;
  /** 1 for the parent, 2 for the parent's parent, … */
  depth: number;
  /** Its stage ("?" when the store does not have it). */
  stage: string;
  /** Its name ("?" when the store does not have it). */
  name: string;
  /** Its state ("?" when unknown). */
  status: string;
}

/**
 * The ancestors of the trial `key`, nearest first. The chain ends at a trial that did not fork,
 * or at one the store does not have (listed with "?": its files were not imported).
 */
export async function readLineage(layout: StoreLayout, key: string): Promise<Ancestor[]> {
  const chain: Ancestor[] = [];
  let parent = (await readMeta(trialDir(layout, key)))?.parent;
  while (typeof parent === "string" && chain.length < MAX_LINEAGE_DEPTH) {
    const dir = trialDir(layout, parent);
    const [meta, status] = await Promise.all([readMeta(dir), readStatus(dir)]);
    chain.push({
      key: parent,
      depth: chain.length + 1,
      stage: typeof meta?.stage === "string" ? meta.stage : "?",
      name: typeof meta?.name === "string" ? meta.name : "?",
      status: status?.state ?? "?",
    });
    parent = meta?.parent;
  }
  return chain;
}

/** `name (key8) ← parent (key8) ← …`: a trial and its ancestors on one line. */
export function lineageText(
  trial: { key: string; name: string },
  chain: readonly Ancestor[],
): string {
  return [trial, ...chain].map((t) => `${t.name} (${t.key.slice(0, 8)})`).join(" ← ");
}
