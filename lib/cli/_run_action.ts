/**
 * What `xp run` does once its arguments are parsed: load, plan, select, then print the plan
 * (`--dry-run`, `--graph`) or run it and record the run.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { applyOverrides, loadExperiment, parseOverride } from "../config/mod.ts";
import { denoExecutable } from "../deno_path.ts";
import { EXIT, UsageError } from "../errors.ts";
import {
  type ForkSource,
  type KnownTrial,
  noParentReason,
  type Plan,
  planExperiment,
  renderGraph,
  type Selection,
  selectTrials,
} from "../plan/mod.ts";
import { renderTable } from "../query/format.ts";
import { filterPlanned } from "../query/planned.ts";
import {
  memoryStore,
  newRunId,
  openStore,
  openStoreDir,
  readStatus,
  runDir,
  type RunRecord,
  storeLayout,
  trialDir,
  type TrialMeta,
  writeRunRecord,
} from "../store/mod.ts";
import {
  arraySubmitter,
  checkSlurmOutputDir,
  gitState,
  ingestBatcher,
  inlineExecutor,
  localExecutor,
  ndjsonReporter,
  openIndexWriter,
  parseSlurmOptions,
  plainReporter,
  preflightCommands,
  probeSlurm,
  type Reporter,
  runPlan,
  runProvenance,
  settleUnfollowed,
  slurmExecutor,
  submitWaves,
  ttyReporter,
} from "../run/mod.ts";
import type { Deps } from "./command.ts";
import { paint } from "./output.ts";
import type { RunArgs } from "./run.ts";
import { runOutcome } from "./_run_outcome.ts";
import { resolveForkSource } from "./_fork_source.ts";

/**
 * How long Slurm may not answer (its controller restarting) before xp stops waiting: sbatch is
 * tried again, squeue failures are sat out, and then xp detaches, losing nothing.
 */
const LOST_CONTACT_MS = 120_000;

