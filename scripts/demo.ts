/**
 * `deno task demo`: writes the example experiment into a temp dir, runs its sweep into the store,
 * answers a SQL query and says how to open the viewer, printing
 * each command before its output, as a user would type it.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../lib/cli/mod.ts";
import { consoleOutput, paint } from "../lib/cli/output.ts";

const dir = await Deno.makeTempDir({ prefix: "xp_demo_" });
const config = fileURLToPath(new URL("../deno.json", import.meta.url));
const output = consoleOutput();
const environment = {
  cwd: dir,
  env: (name: string) => Deno.env.get(name),
  output: consoleOutput,
  signal: new AbortController().signal,
};

async function step(argv: string[]): Promise<void> {
  const shown = argv.map((a) => /[\s'*]/.test(a) ? `"${a}"` : a).join(" ");
  output.out(paint(output, "bold", `\n$ xp ${shown}`));
  const code = await runCli(argv, environment);
  if (code !== 0) Deno.exit(code);
}

output.out(`xp demo in ${dir}`);
await step(["init", "quickstart"]);
environment.cwd = join(dir, "quickstart");
await step(["run", "--dry-run"]);
await step(["run", "-j", "2"]);
await step(["run"]);
await step([
  "sql",
  "select stage, name, params.lr, params.model.depth as depth, " +
  "round(metrics.accuracy, 4) as accuracy from trials where stage = 'train' " +
  "order by metrics.accuracy desc limit 3",
]);
output.out(`
The experiment is in ${environment.cwd}; its trials' files are in .xp/trials/<key>/.
Edit xp.yaml or train.ts there and run again: only what changed runs. To look at the results:
  cd ${environment.cwd} && npx -y deno@2.9.6 task --config ${config} xp serve
and open http://127.0.0.1:8765 (charts, compare, SQL console).`);
