/**
 * One trial logs 3 series × 100,000 steps (one with a context) through the TS SDK: the time inside
 * the trial, the time to ingest them into the index, and the bytes on disk. Targets: logging
 * ≤ 0.3 s, ingest ≤ 0.5 s, NDJSON ≤ 15 MB (pyexp: 3.0 s and 9.9 MB; MLflow 19–24 s).
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "../../lib/store/mod.ts";
import { row } from "./_report.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const STEPS = 100_000;

const dir = await Deno.makeTempDir({ prefix: "xp_bench_log_" });
try {
  await Deno.writeTextFile(
    join(dir, "xp.yaml"),
    "name: logs\nparams: { n: 0 }\nscript: trial.ts\n",
  );
  await Deno.writeTextFile(
    join(dir, "trial.ts"),
    `import type { TrialContext } from "xp";
export default function (_cfg: unknown, ctx: TrialContext<unknown>) {
  const start = performance.now();
  for (let step = 0; step < ${STEPS}; step++) {
    const loss = 1 / (step + 1);
    ctx.log.scalar("loss", loss);
    ctx.log.scalar("accuracy", 1 - loss);
    ctx.log.scalar("loss", loss * 1.1, { context: { subset: "val" } });
  }
  return { log_seconds: (performance.now() - start) / 1000 };
}
`,
  );
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "run", "-q"],
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!run.success) throw new Error(new TextDecoder().decode(run.stderr));
  const [trial] = [...Deno.readDirSync(join(dir, ".xp", "trials"))];
  const trialDir = join(dir, ".xp", "trials", trial!.name);
  const events = join(trialDir, "events.ndjson");
  const result = (await Deno.readTextFile(events)).trimEnd().split("\n").at(-1)!;
  const logSeconds = JSON.parse(result).value.log_seconds as number;
  const bytes = (await Deno.stat(events)).size;

  // Ingest that trial again, alone, into the index (the run already did once).
  const store = await openStore(join(dir, ".xp"));
  const start = performance.now();
  await store.ingest([trial!.name]);
  const ingestSeconds = (performance.now() - start) / 1000;
  const { rows } = await store.query("select count(*) from scalars");
  await store.close();

  row(
    "log",
    "3 × 100k scalars, logging in the trial",
    `${logSeconds.toFixed(2)} s`,
    "target ≤ 0.3 s",
  );
  row(
    "log",
    "ingest into the index",
    `${ingestSeconds.toFixed(2)} s`,
    `${rows[0]![0]} rows; target ≤ 0.5 s`,
  );
  row("log", "events.ndjson on disk", `${(bytes / 1e6).toFixed(1)} MB`, "target ≤ 15 MB");
} finally {
  await Deno.remove(dir, { recursive: true });
}