/** Runs `xp run` with parsed arguments; returns the exit code. */
export async function runExperiment(args: RunArgs, deps: Deps): Promise<number> {
  const deno = denoExecutable(deps.env);
  const overrides = args.overrides.map(parseOverride);
  const loaded = await loadExperiment(args.file, { cwd: deps.cwd, deno });
  const experiment = applyOverrides(loaded, overrides);
  // Subprocesses that take a while, started now to run beside planning (`deno info`); a plan
  // that is only printed needs neither.
  const probes = args.dryRun || args.graph ? undefined : startProbes(experiment.dir);
  const storeRoot = deps.global.store === undefined
    ? join(experiment.dir, ".xp")
    : resolve(deps.cwd, deps.global.store);
  const fork = args.from === undefined ? undefined : await resolveForkSource(storeRoot, args.from);
  const plan = await planExperiment(experiment, { deno, fork });
  const executorName = args.executor ?? experiment.executor ?? "local";
  if (executorName !== "slurm" && args.detach) {
    throw new UsageError(`--detach needs --executor slurm, not ${executorName}`, {
      hint: "add --executor slurm (or executor: slurm in the experiment file): " +
        "local trials are xp's own processes and end with it",
    });
  }
  if (executorName !== "slurm" && (args.slurm.length > 0 || args.cancelOnInterrupt)) {
    throw new UsageError("--slurm and --cancel-on-interrupt apply to --executor slurm only", {
      hint: "add --executor slurm (or executor: slurm in the experiment file)",
    });
  }
  const slurmOptions = parseSlurmOptions([...(experiment.slurm ?? []), ...args.slurm]);
  const plannedAt = new Date();
  const known = await knownTrials(plan, storeRoot);
  const selection = selectTrials(plan, known, {
    stages: args.stages,
    force: args.force,
    retryFailed: args.retryFailed,
    filter: args.filter === undefined ? undefined : await filterKeys(plan, args.filter, storeRoot),
  });
  if (args.graph) {
    deps.output.out(renderGraph(plan, selection.states, args.graph));
    return EXIT.ok;
  }
  if (args.dryRun) return printPlan(plan, selection, args, deps, fork);
  if (fork !== undefined && !deps.global.quiet && !args.json) {
    for (const line of orphanNotes(plan, selection, fork)) deps.output.err(`note: ${line}`);
  }
  preflightCommands(plan, selection.states);
  const submits = executorName === "slurm" && [...selection.states.values()].includes("todo");
  if (submits) checkSlurmOutputDir(storeRoot);
  const layout = await openStoreDir(storeRoot);
  // Before anything is recorded: Slurm answers, and its nodes see the store.
  if (submits) await probeSlurm(storeRoot, slurmOptions);
  const runId = newRunId(new Date());
  const reporter = reporterFor(args, deps);
  // Detached, trials are submitted and looked at once: "start" for each would only be noise.
  const shown: Reporter = args.detach
    ? { report: (event) => event.type !== "trial_started" && reporter.report(event) }
    : reporter;
  const counts = countStates(selection);
  // Under Slurm, -j throttles each job array (`%N`); xp follows every submitted trial at once.
  const slots = executorName === "slurm"
    ? Math.max(1, counts.todo)
    : args.jobs ?? navigator.hardwareConcurrency;
  const jobs = args.jobs ?? slots;
  const record: RunRecord = {
    run_id: runId,
    argv: ["run", ...args.argv],
    cwd: deps.cwd,
    experiment_file: experiment.file,
    experiment: experiment.name,
    host: Deno.hostname(),
    started_at: new Date().toISOString(),
    finished_at: null,
    status: "running",
    plan: { trials: plan.trials.length, ...counts, excluded: selection.excluded.length },
    ...(fork === undefined ? {} : { from: forkName(fork) }),
    counts: {},
    trials: {},
  };
  await writeRunRecord(layout, record);
  // A new store has no index yet: creating it is no news.
  const hadIndex = await Deno.stat(layout.index).then(() => true, () => false);
  const indexer = ingestBatcher(async () => {
    // Opening the index also catches up trials (and runs) an earlier, killed run left unindexed.
    const store = await openIndexWriter(storeRoot, runId);
    if (hadIndex) { for (const notice of store.notices) deps.output.err(`note: ${notice}`); }
    return store;
  }, { onWarning: (message) => deps.output.err(`warning: ${message}`) });
  reporter.report({
    type: "run_started",
    run_id: runId,
    experiment: experiment.name,
    store: storeRoot,
    jobs,
    plan: { trials: plan.trials.length - selection.excluded.length, ...counts },
  });
  const { git, setsid } = await (probes ?? startProbes(experiment.dir));
  const local = localExecutor({ deno, setsid });
  const submitter = arraySubmitter({
    runDir: runDir(layout, runId),
    experiment: experiment.name,
    experimentDir: experiment.dir,
    slurm: slurmOptions,
    ...(args.jobs === undefined ? {} : { throttle: args.jobs }),
    retryMs: LOST_CONTACT_MS,
  });
  // Also the follower of trials an earlier run left under Slurm, whatever executor runs this one.
  const slurm = slurmExecutor({
    deno,
    slurm: slurmOptions,
    submitter,
    cancelOnInterrupt: args.cancelOnInterrupt,
    detach: args.detach,
    lostContactMs: LOST_CONTACT_MS,
  });
  const executor = executorName === "inline"
    ? inlineExecutor(local)
    : executorName === "slurm"
    ? slurm
    : local;
  const context = {
    pid: Deno.pid,
    host: record.host,
    env: deps.env,
    ...(await runProvenance(experiment.dir, git, layout, deps.env)),
  };
  const began = performance.now();
  // Whole waves go out first, later stages waiting on them inside Slurm where they can.
  const waves = executorName === "slurm" && counts.todo > 0
    ? await submitWaves({
      plan,
      selection: selection.states,
      layout,
      runId,
      context,
      submitter,
      deno,
      slurm: slurmOptions,
      signal: deps.signal,
    })
    : undefined;
  if (waves?.error) deps.output.err(`warning: ${waves.error} (xp tries again per trial)`);
  const result = await runPlan({
    plan,
    selection: selection.states,
    layout,
    executor,
    follower: slurm,
    reporter: shown,
    jobs: slots,
    failFast: args.failFast,
    stream: args.stream,
    signal: deps.signal,
    kill: deps.kill,
    runId,
    plannedAt,
    onTrialDone: (key) => indexer.add(key),
    context,
  });
  // Submitted trials the scheduler never followed (Ctrl-C came first, or --fail-fast closed).
  if (waves) {
    const cancel = args.cancelOnInterrupt && deps.signal.aborted;
    await settleUnfollowed(waves, layout, result.outcomes, cancel);
  }
  const duration = (performance.now() - began) / 1000;
  const outcome = runOutcome(plan, selection, result, args.detach);
  await writeRunRecord(layout, {
    ...record,
    trials: outcome.trials,
    finished_at: outcome.runsOn ? null : new Date().toISOString(),
    status: outcome.status === "detached" || outcome.runsOn ? "running" : outcome.status,
    counts: outcome.counts,
    ...(args.detach ? { detached: true } : {}),
  });
  await indexer.close([runId]);
  reporter.report({
    type: "run_finished",
    run_id: runId,
    status: outcome.status,
    counts: outcome.counts,
    duration_s: duration,
  });
  if (args.detach) {
    if (!args.json) deps.output.out(runId);
    if (!deps.global.quiet) {
      deps.output.err(
        `follow it with \`xp status ${runId}\` or \`xp attach ${runId}\`` +
          ` (or this xp run again); \`xp cancel ${runId}\` cancels its jobs`,
      );
    }
    return outcome.status === "failed" ? EXIT.trialFailed : EXIT.ok;
  }
  const detached = [...result.outcomes.values()].filter((s) => s === "running").length;
  if (detached > 0) {
    deps.output.err(
      `detached: ${detached} trial${detached === 1 ? "" : "s"} still running under Slurm;` +
        " `xp attach` (or the same `xp run` again) follows them without submitting them again," +
        " `xp cancel` cancels them",
    );
  }
  return result.status === "ok"
    ? EXIT.ok
    : result.status === "interrupted"
    ? EXIT.interrupted
    : EXIT.trialFailed;
}

