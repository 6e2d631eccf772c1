/**
 * Path helpers without `node:path` (which costs a trial milliseconds to load): paths relative to
 * `out/` that cannot leave it, safe generated file names, and `file:` URLs of absolute paths.
 *
 * @module
 */

/**
 * Normalizes a path relative to `out/` (drops `.` and empty segments) or throws a TypeError when
 * it is empty, absolute, or has a `..` segment; `what` names the argument in the message.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { outRelativePath } from "./paths.ts";
 * assert.equal(outRelativePath("./plots//roc.png", "image"), "plots/roc.png");
 * assert.throws(() => outRelativePath("../x.png", "image"), TypeError);
 * ```
 */
export function outRelativePath(path: string, what: string): string {
  if (/^([\\/]|[A-Za-z]:)/.test(path)) {
    throw new TypeError(
      `${what}: path "${path}" is absolute; give a path relative to the trial's out/ directory`,
    );
  }
  if (path.includes("\0")) {
    throw new TypeError(`${what}: path ${JSON.stringify(path)} has a NUL byte`);
  }
  const segments = path.split(/[\\/]/).filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) {
    throw new TypeError(
      `${what}: path "${path}" leaves the trial's out/ directory; a path must stay inside out/ (no "..")`,
    );
  }
  if (segments.length === 0) {
    throw new TypeError(`${what}: path "${path}" names no file; give a file path inside out/`);
  }
  return segments.join("/");
}

/**
 * A file name made of `[A-Za-z0-9._-]` from a logged name: other characters become `_`, leading
 * dots are dropped (no hidden files, no `..`), and it is cut to 100 characters.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { safeFileName } from "./paths.ts";
 * assert.equal(safeFileName("val/loss curve"), "val_loss_curve");
 * assert.equal(safeFileName(".."), "_");
 * ```
 */
export function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "").slice(0, 100);
  return safe === "" ? "_" : safe;
}

/**
 * The `file:` URL of an absolute path, escaped as `pathToFileURL` does (`%`, `\`, `?`, `#`, spaces,
 * control characters) but without loading `node:url`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileUrl } from "./paths.ts";
 * assert.equal(fileUrl("/tmp/a b/#1%.ts").href, "file:///tmp/a%20b/%231%25.ts");
 * ```
 */
export function fileUrl(path: string): URL {
  const url = new URL("file:///");
  const windows = /^[A-Za-z]:[\\/]/.test(path);
  const posix = windows ? `/${path.replaceAll("\\", "/")}` : path;
  // The pathname setter escapes `?`, `#` and spaces but takes `%` as an escape and `\` as `/`.
  url.pathname = posix.replace(/[%\\\n\r\t]/g, (c) => encodeURIComponent(c));
  return url;
}
