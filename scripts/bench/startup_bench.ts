/**
 * Start-up of `xp --help` and `xp --version` against an empty `deno run`, median of 15 runs each,
 * measured side by side; the target is within 3× the empty run.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { median, row } from "./_report.ts";

const main = fileURLToPath(new URL("../../main.ts", import.meta.url));
const empty = await Deno.makeTempFile({ prefix: "xp_bench_", suffix: ".ts" });

async function time(args: string[]): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 17; i++) {
    const start = performance.now();
    const { success } = await new Deno.Command(Deno.execPath(), { args, stdout: "null" }).output();
    if (!success) throw new Error(`deno ${args.join(" ")} failed`);
    if (i >= 2) samples.push(performance.now() - start); // the first runs warm the cache
  }
  return median(samples);
}

try {
  const base = await time(["run", empty]);
  row("startup", "empty deno run", `${base.toFixed(1)} ms`, "");
  for (const argv of [["--help"], ["--version"], ["run", "--help"]]) {
    const ms = await time(["run", "-A", main, ...argv]);
    row(
      "startup",
      `xp ${argv.join(" ")}`,
      `${ms.toFixed(1)} ms`,
      `${(ms / base).toFixed(2)}× empty (target ≤ 3×)`,
    );
  }
} finally {
  await Deno.remove(empty);
}
