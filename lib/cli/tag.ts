/**
 * `xp tag`: sets or removes tags of a trial, or of every trial of a run.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp tag`. */
export interface TagArgs {
  /** A trial (key prefix or name) or a run id. */
  target: string;
  /** Tag name → value; `null` removes the tag. */
  changes: Map<string, string | null>;
}

/** `xp tag`: `name=value` sets a tag, `name=` removes it; stored in the trial's `tags.json`. */
export const tagCommand: Command<TagArgs> = {
  name: "tag",
  usage: "tag TRIAL|RUN NAME=VALUE…",
  description: [
    "Sets tags (NAME=VALUE) or removes them (NAME=) on a trial, named by a key prefix or",
    "its name, or on every trial of a run, named by its id. Tags are kept in the trial's",
    "tags.json (so archives and reindex keep them), shown by xp ls and xp show, and",
    "queryable in the tags view (key, name, value). Prints the trials' tags afterwards.",
  ].join("\n"),
  options: [],
  examples: [
    "xp tag 3fa2c1 keep=yes paper=fig3",
    "xp tag 3fa2c1 paper=",
    "xp tag 20261123T144843123Z-1a2b baseline=v1",
    "xp sql \"select key, value from tags where name = 'paper'\"",
  ],
  parse(argv) {
    const { positionals } = parseArgs(argv, this.options, { command: "xp tag" });
    const [target, ...pairs] = positionals;
    if (target === undefined || pairs.length === 0) {
      throw new UsageError(target === undefined ? "No trial or run given" : "No tags given", {
        hint: "write xp tag TRIAL name=value (name= removes a tag)",
      });
    }
    const changes = new Map<string, string | null>();
    for (const pair of pairs) {
      const at = pair.indexOf("=");
      const name = at < 0 ? "" : pair.slice(0, at);
      if (name.trim() === "" || name.length > 256) {
        throw new UsageError(`"${pair}" is not NAME=VALUE`, {
          hint: "write name=value to set a tag and name= to remove it",
        });
      }
      const value = pair.slice(at + 1);
      changes.set(name, value === "" ? null : value);
    }
    return { target, changes };
  },
  async run(args, deps) {
    const { tagTrials } = await import("./_annotate_action.ts");
    return await tagTrials(args, deps);
  },
};
