/**
 * Turning the tail of a request URL into a file inside one directory, refusing everything that
 * could leave it: `..` and `.` segments (plain or percent-encoded), encoded slashes and
 * backslashes, NUL, empty segments, absolute paths; and, after symlinks are resolved, any real
 * path outside the directory.
 *
 * @module
 */

import { join, sep } from "node:path";
import { HttpError } from "../http_error.ts";

/**
 * The segments of `encoded` (a URL path tail, still percent-encoded), decoded and checked.
 *
 * @throws {HttpError} 400 when a segment is empty, `.` or `..`, or holds `/`, `\` or NUL
 */
export function safeSegments(encoded: string): string[] {
  if (encoded === "") throw badPath("an empty path");
  const segments = encoded.split("/").map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badPath("a malformed percent-encoding");
    }
    if (decoded === "" || decoded === "." || decoded === "..") {
      throw badPath(
        decoded === "" ? "an empty segment or absolute path" : `a "${decoded}" segment`,
      );
    }
    if (/[/\\\0]/.test(decoded)) throw badPath("an encoded slash, backslash or NUL");
    return decoded;
  });
  return segments;
}

/**
 * The real path of the regular file at `segments` under `root`.
 *
 * @throws {HttpError} 404 when it does not exist or is not a file, 403 when its real path
 *   (after symlinks) is outside `root`
 */
export async function resolveInside(root: string, segments: readonly string[]): Promise<string> {
  let realRoot: string;
  let real: string;
  try {
    realRoot = await Deno.realPath(root);
    real = await Deno.realPath(join(root, ...segments));
  } catch {
    throw new HttpError(404, `No file ${segments.join("/")}`);
  }
  if (!real.startsWith(realRoot + sep)) {
    throw new HttpError(403, `${segments.join("/")} leads outside the trial's directory`, {
      hint: "a symlink in out/ that points elsewhere is not served",
    });
  }
  const info = await Deno.stat(real);
  if (!info.isFile) throw new HttpError(404, `${segments.join("/")} is not a file`);
  return real;
}

function badPath(what: string): HttpError {
  return new HttpError(400, `Refused a file path with ${what}`, {
    hint: "paths are relative to the trial's directory, e.g. out/model.bin or stdout.log",
  });
}
