/**
 * Writes that a crash cannot tear: the new content goes to a temporary file beside the target,
 * which is then renamed over it, so a reader sees the old file or the new one, never half of one.
 *
 * @module
 */

/**
 * Replaces `path` with `text` atomically.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeTextAtomic } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextAtomic(`${dir}/a.json`, "{}");
 * assert.equal(await Deno.readTextFile(`${dir}/a.json`), "{}");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** Replaces `path` with `value` as JSON (two-space indented, newline-terminated), atomically. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeTextAtomic(path, JSON.stringify(value, null, 2) + "\n");
}
