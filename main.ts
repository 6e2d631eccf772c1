/**
 * xp: run experiment sweeps and keep their results. The composition root: process → CLI → exit code.
 *
 * @module
 */

import { runCli } from "./lib/cli/mod.ts";
import { consoleOutput } from "./lib/cli/output.ts";

if (import.meta.main) {
  // `deno task xp` runs in the repo; XP_CWD carries the caller's directory so paths stay relative to it.
  const callerDir = Deno.env.get("XP_CWD");
  if (callerDir) Deno.chdir(callerDir);
  const interrupt = new AbortController();
  const kill = new AbortController();
  const onSignal = () => {
    if (!interrupt.signal.aborted) return interrupt.abort();
    // A second Ctrl-C kills the trials at once; if anything still hangs, xp leaves anyway.
    kill.abort();
    setTimeout(() => Deno.exit(130), 2000);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const code = await runCli(Deno.args, {
    cwd: Deno.cwd(),
    env: (name) => Deno.env.get(name),
    output: consoleOutput,
    signal: interrupt.signal,
    kill: kill.signal,
    stdin: {
      isTerminal: () => Deno.stdin.isTerminal(),
      readText: () => new Response(Deno.stdin.readable).text(),
    },
  });
  Deno.exit(code);
}
