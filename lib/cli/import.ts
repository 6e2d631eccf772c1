/**
 * `xp import`: merges an archive (`.xpa`) or another store's directory into this store.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp import`. */
export interface ImportArgs {
  /** The archive file, or a store directory (`.xp/`, or a directory holding one). */
  source: string;
}

/** `xp import`: merges trials by key from an archive or another store; importing twice is a no-op. */
export const importCommand: Command<ImportArgs> = {
  name: "import",
  usage: "import FILE.xpa | DIR",
  description: [
    "Merges the trials, runs and blobs of an archive (written by xp archive) or of another",
    "store's directory (a .xp/, e.g. rsynced from a cluster) into this store, by key: a",
    "trial already here with status ok is kept, a missing one added, one in another state",
    "replaced only by an ok one. An archive is extracted into a temporary directory inside",
    "the store and every entry checked against the manifest's sha256 before anything moves",
    "into place: a corrupt or truncated archive, or one with an unsafe path, is refused",
    "(exit 2) and the store is left as it was. New trials are then indexed. Importing the",
    "same thing twice changes nothing. Without a store here, ./.xp is created.",
  ].join("\n"),
  options: [],
  examples: [
    "xp import results.xpa",
    "xp --store ~/exp/.xp import ./cluster-copy/.xp",
  ],
  parse(argv) {
    const { positionals } = parseArgs(argv, this.options, { command: "xp import" });
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0 ? "No archive or store given" : "Give one archive or store",
        { hint: "write xp import FILE.xpa, or xp import DIR for another .xp/ store" },
      );
    }
    return { source: positionals[0]! };
  },
  async run(args, deps) {
    const { importInto } = await import("./_import_action.ts");
    return await importInto(args, deps);
  },
};
