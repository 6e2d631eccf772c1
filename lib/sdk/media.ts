/**
 * Recognises the image formats the protocol accepts (png, jpeg, webp, svg) by their first bytes.
 *
 * @module
 */

/** An image format the viewer shows; also the file extension the SDK gives it. */
export type ImageFormat = "png" | "jpeg" | "webp" | "svg";

/**
 * The format of image bytes by their magic numbers, or `undefined` for anything else.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectImageFormat } from "./media.ts";
 * assert.equal(detectImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), "jpeg");
 * assert.equal(detectImageFormat(new TextEncoder().encode("<svg></svg>")), "svg");
 * assert.equal(detectImageFormat(new Uint8Array([1, 2, 3])), undefined);
 * ```
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0)) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff], 0)) return "jpeg";
  // RIFF....WEBP
  if (
    startsWith(bytes, [0x52, 0x49, 0x46, 0x46], 0) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)
  ) {
    return "webp";
  }
  return isSvg(new TextDecoder().decode(bytes.subarray(0, 4096))) ? "svg" : undefined;
}

/**
 * Whether a text is an SVG document: after an optional BOM, XML declaration, comments and
 * doctype, its first element is `<svg`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { isSvg } from "./media.ts";
 * assert.ok(isSvg('<?xml version="1.0"?>\n<!-- plot -->\n<svg xmlns="http://www.w3.org/2000/svg"/>'));
 * assert.ok(!isSvg("<html><svg></svg></html>"));
 * ```
 */
export function isSvg(text: string): boolean {
  return /^\uFEFF?\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>/]/i
    .test(text);
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at: number): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((byte, index) => bytes[at + index] === byte);
}
