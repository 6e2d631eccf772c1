import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";
import { VERSION } from "../version.ts";

/** The parts of a command that are known before it is built. */
export type CommandSpec = Omit<Command<never>, "parse" | "run">;

/**
 * A command that is specified (help, options) but not built yet: it parses its arguments, so
 * mistakes are still reported, then says it is not built and exits 2 rather than pretending.
 */
export function notBuilt(spec: CommandSpec): Command<null> {
  return {
    ...spec,
    parse(argv) {
      parseArgs(argv, spec.options, { command: `xp ${spec.name}` });
      return null;
    },
    run() {
      return Promise.reject(
        new UsageError(`"xp ${spec.name}" is not built yet in xp ${VERSION}`, {
          hint: 'see the README section "Status" for what works today',
        }),
      );
    },
  };
}
