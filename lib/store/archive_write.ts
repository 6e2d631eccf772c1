/**
 * Writing an archive (`.xpa`): a gzipped tar of the selected trials' directories, the blobs they
 * reference (once each), the runs that ran them, and last a `manifest.json` with the sha256 of
 * every entry. Files are streamed through the hash and the compressor one chunk at a time, so
 * memory stays constant whatever the store's size; the manifest is last because only then are
 * the sums known.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { blobPath } from "./blobs.ts";
import type { StoreLayout } from "./layout.ts";
import { type ByteSink, endOfArchive, fileHeader, padding } from "./tar.ts";

/** The name of the manifest entry, always the archive's last. */
export const MANIFEST_PATH = "manifest.json";

/** The format tag of an archive's manifest. */
export const ARCHIVE_FORMAT = "xp-archive/1";

/** `manifest.json`: what an archive holds, with a checksum per entry. */
export interface ArchiveManifest {
  /** {@linkcode ARCHIVE_FORMAT}. */
  format: string;
  /** ISO 8601. */
  created_at: string;
  /** The trial keys. */
  trials: string[];
  /** The run ids. */
  runs: string[];
  /** The blob hashes. */
  blobs: string[];
  /** Every other entry: its path in the archive, size and sha256. */
  entries: { path: string; bytes: number; sha256: string }[];
}

/** What the archive to write holds. */
export interface ArchiveSelection {
  /** Trial keys (directories under `trials/`). */
  trials: readonly string[];
  /** Run ids (directories under `runs/`). */
  runs: readonly string[];
  /** Blob hashes. */
  blobs: readonly string[];
}

/** What writing an archive did. */
export interface ArchiveReport {
  /** Entries written (the manifest not counted). */
  files: number;
  /** Their bytes before compression. */
  bytes: number;
}

/** Files that are never archived: a live trial's lock and half-written temp files. */
const SKIPPED = /(^|\/)lock$|\.tmp$/;

/** Writes the archive of `selection` from the store `layout` to `path`. */
export async function writeArchive(
  layout: StoreLayout,
  selection: ArchiveSelection,
  path: string,
): Promise<ArchiveReport> {
  const gzip = new CompressionStream("gzip");
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const piped = gzip.readable.pipeTo(file.writable);
  const writer = gzip.writable.getWriter();
  const sink = new BufferedSink((chunk) => writer.write(chunk));
  const entries: ArchiveManifest["entries"] = [];
  try {
    for (const key of selection.trials) {
      for await (const file of walk(join(layout.trials, key))) {
        const inside = `trials/${key}/${relative(join(layout.trials, key), file)}`;
        if (!SKIPPED.test(inside)) entries.push(await writeFile(sink, file, inside));
      }
    }
    for (const id of selection.runs) {
      for await (const file of walk(join(layout.runs, id))) {
        const inside = `runs/${id}/${relative(join(layout.runs, id), file)}`;
        if (!SKIPPED.test(inside)) entries.push(await writeFile(sink, file, inside));
      }
    }
    for (const sha256 of selection.blobs) {
      const source = blobPath(layout, sha256);
      const inside = `blobs/sha256/${sha256.slice(0, 2)}/${sha256}`;
      entries.push(await writeFile(sink, source, inside));
    }
    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      created_at: new Date().toISOString(),
      trials: [...selection.trials],
      runs: [...selection.runs],
      blobs: [...selection.blobs],
      entries,
    };
    const bytes = new TextEncoder().encode(JSON.stringify(manifest) + "\n");
    await sink.write(fileHeader(MANIFEST_PATH, bytes.length));
    await sink.write(bytes);
    await sink.write(padding(bytes.length));
    await sink.write(endOfArchive());
    await sink.flush();
    await writer.close();
    await piped;
  } catch (error) {
    await writer.abort(error).catch(() => {});
    await piped.catch(() => {});
    await Deno.remove(path).catch(() => {});
    throw error;
  }
  return { files: entries.length, bytes: entries.reduce((sum, e) => sum + e.bytes, 0) };
}

/**
 * Gathers small writes (tar headers, padding, small files) into chunks of 1 MiB: each write to
 * the compressor is a round trip through the stream machinery, which dominates with many files.
 */
class BufferedSink implements ByteSink {
  readonly #inner: (chunk: Uint8Array<ArrayBuffer>) => Promise<void>;
  readonly #buffer = new Uint8Array(1 << 20);
  #length = 0;

  constructor(inner: (chunk: Uint8Array<ArrayBuffer>) => Promise<void>) {
    this.#inner = inner;
  }

  async write(chunk: Uint8Array<ArrayBuffer>): Promise<void> {
    if (this.#length + chunk.length > this.#buffer.length) await this.flush();
    if (chunk.length >= this.#buffer.length) return await this.#inner(chunk);
    this.#buffer.set(chunk, this.#length);
    this.#length += chunk.length;
  }

  /** Hands what is gathered to the compressor (a copy: the buffer is reused). */
  async flush(): Promise<void> {
    if (this.#length === 0) return;
    const chunk = this.#buffer.slice(0, this.#length);
    this.#length = 0;
    await this.#inner(chunk);
  }
}

/** Streams one file into the tar, hashing it on the way. */
async function writeFile(
  sink: ByteSink,
  source: string,
  inside: string,
): Promise<ArchiveManifest["entries"][number]> {
  using file = await Deno.open(source);
  const size = (await file.stat()).size;
  await sink.write(fileHeader(inside, size));
  const hash = createHash("sha256");
  let left = size;
  while (left > 0) {
    // A fresh buffer per chunk: the compressor may hold it until the write settles.
    const buffer = new Uint8Array(Math.min(left, 1 << 18));
    const read = await file.read(buffer);
    if (read === null) throw new Error(`${source} shrank while it was archived`);
    const chunk = buffer.subarray(0, read);
    hash.update(chunk);
    await sink.write(chunk);
    left -= read;
  }
  await sink.write(padding(size));
  return { path: inside, bytes: size, sha256: hash.digest("hex") };
}

/** Every regular file under `dir`, depth first, in name order (so archives are reproducible). */
export async function* walk(dir: string): AsyncGenerator<string> {
  const names: { name: string; isDirectory: boolean; isFile: boolean }[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}
