/**
 * The `inline` executor, for debugging: TS trials run inside xp's own process (breakpoints and
 * `console.log` work as usual; no sandbox, no time limit, one at a time is advised). Command trials
 * still run as processes. `"xp"` resolves through deno.json's import map, so this needs xp run
 * from its repository or installed with `deno task install`, not a compiled binary.
 *
 * @module
 */

import { join } from "node:path";
import { specFromEnv } from "../sdk/env.ts";
import { runTrial } from "../sdk/trial.ts";
import { TRIAL_FILES } from "../store/mod.ts";
import type { Executor } from "./executor.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** An executor that imports TS trials into this process; `commands` runs everything else. */
export function inlineExecutor(commands: Executor): Executor {
  return {
    name: "inline",
    async run(launch, options) {
      if (launch.command !== undefined) return await commands.run(launch, options);
      const result = await runTrial(specFromEnv((name) => launch.env[name]));
      if (result.ok) return { state: "ok", exitCode: 0, signal: null, error: null };
      const text = `error: ${result.error}\n${result.stack ?? ""}`;
      await Deno.writeTextFile(join(launch.trialDir, TRIAL_FILES.stderr), text);
      const error = result.error.replace(ANSI, "").split("\n")[0]!;
      return { state: "failed", exitCode: null, signal: null, error };
    },
  };
}
