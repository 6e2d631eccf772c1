/**
 * Tags and notes of a trial, kept beside its files (`tags.json`, `notes.md`) so that they travel
 * with it (archives, rsync, reindex) rather than living only in the index. Both are written
 * atomically; they are the user's, so a re-run of the trial leaves them alone.
 *
 * @module
 */

import { join } from "node:path";
import { writeJsonAtomic, writeTextAtomic } from "./atomic.ts";

/** The tags file of a trial directory. */
export const TAGS_FILE = "tags.json";

/** The notes file of a trial directory. */
export const NOTES_FILE = "notes.md";

/** A trial's tags, name → value; `{}` when it has none or the file is unreadable. */
export async function readTags(dir: string): Promise<Record<string, string>> {
  let value: unknown;
  try {
    value = JSON.parse(await Deno.readTextFile(join(dir, TAGS_FILE)));
  } catch {
    return {};
  }
  const tags: Record<string, string> = {};
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [name, tag] of Object.entries(value)) {
      if (typeof tag === "string") tags[name] = tag;
    }
  }
  return tags;
}

/**
 * Applies `changes` to a trial's tags: a value sets the tag, `null` removes it. Returns the tags
 * as written (names sorted); the file is removed when no tag is left.
 */
export async function updateTags(
  dir: string,
  changes: ReadonlyMap<string, string | null>,
): Promise<Record<string, string>> {
  const tags = await readTags(dir);
  for (const [name, value] of changes) {
    if (value === null) delete tags[name];
    else tags[name] = value;
  }
  const sorted = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (Object.keys(sorted).length === 0) {
    await Deno.remove(join(dir, TAGS_FILE)).catch(() => {});
  } else {
    await writeJsonAtomic(join(dir, TAGS_FILE), sorted);
  }
  return sorted;
}

/** A trial's note, `null` when it has none. */
export async function readNote(dir: string): Promise<string | null> {
  try {
    const text = await Deno.readTextFile(join(dir, NOTES_FILE));
    return text.trim() === "" ? null : text.replace(/\n$/, "");
  } catch {
    return null;
  }
}

/** Replaces a trial's note; an empty text removes it. */
export async function writeNote(dir: string, text: string): Promise<void> {
  if (text.trim() === "") {
    await Deno.remove(join(dir, NOTES_FILE)).catch(() => {});
  } else {
    await writeTextAtomic(join(dir, NOTES_FILE), text.endsWith("\n") ? text : `${text}\n`);
  }
}
