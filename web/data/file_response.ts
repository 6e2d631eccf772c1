/**
 * A stored file as a response that cannot run script in the viewer's origin: images and plain
 * text inline, SVG inline only under a CSP sandbox (no script, no network), HTML and every other
 * type as an attachment; `nosniff` everywhere so a browser never guesses a more dangerous type.
 *
 * @module
 */

import { basename, extname } from "node:path";
import { detectMediaType } from "../../lib/store/media.ts";

/** Types shown in the browser; anything else is downloaded. */
const INLINE = new Set([
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
  "image/svg+xml",
  "application/json",
  "text/plain",
  "text/csv",
]);

const BY_EXTENSION: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".csv": "text/csv",
  ".tsv": "text/csv",
  ".txt": "text/plain",
  ".log": "text/plain",
  ".md": "text/plain",
  ".ndjson": "text/plain",
  ".yaml": "text/plain",
  ".yml": "text/plain",
  ".html": "text/html",
  ".htm": "text/html",
  ".xhtml": "application/xhtml+xml",
  ".xml": "application/xml",
};

/** Headers every served file gets: no script, no plugins, no sniffing, no framing by others. */
export const FILE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** Options of {@linkcode fileResponse}. */
export interface FileResponseOptions {
  /** The name offered for a download. @default {the file's name} */
  name?: string;
  /** Download even what could be shown. */
  download?: boolean;
  /** Content never changes (a blob named by its hash): let the browser keep it. */
  immutable?: boolean;
}

/** The file at `path` (a real path already checked to be allowed) as a response. */
export async function fileResponse(
  path: string,
  options: FileResponseOptions = {},
): Promise<Response> {
  const file = await Deno.open(path);
  const size = (await file.stat()).size;
  const name = options.name ?? basename(path);
  let type = BY_EXTENSION[extname(name).toLowerCase()];
  if (type === undefined) {
    const head = new Uint8Array(Math.min(4096, size));
    let read = 0;
    while (read < head.length) {
      const n = await file.read(head.subarray(read));
      if (n === null) break;
      read += n;
    }
    await file.seek(0, Deno.SeekMode.Start);
    type = detectMediaType(head.subarray(0, read), name, read === size);
  }
  const inline = !options.download && INLINE.has(type);
  const headers = new Headers(FILE_SECURITY_HEADERS);
  headers.set(
    "Content-Type",
    type.startsWith("text/") || type === "application/json" ? `${type}; charset=utf-8` : type,
  );
  headers.set("Content-Length", String(size));
  headers.set(
    "Content-Disposition",
    `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  headers.set(
    "Cache-Control",
    options.immutable ? "private, max-age=31536000, immutable" : "no-cache",
  );
  return new Response(file.readable, { headers });
}
