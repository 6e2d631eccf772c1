/**
 * Archives at 10,000 trials (issue 8): a synthetic store from `scripts/gen_fixtures.ts`, indexed,
 * then `xp archive` of every trial and `xp import` of that archive into a fresh store, each in a
 * process of its own so that its peak memory is its own. Prints the wall times, the archive's
 * size against the store's bytes (trials, runs and blobs; not the index), and each process's
 * peak resident memory (constant-memory streaming keeps it near a bare xp's).
 *
 * `deno run -A scripts/bench/archive_bench.ts [N]` (default 10,000; `XP_BENCH_TRIALS` too).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "../../lib/store/duckdb_store.ts";
import { walk } from "../../lib/store/archive_write.ts";
import { generateFixtures } from "../gen_fixtures.ts";
import { peakRssMib, row } from "./_report.ts";

const SELF = fileURLToPath(import.meta.url);

if (Deno.args[0] === "--child") {
  // Child mode: run one xp command in this process, then report this process's peak memory.
  const { runCli } = await import("../../lib/cli/mod.ts");
  const { memoryOutput } = await import("../../lib/cli/output.ts");
  const output = memoryOutput();
  const code = await runCli(Deno.args.slice(2), {
    cwd: Deno.args[1]!,
    env: () => undefined,
    output: () => output,
    signal: new AbortController().signal,
  });
  if (code !== 0) throw new Error(`xp ${Deno.args.slice(2).join(" ")}: ${output.stderr}`);
  Deno.stdout.writeSync(new TextEncoder().encode(`${peakRssMib()}\n`));
  Deno.exit(0);
}

/** Runs `xp ARGS` in a child process in `cwd`; returns wall seconds and peak MiB. */
async function timed(cwd: string, args: string[]): Promise<{ seconds: number; peak: string }> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SELF, "--child", cwd, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`xp ${args.join(" ")} failed`);
  const seconds = (performance.now() - start) / 1000;
  return { seconds, peak: new TextDecoder().decode(out.stdout).trim() };
}

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for await (const file of walk(dir)) total += (await Deno.stat(file)).size;
  return total;
}

const trials = Number(Deno.args[0] ?? Deno.env.get("XP_BENCH_TRIALS") ?? 10_000);
const dir = await Deno.makeTempDir({ prefix: "xp_bench_archive_" });
try {
  const source = join(dir, "source");
  await generateFixtures(join(source, ".xp"), trials);
  await (await openStore(join(source, ".xp"))).close();
  const storeBytes = (await bytesUnder(join(source, ".xp", "trials"))) +
    (await bytesUnder(join(source, ".xp", "runs"))) +
    (await bytesUnder(join(source, ".xp", "blobs")));

  const archive = join(dir, "all.xpa");
  const made = await timed(source, ["archive", "-o", archive]);
  const size = (await Deno.stat(archive)).size;
  row(
    "archive",
    `xp archive ${trials} trials`,
    `${made.seconds.toFixed(2)} s`,
    `peak ${made.peak} MiB`,
  );
  row(
    "archive",
    "archive size vs store bytes",
    `${(size / (1 << 20)).toFixed(1)} MiB`,
    `${((100 * size) / storeBytes).toFixed(1)} % of ${(storeBytes / (1 << 20)).toFixed(1)} MiB`,
  );

  const target = join(dir, "target");
  await Deno.mkdir(target);
  const imported = await timed(target, ["import", archive]);
  row(
    "archive",
    `xp import ${trials} trials (fresh store)`,
    `${imported.seconds.toFixed(2)} s`,
    `peak ${imported.peak} MiB, indexes them too`,
  );
  const again = await timed(target, ["import", archive]);
  row(
    "archive",
    "xp import again (no-op)",
    `${again.seconds.toFixed(2)} s`,
    `peak ${again.peak} MiB`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
