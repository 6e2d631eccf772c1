/**
 * What `xp cancel` does: finds the run's trials still running under Slurm, scancels their jobs and
 * records them `killed` (unless the job wrote its exit record first: the next `xp run` reads it).
 *
 * @module
 */

import { join } from "node:path";
import { EXIT } from "../errors.ts";
import { scancel } from "../run/slurm_cli.ts";
import { SLURM_EXIT_FILE } from "../run/slurm_script.ts";
import { trialsOfRun } from "../run/slurm_trials.ts";
import { storeLayout, writeStatus } from "../store/mod.ts";
import type { Deps } from "./command.ts";
import type { CancelArgs } from "./cancel.ts";
import { findStoreRoot } from "./_query_store.ts";
import { chosenRunId } from "./_run_choice.ts";

/** Runs `xp cancel`; returns the exit code. */
export async function cancelRun(args: CancelArgs, deps: Deps): Promise<number> {
  const layout = storeLayout(await findStoreRoot(deps));
  const runId = await chosenRunId(layout, args.run);
  const running = (await trialsOfRun(layout, runId)).filter((t) =>
    t.status.state === "running" && t.status.slurm_job !== undefined
  );
  await scancel(running.map((t) => t.status.slurm_job!));
  let cancelled = 0;
  for (const { dir, status } of running) {
    const exited = await Deno.stat(join(dir, SLURM_EXIT_FILE)).then(() => true, () => false);
    if (exited) continue;
    const { pid: _pid, host: _host, slurm_job: job, slurm_log: _log, ...rest } = status;
    await writeStatus(dir, {
      ...rest,
      state: "killed",
      error: `Slurm job ${job} was cancelled (xp cancel)`,
      finished_at: new Date().toISOString(),
    });
    cancelled++;
  }
  if (!deps.global.quiet) {
    deps.output.err(
      `run ${runId}: cancelled ${cancelled} Slurm job${cancelled === 1 ? "" : "s"}` +
        (running.length > cancelled ? `, ${running.length - cancelled} had just ended` : ""),
    );
  }
  return EXIT.ok;
}