/** The keys of the planned trials whose params match `--filter` (the same SQL as `xp ls --filter`). */
async function filterKeys(plan: Plan, expr: string, root: string): Promise<Set<string>> {
  const exists = await Deno.stat(root).then(() => true, () => false);
  // Any store evaluates the filter; an empty in-memory one avoids creating .xp/ for a dry run.
  const store = exists ? await openStore(root, { catchUp: false }) : await memoryStore(root);
  try {
    const matches = await filterPlanned(
      store,
      expr,
      plan.trials.map((t) => ({
        key: t.key,
        stage: t.stage,
        name: t.name,
        experiment: t.experiment,
        params: t.effective,
      })),
    );
    return new Set(plan.trials.filter((_, i) => matches[i]).map((t) => t.key));
  } finally {
    await store.close();
  }
}

/** The last state of each planned trial in the store (none when there is no store yet). */
async function knownTrials(plan: Plan, root: string): Promise<Map<string, KnownTrial>> {
  const layout = storeLayout(root);
  const known = new Map<string, KnownTrial>();
  // Only trials with a directory have a state: one listing spares a failed read per new trial.
  const present = new Set<string>();
  try {
    for await (const entry of Deno.readDir(layout.trials)) present.add(entry.name);
  } catch {
    return known;
  }
  const trials = plan.trials.filter((t) => present.has(t.key));
  // Reading 10,000 small files one at a time is slow; a bounded batch keeps file handles in check.
  const batch = 256;
  for (let i = 0; i < trials.length; i += batch) {
    const slice = trials.slice(i, i + batch);
    const statuses = await Promise.all(slice.map((t) => readStatus(trialDir(layout, t.key))));
    slice.forEach((trial, j) => {
      const status = statuses[j];
      if (status) known.set(trial.key, { state: status.state, attempt: status.attempt });
    });
  }
  return known;
}

function countStates(selection: Selection) {
  const counts = { cached: 0, todo: 0, blocked: 0 };
  for (const state of selection.states.values()) counts[state]++;
  return counts;
}

