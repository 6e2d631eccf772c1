/**
 * What `xp status` does: counts a run's trials by the state in their status files, and asks
 * squeue (once, for all of them) about the ones running under Slurm.
 *
 * @module
 */

import { EXIT } from "../errors.ts";
import { squeue } from "../run/slurm_cli.ts";
import { trialsOfRun } from "../run/slurm_trials.ts";
import { storeLayout } from "../store/mod.ts";
import type { Deps } from "./command.ts";
import type { StatusArgs } from "./status.ts";
import { findStoreRoot } from "./_query_store.ts";
import { chosenRunId, readRunRecord } from "./_run_choice.ts";

/** Runs `xp status`; returns the exit code. */
export async function showStatus(args: StatusArgs, deps: Deps): Promise<number> {
  const layout = storeLayout(await findStoreRoot(deps));
  const runId = await chosenRunId(layout, args.run);
  const record = await readRunRecord(layout, runId);
  const trials = await trialsOfRun(layout, runId);
  const states: Record<string, number> = {};
  for (const { status } of trials) states[status.state] = (states[status.state] ?? 0) + 1;
  const jobs = trials.flatMap((t) =>
    t.status.state === "running" && t.status.slurm_job ? [t.status.slurm_job] : []
  );
  const slurm: Record<string, number> = {};
  if (jobs.length > 0) {
    const known = await squeue(jobs).catch(() => undefined);
    for (const job of jobs) {
      const state = known === undefined ? "unknown" : known.get(job)?.state ?? "gone";
      slurm[state] = (slurm[state] ?? 0) + 1;
    }
  }
  if (args.json) {
    deps.output.out(JSON.stringify({
      run_id: runId,
      experiment: record.experiment,
      status: record.status,
      started_at: record.started_at,
      finished_at: record.finished_at,
      trials: states,
      slurm,
    }));
    return EXIT.ok;
  }
  const list = (counts: Record<string, number>) =>
    Object.entries(counts).map(([state, n]) => `${n} ${state}`).join(", ") || "none";
  deps.output.out(`run ${runId}: ${record.experiment}, ${record.status}`);
  deps.output.out(`  trials: ${list(states)}`);
  if (jobs.length > 0) {
    deps.output.out(`  slurm jobs: ${list(slurm)}`);
    deps.output.out("  follow them with the same `xp run` again; cancel them with `xp cancel`");
  }
  return EXIT.ok;
}
