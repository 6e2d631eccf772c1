/**
 * Reading what was appended to a file since an offset, in whole lines: a trial appends events
 * while the viewer reads, so the last line may be half-written and is left for the next read.
 *
 * @module
 */

/** Lines appended after `offset`, and where the next read starts. */
export interface Appended {
  /** Complete lines (without their newline). */
  lines: string[];
  /** The offset after the last complete line. */
  offset: number;
}

/**
 * The complete lines of the file at `path` from byte `offset`, reading at most `maxBytes`;
 * none when the file is gone.
 */
export async function readAppendedLines(
  path: string,
  offset: number,
  maxBytes = 4 << 20,
): Promise<Appended> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch {
    return { lines: [], offset };
  }
  try {
    const size = (await file.stat()).size;
    if (size <= offset) return { lines: [], offset };
    const buffer = new Uint8Array(Math.min(size - offset, maxBytes));
    await file.seek(offset, Deno.SeekMode.Start);
    let read = 0;
    while (read < buffer.length) {
      const n = await file.read(buffer.subarray(read));
      if (n === null) break;
      read += n;
    }
    const end = buffer.subarray(0, read).lastIndexOf(0x0a);
    if (end < 0) {
      // A line longer than the window is over the protocol's limit anyway: skip past it.
      return { lines: [], offset: read === maxBytes ? offset + read : offset };
    }
    const text = new TextDecoder().decode(buffer.subarray(0, end));
    return { lines: text.split("\n"), offset: offset + end + 1 };
  } finally {
    file.close();
  }
}
