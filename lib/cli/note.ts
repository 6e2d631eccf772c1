/**
 * `xp note`: writes a trial's note.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp note`. */
export interface NoteArgs {
  /** The trial (key prefix or name). */
  trial: string;
  /** The note; `""` removes it; `undefined` prints it. */
  text: string | undefined;
}

/** `xp note`: sets (or with no text prints) a trial's note, kept in its `notes.md`. */
export const noteCommand: Command<NoteArgs> = {
  name: "note",
  usage: 'note TRIAL ["TEXT"]',
  description: [
    "Replaces the note of a trial (named by a key prefix or its name) with TEXT; an empty",
    'TEXT ("") removes it, and no TEXT prints it. The note is kept in the trial\'s notes.md,',
    "shown by xp show, and queryable in the notes view (key, note).",
  ].join("\n"),
  options: [],
  examples: [
    'xp note 3fa2c1 "diverged after step 800: lr too high"',
    "xp note 3fa2c1",
  ],
  parse(argv) {
    const { positionals } = parseArgs(argv, this.options, { command: "xp note" });
    const [trial, ...words] = positionals;
    if (trial === undefined) {
      throw new UsageError("No trial given", { hint: 'write xp note TRIAL "text"' });
    }
    return { trial, text: words.length === 0 ? undefined : words.join(" ") };
  },
  async run(args, deps) {
    const { noteTrial } = await import("./_annotate_action.ts");
    return await noteTrial(args, deps);
  },
};
