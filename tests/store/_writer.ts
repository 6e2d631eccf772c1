/**
 * A writer process for the store's process tests: writes `N` trials into the store at `ROOT`
 * one by one (status.json last, as `xp run` does) and ingests each through one kept DuckDB
 * instance (as `xp run`'s ingest worker does), printing its key once it is in the index.
 * `deno run -A tests/store/_writer.ts ROOT N [PREFIX]`
 *
 * @module
 */

import { openStore } from "../../lib/store/duckdb_store.ts";
import { writeTrial } from "../contract/_trials.ts";

const [root, count, prefix = "w"] = Deno.args;
const store = await openStore(root!, { keepInstance: true });
const encoder = new TextEncoder();
for (let i = 0; i < Number(count); i++) {
  const key = `${prefix}${String(i).padStart(6, "0")}`.padEnd(64, "0");
  const events = Array.from({ length: 200 }, (_, step) => ({
    t: "scalar",
    name: "loss",
    value: 1 / (step + 1),
    step,
    time: step,
  }));
  await writeTrial(root!, {
    key,
    config: { i },
    events: [...events, { t: "result", value: { i } }],
  });
  await store.ingest([key]);
  Deno.stdout.writeSync(encoder.encode(`${key}\n`));
}
