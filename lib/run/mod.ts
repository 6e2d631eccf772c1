/**
 * Running trials: the scheduler, the executors, the sandbox, reporters and provenance.
 *
 * @module
 */

export type { Counts, PlanState, Reporter, RunEvent } from "./events.ts";
export type {
  AttachedTrial,
  Executor,
  ExecutorRunOptions,
  TrialLaunch,
  TrialOutcome,
} from "./executor.ts";
export { localExecutor, type LocalExecutorOptions } from "./local_executor.ts";
export { inlineExecutor } from "./inline_executor.ts";
export { runPlan, type RunPlanOptions, type RunResult } from "./scheduler.ts";
export { ndjsonReporter, plainReporter, ttyReporter } from "./reporters.ts";
export { gitState, type RunProvenance, runProvenance, versions } from "./provenance.ts";
export { preflightCommands } from "./preflight.ts";
export { shellQuote, substituteCommand } from "./command.ts";
export type { ReportSink } from "./sink.ts";
export { type IngestBatcher, ingestBatcher, type IngestBatcherOptions } from "./ingest_batcher.ts";
export { type IndexWriter, openIndexWriter } from "./worker_store.ts";
export { slurmExecutor, type SlurmExecutorOptions } from "./slurm_executor.ts";
export { probeSlurm, scancel } from "./slurm_cli.ts";
export { type ArraySubmitter, arraySubmitter } from "./slurm_array.ts";
export { settleUnfollowed, type SubmittedWaves, submitWaves } from "./slurm_submit.ts";
export { checkSlurmOutputDir, type SlurmOptions } from "./slurm_script.ts";
export { parseSlurmOptions } from "./slurm_options.ts";
