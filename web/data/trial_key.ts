/**
 * Trial keys as they may appear in a URL: a key names a directory, so anything but letters,
 * digits, `_` and `-` is refused before it gets near a path.
 *
 * @module
 */

import { HttpError } from "../http_error.ts";

const KEY = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * `key` when it is a well-formed trial key.
 *
 * @throws {HttpError} 400 otherwise
 */
export function checkKey(key: string): string {
  if (!KEY.test(key)) {
    throw new HttpError(400, `Not a trial key: "${key.slice(0, 80)}"`, {
      hint: "a key is the trial directory's name: letters, digits, _ and -",
    });
  }
  return key;
}

/**
 * The keys of a comma-separated list (`k1,k2`), each checked; at most `max`.
 *
 * @throws {HttpError} 400 on a malformed key, none, or too many
 */
export function parseKeys(list: string | undefined, max: number): string[] {
  const keys = (list ?? "").split(",").map((k) => k.trim()).filter((k) => k !== "");
  if (keys.length === 0) {
    throw new HttpError(400, "No trial keys given", { hint: "add ?keys=KEY1,KEY2" });
  }
  if (keys.length > max) {
    throw new HttpError(400, `Too many trials: ${keys.length} (at most ${max})`, {
      hint: "select fewer trials",
    });
  }
  return [...new Set(keys.map(checkKey))];
}
