/**
 * Run at the start of a Slurm job that was submitted before its dependencies ended
 * (`--dependency=afterok`/`aftercorr`): fills in each dependency's result in the trial's
 * `deps.json`, which xp wrote with `null` results at submission. Slurm starts the job only once
 * those dependencies' jobs succeeded, so their results are in their `events.ndjson` by now.
 *
 * `deno run --allow-read=TRIALS --allow-write=TRIAL_DIR slurm_deps_main.ts TRIAL_DIR`
 *
 * @module
 */

import { dirname, join } from "node:path";
import { writeJsonAtomic } from "../store/atomic.ts";
import { readResult } from "../store/trial_files.ts";

const dir = Deno.args[0];
if (dir === undefined) {
  // For a human who runs it by hand; a job always passes the directory.
  await Deno.stderr.write(new TextEncoder().encode("usage: slurm_deps_main.ts TRIAL_DIR\n"));
  Deno.exit(2);
}
const path = join(dir, "deps.json");
const deps: { out: string; result: unknown }[] = JSON.parse(await Deno.readTextFile(path));
for (const dep of deps) dep.result = (await readResult(dirname(dep.out))) ?? null;
await writeJsonAtomic(path, deps);
