/**
 * Content-addressed blobs (`blobs/sha256/<2>/<hash>`): an artifact is hashed once its trial has
 * exited and copied in unless a blob with that hash is already there, so identical files across
 * trials are stored once. Paths come from the trial and are refused when they resolve (through
 * symlinks too) outside its `out/`.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { isAbsolute, join, normalize, sep } from "node:path";
import type { StoreLayout } from "./layout.ts";
import { detectMediaType, type MediaType } from "./media.ts";

/** A stored blob. */
export interface StoredBlob {
  /** Hex sha256 of the content. */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
  /** Detected media type. */
  mediaType: MediaType;
}

/** Where the blob with `sha256` lives. */
export function blobPath(layout: StoreLayout, sha256: string): string {
  return join(layout.blobs, sha256.slice(0, 2), sha256);
}

/**
 * The real path of `relative` inside `out`, or why it cannot be used: an absolute path, one that
 * climbs out, one that does not exist or is not a file, or one whose real path (after symlinks)
 * is outside `out`.
 */
export async function resolveOutFile(
  out: string,
  relative: string,
): Promise<{ path: string } | { error: string }> {
  const normal = normalize(relative);
  if (relative === "" || isAbsolute(relative) || normal === ".." || normal.startsWith(`..${sep}`)) {
    return { error: `path "${relative}" is outside out/` };
  }
  let realOut: string;
  let real: string;
  try {
    realOut = await Deno.realPath(out);
    real = await Deno.realPath(join(out, normal));
  } catch {
    return { error: `no file "${relative}" in out/` };
  }
  if (!real.startsWith(realOut + sep)) return { error: `path "${relative}" is outside out/` };
  const info = await Deno.stat(real);
  if (!info.isFile) return { error: `"${relative}" in out/ is not a file` };
  return { path: real };
}

/** Hashes the file at `path` into the blobs (copying it unless already there). */
export async function storeFileBlob(layout: StoreLayout, path: string): Promise<StoredBlob> {
  const hash = createHash("sha256");
  const head = new Uint8Array(4096);
  let headLength = 0;
  let bytes = 0;
  using file = await Deno.open(path);
  const buffer = new Uint8Array(1 << 20);
  for (;;) {
    const read = await file.read(buffer);
    if (read === null) break;
    const chunk = buffer.subarray(0, read);
    hash.update(chunk);
    if (headLength < head.length) {
      const take = Math.min(head.length - headLength, read);
      head.set(chunk.subarray(0, take), headLength);
      headLength += take;
    }
    bytes += read;
  }
  const sha256 = hash.digest("hex");
  const mediaType = detectMediaType(head.subarray(0, headLength), path, bytes === headLength);
  await putBlob(layout, sha256, (temp) => Deno.copyFile(path, temp));
  return { sha256, bytes, mediaType };
}

/** Stores `content` as a blob of the given media type. */
export async function storeBytesBlob(
  layout: StoreLayout,
  content: Uint8Array,
  mediaType: MediaType,
): Promise<StoredBlob> {
  const sha256 = createHash("sha256").update(content).digest("hex");
  await putBlob(layout, sha256, (temp) => Deno.writeFile(temp, content));
  return { sha256, bytes: content.length, mediaType };
}

/** Writes a blob through a temp file and a rename, so a blob is never seen half-written. */
async function putBlob(
  layout: StoreLayout,
  sha256: string,
  write: (temp: string) => Promise<void>,
): Promise<void> {
  const target = blobPath(layout, sha256);
  try {
    await Deno.stat(target);
    return;
  } catch {
    // Not stored yet.
  }
  await Deno.mkdir(join(layout.blobs, sha256.slice(0, 2)), { recursive: true });
  const temp = `${target}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await write(temp);
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
