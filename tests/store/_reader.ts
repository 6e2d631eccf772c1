/**
 * A reader process for the store's process tests: queries the store at `ROOT` in a loop until
 * the file `STOP` exists, then prints how many queries it answered. Any error ends it with
 * exit code 1. `deno run -A tests/store/_reader.ts ROOT STOP`
 *
 * @module
 */

import { openStore } from "../../lib/store/duckdb_store.ts";

const [root, stop] = Deno.args;
const store = await openStore(root!);
let queries = 0;
for (;;) {
  await store.query("select count(*), max(metrics.i) from trials");
  await store.query("select key, max(value) from scalars where name = 'loss' group by key");
  queries += 2;
  try {
    await Deno.stat(stop!);
    break;
  } catch {
    // Not told to stop yet.
  }
}
Deno.stdout.writeSync(new TextEncoder().encode(`${queries}\n`));
