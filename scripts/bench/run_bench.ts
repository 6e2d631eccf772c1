/**
 * The runner against bare process launching, side by side in one run:
 *
 * - 200 trivial TS trials through `xp run -j 2` vs the same script run 200 times by a bare loop of
 *   `deno run`, 2 at a time (target: xp ≤ 1.3× the loop), alternated over three rounds (each xp
 *   round in a new store) and compared by their medians: this VM's disk and CPU steal swing
 *   single runs by ±20%;
 * - the cached re-run of those 200 (target ≤ 0.4 s);
 * - 2,000 `true` command trials through `xp run -j 2` vs GNU parallel (when installed) and xargs;
 * - a 10,000-trial command sweep run once, then its cached re-run (target ≤ 2 s);
 * - xp's peak RSS at 200 and at 10,000 trials (it should stay flat).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, row } from "./_report.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const DENO = Deno.execPath();

interface Timed {
  seconds: number;
  peakMib: number | undefined;
}

/** Runs a command, timing it and (with GNU time) reading its peak RSS. */
async function timed(program: string, args: string[], cwd: string): Promise<Timed> {
  const gnuTime = await exists("/usr/bin/time");
  const start = performance.now();
  const { success, stderr } = await new Deno.Command(gnuTime ? "/usr/bin/time" : program, {
    args: gnuTime ? ["-f", "XP_BENCH_RSS=%M", program, ...args] : args,
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  const text = new TextDecoder().decode(stderr);
  if (!success) throw new Error(`${program} ${args.join(" ")} failed:\n${text}`);
  const kib = Number(/XP_BENCH_RSS=(\d+)/.exec(text)?.[1]);
  return { seconds, peakMib: Number.isFinite(kib) ? kib / 1024 : undefined };
}

/** As `deno task xp` and the installed `xp` run it (deno.json): with V8's young generation capped. */
const XP_FLAGS = ["run", "-A", "--v8-flags=--max-semi-space-size=2", MAIN];

function xpRun(dir: string): Promise<Timed> {
  return timed(DENO, [...XP_FLAGS, "run", "-q", "-j", "2"], dir);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

function mib(t: Timed): string {
  return t.peakMib === undefined ? "?" : `${t.peakMib.toFixed(0)} MiB`;
}

const root = await Deno.makeTempDir({ prefix: "xp_bench_run_" });
try {
  // 200 trivial TS trials, alternating with the bare loop.
  const bares: number[] = [];
  const firsts: Timed[] = [];
  let ts = "";
  for (let round = 0; round < 3; round++) {
    ts = join(root, `ts${round}`);
    await Deno.mkdir(ts);
    await Deno.writeTextFile(
      join(ts, "xp.yaml"),
      "name: bench\nparams: { i: 0 }\nsweep:\n  i: { range: [0, 200] }\nscript: trivial.ts\n",
    );
    await Deno.writeTextFile(
      join(ts, "trivial.ts"),
      "export default function (cfg: { i: number }) { return { v: cfg.i }; }\n",
    );
    // Warm deno's module cache for both sides.
    if (round === 0) await timed(DENO, ["run", "--no-prompt", "trivial.ts"], ts);
    const loop = `seq 200 | xargs -P 2 -I{} ${DENO} run --no-prompt trivial.ts`;
    bares.push((await timed("sh", ["-c", loop], ts)).seconds);
    firsts.push(await xpRun(ts));
  }
  const cached = await xpRun(ts);
  const seconds = (values: readonly number[]) => values.map((s) => s.toFixed(2)).join(", ");
  const bare = median(bares);
  const first = median(firsts.map((t) => t.seconds));
  row("run", "200 TS trials, bare deno loop -j 2", `${bare.toFixed(2)} s`, `(${seconds(bares)})`);
  row(
    "run",
    "200 TS trials, xp run -j 2",
    `${first.toFixed(2)} s`,
    `${(first / bare).toFixed(2)}× bare (target ≤ 1.3×; ` +
      `${seconds(firsts.map((t) => t.seconds))}), peak ${mib(firsts.at(-1)!)}`,
  );
  row("run", "200 cached, xp run", `${cached.seconds.toFixed(2)} s`, "target ≤ 0.4 s");

  // 2,000 command trials: xp vs GNU parallel vs xargs.
  const cmd = join(root, "cmd");
  await Deno.mkdir(cmd);
  await Deno.writeTextFile(
    join(cmd, "xp.yaml"),
    "name: cmd\nparams: { i: 0 }\nsweep:\n  i: { range: [0, 2000] }\ncommand: 'true'\n",
  );
  const xargs = await timed("sh", ["-c", "seq 2000 | xargs -P 2 -I{} sh -c true"], cmd);
  row("run", "2,000 `true`, xargs -P 2", `${xargs.seconds.toFixed(2)} s`, "");
  if (await exists("/usr/bin/parallel")) {
    const gnu = await timed("sh", ["-c", "seq 2000 | parallel -j 2 true"], cmd);
    row("run", "2,000 `true`, GNU parallel -j 2", `${gnu.seconds.toFixed(2)} s`, "");
  }
  const commands = await xpRun(cmd);
  row(
    "run",
    "2,000 `true`, xp run -j 2",
    `${commands.seconds.toFixed(2)} s`,
    `${(commands.seconds / 2000 * 1000).toFixed(1)} ms/trial (xp records each trial's files)`,
  );

  // 10,000 command trials: first run, then the cached re-run.
  const big = join(root, "big");
  await Deno.mkdir(big);
  await Deno.writeTextFile(
    join(big, "xp.yaml"),
    "name: big\nparams: { i: 0 }\nsweep:\n  i: { range: [0, 10000] }\ncommand: 'true'\n",
  );
  const bigFirst = await xpRun(big);
  const bigCached = await xpRun(big);
  row(
    "run",
    "10,000 `true`, xp run -j 2",
    `${bigFirst.seconds.toFixed(2)} s`,
    `peak ${mib(bigFirst)}`,
  );
  row(
    "run",
    "10,000 cached, xp run",
    `${bigCached.seconds.toFixed(2)} s`,
    `target ≤ 2 s, peak ${mib(bigCached)}`,
  );
} finally {
  await Deno.remove(root, { recursive: true });
}
