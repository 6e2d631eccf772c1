/**
 * Opening a store's directory: creating its layout and `VERSION`, and refusing a store written by
 * a newer xp.
 *
 * @module
 */

import { ConfigError } from "../errors.ts";
import { STORE_VERSION, type StoreLayout, storeLayout } from "./layout.ts";

/** Creates the store at `root` if needed and returns its layout. */
export async function openStoreDir(root: string): Promise<StoreLayout> {
  const layout = storeLayout(root);
  let version: number | undefined;
  try {
    version = Number((await Deno.readTextFile(layout.version)).trim());
  } catch {
    version = undefined;
  }
  if (version !== undefined && version > STORE_VERSION) {
    throw new ConfigError(`Cannot use the store ${root}: it has format ${version}`, {
      hint: `this xp writes format ${STORE_VERSION}; upgrade xp`,
    });
  }
  await Deno.mkdir(layout.trials, { recursive: true });
  await Deno.mkdir(layout.runs, { recursive: true });
  if (version === undefined) await Deno.writeTextFile(layout.version, `${STORE_VERSION}\n`);
  return layout;
}
