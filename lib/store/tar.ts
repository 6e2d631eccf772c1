/**
 * The small part of tar (POSIX ustar, with pax `path` records for long names) that archives need:
 * regular files only, written and read as streams so that memory stays constant whatever the
 * archive's size.
 *
 * @module
 */

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Where tar blocks go: awaiting each write gives the consumer's backpressure. */
export interface ByteSink {
  /** Writes bytes (the sink may keep the array until the promise settles). */
  write(chunk: Uint8Array<ArrayBuffer>): Promise<void>;
}

/**
 * The 512-byte header of a regular file of `size` bytes at `path`, preceded by a pax extended
 * header when the path does not fit ustar's 100-byte name field.
 */
export function fileHeader(path: string, size: number): Uint8Array<ArrayBuffer> {
  const name = encoder.encode(path);
  if (name.length <= 100) return ustarHeader(name, size, "0");
  // A pax record is "<len> path=<value>\n" where <len> counts itself.
  const body = ` path=${path}\n`;
  let length = encoder.encode(body).length + 1;
  while (String(length).length + encoder.encode(body).length !== length) length++;
  const record = encoder.encode(`${length}${body}`);
  const pax = ustarHeader(encoder.encode("PaxHeader"), record.length, "x");
  const out = new Uint8Array(BLOCK + padded(record.length) + BLOCK);
  out.set(pax, 0);
  out.set(record, BLOCK);
  out.set(ustarHeader(name.subarray(0, 100), size, "0"), BLOCK + padded(record.length));
  return out;
}

/** The zero bytes that pad a file's data of `size` bytes to a whole block. */
export function padding(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(padded(size) - size);
}

/** The two zero blocks that end an archive. */
export function endOfArchive(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(2 * BLOCK);
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function ustarHeader(name: Uint8Array, size: number, type: string): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(BLOCK);
  header.set(name.subarray(0, 100), 0);
  const octal = (value: number, width: number) =>
    encoder.encode(value.toString(8).padStart(width - 1, "0") + "\0");
  header.set(octal(0o644, 8), 100);
  header.set(octal(0, 8), 108);
  header.set(octal(0, 8), 116);
  header.set(octal(size, 12), 124);
  header.set(octal(0, 12), 136);
  header.set(encoder.encode(type), 156);
  header.set(encoder.encode("ustar\0" + "00"), 257);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((a, b) => a + b, 0);
  header.set(encoder.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  return header;
}

/** One file read from a tar stream; its data must be consumed before the next entry. */
export interface TarEntry {
  /** The path as stored. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** The file's data, in chunks. */
  data(): AsyncGenerator<Uint8Array>;
}

/** A malformed, truncated or unsupported tar stream. */
export class TarError extends Error {
  /** Builds a tar error. */
  constructor(message: string) {
    super(message);
    this.name = "TarError";
  }
}

/**
 * The regular files of a tar stream, in order. Directories are skipped; links and devices are
 * refused (an archive of xp never holds them, and a link could point outside the store).
 *
 * @throws {TarError} when the stream is malformed or ends before the end-of-archive blocks
 */
export async function* readTar(stream: ReadableStream<Uint8Array>): AsyncGenerator<TarEntry> {
  const bytes = new ByteReader(stream.getReader());
  let paxPath: string | undefined;
  for (;;) {
    const header = await bytes.exact(BLOCK);
    if (header === null) throw new TarError("the archive ends without its end marker (truncated)");
    if (header.every((b) => b === 0)) return;
    if (!validChecksum(header)) throw new TarError("a tar header has a bad checksum (corrupt)");
    const size = parseInt(text(header.subarray(124, 136)).trim() || "0", 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new TarError("a tar header has a bad size");
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(header.subarray(345, 500));
    const name = text(header.subarray(0, 100));
    const path = paxPath ?? (prefix ? `${prefix}/${name}` : name);
    paxPath = undefined;
    if (type === "x") {
      const record = await bytes.exact(padded(size));
      if (record === null) throw new TarError("the archive is truncated");
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(decoder.decode(record.subarray(0, size)))?.[1];
      continue;
    }
    if (type === "5") continue;
    if (type !== "0" && type !== "\0") {
      throw new TarError(`"${path}" is not a regular file (tar type "${type}")`);
    }
    let consumed = false;
    yield {
      path,
      size,
      data: async function* () {
        consumed = true;
        let left = size;
        while (left > 0) {
          const chunk = await bytes.some(left);
          if (chunk === null) throw new TarError(`the archive is truncated inside "${path}"`);
          left -= chunk.length;
          yield chunk;
        }
        if ((await bytes.exact(padded(size) - size)) === null) {
          throw new TarError("the archive is truncated");
        }
      },
    };
    if (!consumed && !(await bytes.skip(padded(size)))) {
      throw new TarError("the archive is truncated");
    }
  }
}

function text(field: Uint8Array): string {
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

function validChecksum(header: Uint8Array): boolean {
  const stored = parseInt(text(header.subarray(148, 156)).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return stored === sum;
}

/** Reads exact byte counts from a stream of arbitrary chunks. */
class ByteReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer: Uint8Array = new Uint8Array(0);

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>) {
    this.#reader = reader;
  }

  /** Up to `max` bytes (at least one), or `null` at the end. */
  async some(max: number): Promise<Uint8Array | null> {
    if (this.#buffer.length === 0) {
      const { done, value } = await this.#reader.read();
      if (done) return null;
      this.#buffer = value;
    }
    const take = this.#buffer.subarray(0, max);
    this.#buffer = this.#buffer.subarray(take.length);
    return take;
  }

  /** Skips `n` bytes; `false` when the stream ends first. */
  async skip(n: number): Promise<boolean> {
    for (let left = n; left > 0;) {
      const chunk = await this.some(left);
      if (chunk === null) return false;
      left -= chunk.length;
    }
    return true;
  }

  /** Exactly `n` bytes, or `null` when the stream ends first. */
  async exact(n: number): Promise<Uint8Array | null> {
    if (this.#buffer.length >= n) {
      const take = this.#buffer.subarray(0, n);
      this.#buffer = this.#buffer.subarray(n);
      return take;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = await this.some(n - filled);
      if (chunk === null) return null;
      out.set(chunk, filled);
      filled += chunk.length;
    }
    return out;
  }
}
