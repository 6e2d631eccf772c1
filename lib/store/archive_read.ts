/**
 * Reading an archive (`.xpa`) into a staging directory, checking everything before anything
 * reaches the store: each entry's path (relative, inside `trials/`, `runs/` or `blobs/`, no
 * `..`), the gzip and tar framing (a truncated or corrupt file fails here), and at the end each
 * entry's size and sha256 against the manifest, with no entry missing or extra.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { ARCHIVE_FORMAT, type ArchiveManifest, MANIFEST_PATH } from "./archive_write.ts";
import { readTar, TarError } from "./tar.ts";

/** An archive that cannot be imported: corrupt, truncated, or with an entry it must not hold. */
export class ArchiveError extends Error {
  /** Builds an archive error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ArchiveError";
  }
}

const ENTRY = /^(trials\/[^/]+\/.+|runs\/[^/]+\/.+|blobs\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64})$/;

/** Whether `path` is a safe entry of an archive (relative, no `.`/`..` parts, a known place). */
export function isSafeEntry(path: string): boolean {
  if (path.startsWith("/") || path.includes("\\") || path.includes("\0")) return false;
  if (path.split("/").some((part) => part === "" || part === "." || part === "..")) return false;
  return ENTRY.test(path);
}

/**
 * Extracts the archive at `path` into `staging` (an empty directory) and returns its manifest
 * once every entry has been checked against it. Entries for which `skip` returns true are
 * checked but not written (what the store already has: importing again writes nothing).
 *
 * @throws {ArchiveError} when the archive is corrupt, truncated, or holds an unsafe entry
 */
export async function extractArchive(
  path: string,
  staging: string,
  skip: (entry: string) => Promise<boolean> = () => Promise.resolve(false),
): Promise<ArchiveManifest> {
  const file = await Deno.open(path);
  const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
  const seen = new Map<string, { bytes: number; sha256: string }>();
  let manifest: ArchiveManifest | undefined;
  try {
    for await (const entry of readTar(stream)) {
      if (manifest !== undefined) throw new ArchiveError("an entry follows the manifest");
      if (entry.path === MANIFEST_PATH) {
        if (entry.size > 256 << 20) throw new ArchiveError("the manifest is too large");
        const parts: Uint8Array[] = [];
        for await (const chunk of entry.data()) parts.push(chunk.slice());
        manifest = parseManifest(new TextDecoder().decode(concat(parts)));
        continue;
      }
      if (!isSafeEntry(entry.path)) {
        throw new ArchiveError(`the archive holds an unsafe path "${entry.path}"`);
      }
      if (seen.has(entry.path)) throw new ArchiveError(`"${entry.path}" appears twice`);
      const hash = createHash("sha256");
      if (await skip(entry.path)) {
        for await (const chunk of entry.data()) hash.update(chunk);
      } else {
        const target = join(staging, entry.path);
        await Deno.mkdir(dirname(target), { recursive: true });
        using out = await Deno.open(target, { write: true, createNew: true });
        for await (const chunk of entry.data()) {
          hash.update(chunk);
          for (let written = 0; written < chunk.length;) {
            written += await out.write(chunk.subarray(written));
          }
        }
      }
      seen.set(entry.path, { bytes: entry.size, sha256: hash.digest("hex") });
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    if (error instanceof TarError) throw new ArchiveError(error.message, { cause: error });
    // DecompressionStream fails with a TypeError on a bad CRC, bad data or a cut-off stream.
    if (error instanceof TypeError) {
      throw new ArchiveError(`the archive is corrupt or truncated (${error.message})`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    // The stream closes the file when it reaches the end, but not when reading stops early.
    try {
      file.close();
    } catch {
      // Already closed.
    }
  }
  if (manifest === undefined) throw new ArchiveError("the archive has no manifest (truncated?)");
  for (const expected of manifest.entries) {
    const got = seen.get(expected.path);
    if (got === undefined) throw new ArchiveError(`"${expected.path}" is missing from the archive`);
    if (got.bytes !== expected.bytes || got.sha256 !== expected.sha256) {
      throw new ArchiveError(`"${expected.path}" does not match its checksum (corrupt)`);
    }
    seen.delete(expected.path);
  }
  const extra = seen.keys().next();
  if (!extra.done) throw new ArchiveError(`"${extra.value}" is not in the manifest`);
  return manifest;
}

function parseManifest(text: string): ArchiveManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArchiveError("the manifest is not valid JSON (corrupt)");
  }
  const m = value as Partial<ArchiveManifest> | null;
  if (
    m === null || typeof m !== "object" || m.format !== ARCHIVE_FORMAT ||
    !Array.isArray(m.entries) || !Array.isArray(m.trials) || !Array.isArray(m.runs)
  ) {
    throw new ArchiveError(`the manifest is not an ${ARCHIVE_FORMAT} manifest`);
  }
  for (const entry of m.entries) {
    if (
      typeof entry?.path !== "string" || !isSafeEntry(entry.path) ||
      typeof entry.sha256 !== "string" || typeof entry.bytes !== "number"
    ) {
      throw new ArchiveError(`the manifest names an unsafe or malformed entry`);
    }
  }
  return m as ArchiveManifest;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
