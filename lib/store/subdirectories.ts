/**
 * Listing a store directory's entries (trial keys, run ids, attempts).
 *
 * @module
 */

/**
 * The names of the directories inside `dir`, sorted; none when `dir` does not exist.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { subdirectories } from "./subdirectories.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/b`);
 * await Deno.mkdir(`${dir}/a`);
 * await Deno.writeTextFile(`${dir}/file`, "");
 * assert.deepEqual(await subdirectories(dir), ["a", "b"]);
 * assert.deepEqual(await subdirectories(`${dir}/missing`), []);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function subdirectories(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isDirectory) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}
