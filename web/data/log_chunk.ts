/**
 * A piece of a trial's stdout or stderr for the Trial page: the last bytes to start with, then
 * what was appended since, so a running trial's output can be followed without re-sending it.
 *
 * @module
 */

/** What `GET /api/trials/:key/logs/:stream` answers. */
export interface LogChunk {
  /** The file's size now (0 when it does not exist). */
  size: number;
  /** Where `text` starts in the file. */
  offset: number;
  /** The text from `offset` (a cut multi-byte character at either end is dropped). */
  text: string;
  /** Where the next read starts (pass it as `offset`). */
  next: number;
}

/** Options of {@linkcode readLogChunk}. */
export interface LogChunkOptions {
  /** Start here (after what was read before). */
  offset?: number | undefined;
  /** Without an offset: the last this many bytes. @default {65536} */
  tail?: number | undefined;
  /** Most bytes sent at once. @default {1048576} */
  max?: number | undefined;
}

/** Reads the chunk of the log at `path` that `options` ask for. */
export async function readLogChunk(path: string, options: LogChunkOptions): Promise<LogChunk> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { size: 0, offset: 0, text: "", next: 0 };
    throw error;
  }
  try {
    const size = (await file.stat()).size;
    const max = options.max ?? 1 << 20;
    let offset = options.offset ?? Math.max(0, size - (options.tail ?? 65536));
    // A file that shrank was started again (a new attempt): send it from the start.
    if (offset > size) offset = 0;
    const length = Math.min(size - offset, max);
    const buffer = new Uint8Array(length);
    await file.seek(offset, Deno.SeekMode.Start);
    let read = 0;
    while (read < length) {
      const n = await file.read(buffer.subarray(read));
      if (n === null) break;
      read += n;
    }
    let start = 0;
    // Starting mid-file may land inside a UTF-8 sequence: skip its continuation bytes.
    if (options.offset === undefined) {
      while (start < read && (buffer[start]! & 0xc0) === 0x80) start++;
    }
    let end = read;
    // Leave a character cut at the end for the next read.
    let back = 0;
    while (back < 4 && end - back - 1 >= start && (buffer[end - back - 1]! & 0xc0) === 0x80) back++;
    if (end - back - 1 >= start && buffer[end - back - 1]! >= 0xc0) {
      const lead = buffer[end - back - 1]!;
      const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
      if (back < need) end -= back + 1;
    }
    return {
      size,
      offset: offset + start,
      text: new TextDecoder().decode(buffer.subarray(start, end)),
      next: offset + end,
    };
  } finally {
    file.close();
  }
}
