/**
 * `deno task demo`: writes the example experiment into a temp dir and runs its sweep with xp, printing
 * each command before its output, as a user would type it.
 *
 * @module
 */

import { join } from "node:path";
import { runCli } from "../lib/cli/mod.ts";
import { consoleOutput, paint } from "../lib/cli/output.ts";

const dir = await Deno.makeTempDir({ prefix: "xp_demo_" });
const output = consoleOutput();
const environment = {
  cwd: dir,
  env: (name: string) => Deno.env.get(name),
  output: consoleOutput,
  signal: new AbortController().signal,
};

async function step(argv: string[]): Promise<void> {
  output.out(paint(output, "bold", `\n$ xp ${argv.join(" ")}`));
  const code = await runCli(argv, environment);
  if (code !== 0) Deno.exit(code);
}

output.out(`xp demo in ${dir}`);
await step(["init", "quickstart"]);
environment.cwd = join(dir, "quickstart");
await step(["run", "--dry-run"]);
await step(["run", "-j", "2"]);
await step(["run"]);
await step(["run", "lr=0.5,0.05", "--stage", "train"]);
output.out(`
The experiment is in ${environment.cwd}; every trial's files are in its .xp/trials/<key>/.
Edit xp.yaml or train.ts there and run again: only what changed runs.`);
