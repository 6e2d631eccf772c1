/**
 * The results store at 10,000 trials (issue 4): a synthetic store of N trials (20 params, 10
 * metrics, 3 scalar series × 100 steps) from `scripts/gen_fixtures.ts`, then
 *
 * - the reindex time and its scalar rows per second (target ≥ 1,000,000 rows/s), with the
 *   process's CPU time beside it (the wall time depends on what else the cores are doing);
 * - the index size against the NDJSON bytes (target ≤ 30 %);
 * - the wall time of a fresh `deno run -A main.ts sql "…"` process for the top 10 by a metric
 *   where a param is below a value (target ≤ 0.3 s), and for a group-by over every scalar row.
 *   Should `xp sql` fail, a fresh process of a tiny script calling `openStore().query()` is
 *   timed instead, and the row says so.
 *
 * `deno run -A scripts/bench/store_bench.ts [N]` (default 10,000; `XP_BENCH_TRIALS` too).
 *
 * @module
 */

import process from "node:process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "../../lib/store/duckdb_store.ts";
import { generateFixtures } from "../gen_fixtures.ts";
import { median, row } from "./_report.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));
const STORE = new URL("../../lib/store/duckdb_store.ts", import.meta.url).href;
const TOP = "select name, params.lr, metrics.accuracy from trials where params.lr < 0.05 " +
  "order by metrics.accuracy desc limit 10";
const GROUP = "select key, max(value) from scalars where name = 'loss' group by key";
const RUNS = 5;

const trials = Number(Deno.args[0] ?? Deno.env.get("XP_BENCH_TRIALS") ?? 10_000);
const dir = await Deno.makeTempDir({ prefix: "xp_bench_store_" });
try {
  const summary = await generateFixtures(dir, trials);
  const points = summary.scalarRows;

  const store = await openStore(dir);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const report = await store.reindex();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  row(
    "store",
    `reindex ${report.trials} trials`,
    `${seconds.toFixed(2)} s`,
    `CPU ${
      cpuSeconds.toFixed(2)
    } s on ${navigator.hardwareConcurrency} cores; ${report.rows} rows in all`,
  );
  const rate = points / seconds;
  row(
    "store",
    "ingest, scalar rows/s",
    `${(rate / 1e6).toFixed(2)} M/s`,
    `${points} scalar rows; target ≥ 1.00 M/s ${rate >= 1e6 ? "(met)" : "(missed)"}`,
  );

  const indexBytes = (await Deno.stat(join(dir, "index.duckdb"))).size;
  const share = indexBytes / summary.eventBytes;
  row(
    "store",
    "index size / NDJSON bytes",
    `${(share * 100).toFixed(1)} %`,
    `${(indexBytes / 1e6).toFixed(1)} MB vs ${
      (summary.eventBytes / 1e6).toFixed(1)
    } MB; target ≤ 30 % ${share <= 0.3 ? "(met)" : "(missed)"}`,
  );

  const cli = await queryProcess([
    "run",
    "-A",
    "--quiet",
    MAIN,
    "sql",
    "--store",
    dir,
    "--csv",
    TOP,
  ]);
  const probe = join(dir, "probe.ts");
  await Deno.writeTextFile(
    probe,
    `const { openStore } = await import(${JSON.stringify(STORE)});
const store = await openStore(Deno.args[0]);
console.log((await store.query(Deno.args[1])).rows.length);
`,
  );
  const script = (sql: string) => ["run", "-A", "--quiet", "--config", CONFIG, probe, dir, sql];
  for (
    const [what, sql, target] of [["top 10 by a metric, param < x", TOP, 0.3], [
      "group-by over all scalar rows",
      GROUP,
      undefined,
    ]] as const
  ) {
    let times = sql === TOP
      ? cli
      : await queryProcess(["run", "-A", "--quiet", MAIN, "sql", "--store", dir, "--csv", sql]);
    let how = "fresh `deno run -A main.ts sql` process";
    if (times === undefined) {
      times = await queryProcess(script(sql));
      how = "fresh `deno run` of a script calling openStore().query() (xp sql failed)";
    }
    if (times === undefined) {
      row("store", what, "failed", how);
      continue;
    }
    const wall = median(times);
    const verdict = target === undefined
      ? ""
      : `; target ≤ ${target} s ${wall <= target ? "(met)" : "(missed)"}`;
    row("store", what, `${wall.toFixed(3)} s`, `median of ${RUNS}, ${how}${verdict}`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}

/** Wall seconds of `RUNS` fresh `deno` processes, or `undefined` when one fails. */
async function queryProcess(args: string[]): Promise<number[] | undefined> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const { success } = await new Deno.Command(Deno.execPath(), {
      args,
      stdout: "null",
      stderr: "null",
    }).output();
    if (!success) return undefined;
    times.push((performance.now() - start) / 1000);
  }
  return times;
}
