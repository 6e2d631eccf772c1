/**
 * What `xp status` does: counts a run's trials by the state in their status files, and for those
 * running under Slurm, whether the job has written its exit record (ended, not yet recorded) or
 * else its Slurm state from squeue (once, for all of them).
 *
 * @module
 */

import { join } from "node:path";
import { EXIT } from "../errors.ts";
import { squeue } from "../run/slurm_cli.ts";
import { SLURM_EXIT_FILE } from "../run/slurm_script.ts";
import { NEVER_SATISFIED } from "../run/slurm_state.ts";
import { trialsOfRun } from "../run/slurm_trials.ts";
import { storeLayout } from "../store/mod.ts";
import type { Deps } from "./command.ts";
import type { StatusArgs } from "./status.ts";
import { findStoreRoot } from "./_query_store.ts";
import { chosenRunId, readRunRecord } from "./_run_choice.ts";

/** A job whose exit record is there: it ended, and the next `xp attach` records how. */
const EXITED = "exited";
/** How a job waiting on a failed dependency is counted. */
const STUCK = `PENDING (${NEVER_SATISFIED})`;

/** Runs `xp status`; returns the exit code. */
export async function showStatus(args: StatusArgs, deps: Deps): Promise<number> {
  const layout = storeLayout(await findStoreRoot(deps));
  const runId = await chosenRunId(layout, args.run);
  const record = await readRunRecord(layout, runId);
  const trials = await trialsOfRun(layout, runId);
  const states: Record<string, number> = {};
  for (const { status } of trials) states[status.state] = (states[status.state] ?? 0) + 1;
  // A detached run's trials that wait for inputs still running have no status of this run yet.
  const found = new Set(trials.map((t) => t.key));
  const waiting = Object.entries(record.trials)
    .filter(([key, t]) => t.outcome === "queued" && !found.has(key)).length;
  const running = trials.filter((t) => t.status.state === "running" && t.status.slurm_job);
  const slurm: Record<string, number> = {};
  const count = (state: string) => slurm[state] = (slurm[state] ?? 0) + 1;
  const asked: string[] = [];
  for (const { dir, status } of running) {
    const exited = await Deno.stat(join(dir, SLURM_EXIT_FILE)).then(() => true, () => false);
    if (exited) count(EXITED);
    else asked.push(status.slurm_job!);
  }
  if (asked.length > 0) {
    const known = await squeue(asked).catch(() => undefined);
    for (const job of asked) {
      const state = known?.get(job);
      if (known === undefined) count("unknown");
      else if (state === undefined) count("gone");
      else count(state.reason === NEVER_SATISFIED ? STUCK : state.state);
    }
  }
  if (args.json) {
    deps.output.out(JSON.stringify({
      run_id: runId,
      experiment: record.experiment,
      status: record.status,
      detached: record.detached ?? false,
      started_at: record.started_at,
      finished_at: record.finished_at,
      trials: states,
      waiting,
      slurm,
    }));
    return EXIT.ok;
  }
  const list = (counts: Record<string, number>) =>
    Object.entries(counts).map(([state, n]) => `${n} ${state}`).join(", ") || "none";
  const { output } = deps;
  output.out(
    `run ${runId}: ${record.experiment}, ${record.status}${record.detached ? " (detached)" : ""}`,
  );
  output.out(
    `  trials: ${list(states)}${waiting ? `; ${waiting} waiting for inputs to be submitted` : ""}`,
  );
  if (running.length > 0) output.out(`  slurm jobs: ${list(slurm)}`);
  if (slurm[STUCK]) {
    output.out(
      `  ${slurm[STUCK]} wait on a dependency that failed: following the run marks them skipped` +
        " and cancels their jobs",
    );
  }
  if (running.length > 0 || waiting > 0) {
    output.out(
      `  follow it with \`xp attach ${runId}\` (or the same \`xp run\` again);` +
        ` cancel its jobs with \`xp cancel ${runId}\``,
    );
  }
  return EXIT.ok;
}
