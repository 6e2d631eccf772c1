/**
 * Reading the end of a file that may be large and still growing (a trial's logs or events),
 * without reading all of it.
 *
 * @module
 */

/** The last `bytes` bytes of a file as text, and whether they are the whole file. */
export interface FileTail {
  /** The text (a multi-byte character cut at the start decodes as U+FFFD). */
  text: string;
  /** Whether the file was no longer than `bytes`: then its first line is whole. */
  whole: boolean;
}

/**
 * The last `bytes` bytes of the file at `path`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFileTail } from "./tail.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "first\nsecond\n");
 * assert.deepEqual(await readFileTail(path, 7), { text: "second\n", whole: false });
 * assert.deepEqual(await readFileTail(path, 100), { text: "first\nsecond\n", whole: true });
 * await Deno.remove(path);
 * ```
 *
 * @throws {Deno.errors.NotFound} when there is no such file
 */
export async function readFileTail(path: string, bytes: number): Promise<FileTail> {
  using file = await Deno.open(path);
  const { size } = await file.stat();
  const start = Math.max(0, size - bytes);
  await file.seek(start, Deno.SeekMode.Start);
  const buffer = new Uint8Array(size - start);
  let read = 0;
  while (read < buffer.length) {
    const n = await file.read(buffer.subarray(read));
    if (n === null) break;
    read += n;
  }
  return { text: new TextDecoder().decode(buffer.subarray(0, read)), whole: start === 0 };
}