function reporterFor(args: RunArgs, deps: Deps): Reporter {
  if (args.json) return ndjsonReporter(deps.output);
  const options = { quiet: deps.global.quiet };
  return deps.output.interactive ? ttyReporter(deps.output) : plainReporter(deps.output, options);
}

function printPlan(
  plan: Plan,
  selection: Selection,
  args: RunArgs,
  deps: Deps,
  fork: ForkSource | undefined,
): number {
  const { output } = deps;
  const rows = plan.trials
    .filter((t) => selection.states.has(t.key))
    .map((t) => ({ trial: t, state: selection.states.get(t.key)! }));
  if (args.json) {
    for (const { trial, state } of rows) {
      output.out(JSON.stringify({
        stage: trial.stage,
        name: trial.name,
        key: trial.key,
        state,
        params: trial.config,
        swept: trial.swept,
        deps: trial.deps,
        ...(fork === undefined ? {} : { parent: trial.parent ?? null }),
      }));
    }
  } else {
    const names = new Map(forkCandidates(fork).map((t) => [t.key, t.name]));
    const parent = (key: string | undefined) =>
      key === undefined ? "-" : `${names.get(key) ?? "?"} (${key.slice(0, 8)})`;
    output.out(renderTable(
      ["state", "stage", "name", "key", ...(fork ? ["parent"] : []), "params"],
      rows.map(({ trial, state }) => [
        state,
        trial.stage,
        trial.name,
        trial.key.slice(0, 8),
        ...(fork ? [parent(trial.parent)] : []),
        flatten(trial.config),
      ]),
      { maxWidth: output.columns, header: (h) => paint(output, "bold", h) },
    ));
  }
  if (fork !== undefined && !deps.global.quiet) {
    for (const line of orphanNotes(plan, selection, fork)) output.err(`note: ${line}`);
  }
  if (!deps.global.quiet) {
    const counts = countStates(selection);
    const stages = plan.stages
      .map((s) => `${s.stage.name} ${s.trials.filter((t) => selection.states.has(t.key)).length}`)
      .join(", ");
    output.err(
      `dry run: ${rows.length} trial${rows.length === 1 ? "" : "s"} of ${plan.experiment.name}` +
        ` (${stages}): ${counts.todo} to run, ${counts.cached} cached` +
        (counts.blocked ? `, ${counts.blocked} blocked` : "") + "; nothing ran",
    );
  }
  return EXIT.ok;
}

/** What `--from` resolved to, for the run record. */
function forkName(fork: ForkSource): string {
  return fork.kind === "run" ? fork.runId : fork.trial.key;
}

function forkCandidates(fork: ForkSource | undefined) {
  return fork === undefined ? [] : fork.kind === "run" ? fork.trials : [fork.trial];
}

/** One line per stage whose selected trials fork from nothing, saying why. */
function orphanNotes(plan: Plan, selection: Selection, fork: ForkSource): string[] {
  const orphans = new Map<string, number>();
  for (const t of plan.trials) {
    if (t.parent === undefined && selection.states.has(t.key)) {
      orphans.set(t.stage, (orphans.get(t.stage) ?? 0) + 1);
    }
  }
  return [...orphans].map(([stage, n]) =>
    `${n} trial${n === 1 ? "" : "s"} of stage "${stage}" fork from nothing: ${
      noParentReason(fork, stage)
    }`
  );
}

/** `lr=0.1 model.depth=2`: every leaf of a config on one line. */
function flatten(value: unknown, prefix = ""): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `${prefix}=${JSON.stringify(value)}`;
  }
  const entries = Object.entries(value).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  if (entries.length === 0) return prefix ? `${prefix}={}` : "";
  return entries.map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)).join(" ");
}

/** The git state of `dir` and whether `setsid` works, asked of subprocesses at once. */
async function startProbes(dir: string): Promise<{ git: TrialMeta["git"]; setsid: boolean }> {
  const [git, setsid] = await Promise.all([gitState(dir), hasSetsid()]);
  return { git, setsid };
}

async function hasSetsid(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("setsid", {
      args: ["true"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}
