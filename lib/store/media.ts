/**
 * The media type of an artifact's bytes: png, jpeg, webp and svg by their signatures (the SDK's
 * rules), then json, csv and plain text by the extension or the content, else binary.
 *
 * @module
 */

import { extname } from "node:path";
import { detectImageFormat } from "../sdk/media.ts";

/** The media types xp stores for artifacts. */
export const MEDIA_TYPES = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
  svg: "image/svg+xml",
  json: "application/json",
  csv: "text/csv",
  text: "text/plain",
  binary: "application/octet-stream",
} as const;

/** One of {@linkcode MEDIA_TYPES}' values. */
export type MediaType = (typeof MEDIA_TYPES)[keyof typeof MEDIA_TYPES];

const TEXT_EXTENSIONS: Record<string, MediaType> = {
  ".json": MEDIA_TYPES.json,
  ".csv": MEDIA_TYPES.csv,
  ".tsv": MEDIA_TYPES.csv,
  ".txt": MEDIA_TYPES.text,
  ".log": MEDIA_TYPES.text,
  ".md": MEDIA_TYPES.text,
};

/**
 * Detects the media type of a file from its first bytes (`head`, 4 KiB is enough) and its name.
 * `whole` tells that `head` is the entire file, so JSON can be confirmed by parsing it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectMediaType } from "./media.ts";
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * assert.equal(detectMediaType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), "a.bin", true), "image/png");
 * assert.equal(detectMediaType(bytes('{"a": 1}'), "out", true), "application/json");
 * assert.equal(detectMediaType(bytes("a,b\n1,2\n"), "table", true), "text/csv");
 * assert.equal(detectMediaType(new Uint8Array([0, 1, 2]), "x.txt", true), "application/octet-stream");
 * ```
 */
export function detectMediaType(head: Uint8Array, name: string, whole: boolean): MediaType {
  const image = detectImageFormat(head);
  if (image !== undefined) return MEDIA_TYPES[image];
  const text = decodeText(head, whole);
  if (text === undefined) return MEDIA_TYPES.binary;
  const byExtension = TEXT_EXTENSIONS[extname(name).toLowerCase()];
  if (byExtension !== undefined) return byExtension;
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    if (!whole) return MEDIA_TYPES.json;
    try {
      JSON.parse(text);
      return MEDIA_TYPES.json;
    } catch {
      // Not JSON after all: plain text.
    }
  }
  return looksLikeCsv(text, whole) ? MEDIA_TYPES.csv : MEDIA_TYPES.text;
}

/** The text of `bytes` when they are UTF-8 without NUL bytes, else `undefined`. */
function decodeText(bytes: Uint8Array, whole: boolean): string | undefined {
  if (bytes.includes(0)) return undefined;
  // A multi-byte character cut by the 4 KiB window must not make the file look binary.
  let end = bytes.length;
  if (!whole) {
    let back = 0;
    while (back < 3 && end - back > 0 && (bytes[end - back - 1]! & 0xc0) === 0x80) back++;
    if (end - back > 0 && bytes[end - back - 1]! >= 0xc0) end -= back + 1;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    return undefined;
  }
}

/** At least two lines, each with the same number (≥ 1) of commas. */
function looksLikeCsv(text: string, whole: boolean): boolean {
  const all = text.split("\n");
  // The window may end mid-line: that line proves nothing.
  if (!whole) all.pop();
  const lines = all.filter((line) => line.trim() !== "").slice(0, 20);
  if (lines.length < 2) return false;
  const commas = (line: string) => line.split(",").length - 1;
  const first = commas(lines[0]!);
  return first > 0 && lines.every((line) => commas(line) === first);
}
