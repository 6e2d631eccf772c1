/**
 * `xp gc`: reports (and with --delete removes) unreferenced blobs and stale trial attempts.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** Parsed arguments of `xp gc`. */
export interface GcArgs {
  /** Delete what was found, rather than only report it. */
  delete: boolean;
}

/** `xp gc`: what the store keeps but no longer needs; deletes only with --delete. */
export const gcCommand: Command<GcArgs> = {
  name: "gc",
  usage: "gc [--delete]",
  description: [
    "Reports the blobs no trial references (artifacts of trials deleted or re-run) and the",
    "earlier attempts of finished trials (trials/<key>/attempts/N/, the logs of retries),",
    "with their bytes. Nothing is deleted without --delete, which is refused while a trial",
    "of the store is running.",
  ].join("\n"),
  options: [
    { name: "delete", kind: "boolean", summary: "delete what was found" },
  ],
  examples: [
    "xp gc",
    "xp gc --delete",
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp gc" });
    if (positionals.length > 0) {
      throw new UsageError(`Unexpected argument "${positionals[0]}"`, {
        hint: "xp gc takes no arguments; add --delete to delete what it reports",
      });
    }
    return { delete: options.has("delete") };
  },
  async run(args, deps) {
    const { collectGarbage } = await import("./_gc_action.ts");
    return await collectGarbage(args, deps);
  },
};
