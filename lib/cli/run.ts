/**
 * `xp run [FILE] [OVERRIDES…]`: plans and runs an experiment's trials.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";

/** The executors `--executor` accepts. */
export const EXECUTORS = ["local", "inline", "slurm"] as const;

/** Parsed arguments of `xp run`. */
export interface RunArgs {
  /** The arguments as given, for the run record. */
  argv: string[];
  /** The experiment file or directory; `undefined` looks in the current directory. */
  file: string | undefined;
  /** Overrides as written (`lr=0.1,0.01`, `+extra=1`, `~key`), in order. */
  overrides: string[];
  /** Parallel trials (`-j`). */
  jobs: number | undefined;
  /** Only these stages (`--stage`). */
  stages: string[];
  /** A SQL boolean expression over params (`--filter`). */
  filter: string | undefined;
  /** `--force` reruns everything; `--force=STAGE` one stage. */
  force: boolean | string;
  /** Rerun trials that failed. */
  retryFailed: boolean;
  /** Print the plan, run nothing. */
  dryRun: boolean;
  /** Print the trial graph (`--graph`, `--graph=dot`). */
  graph: false | "text" | "dot";
  /** Stop scheduling at the first failure. */
  failFast: boolean;
  /** Stream trials' output (`-s`). */
  stream: boolean;
  /** Events (or the dry-run plan) as NDJSON. */
  json: boolean;
  /** Where trials run (`undefined`: the experiment's `executor:`, else local). */
  executor: (typeof EXECUTORS)[number] | undefined;
  /** `--slurm KEY=VALUE` sbatch options, in order (`partition=gpu`, `extra=--exclusive`). */
  slurm: string[];
  /** With `--executor slurm`: Ctrl-C cancels the run's jobs instead of detaching. */
  cancelOnInterrupt: boolean;
  /** With `--executor slurm`: submit, print the run id and exit; the jobs run on. */
  detach: boolean;
  /** `--from`: a run id, `latest`, or a trial (key prefix or name) the new trials fork from. */
  from: string | undefined;
}

/** `xp run`: plans and runs an experiment's trials. */
export const runCommand: Command<RunArgs> = {
  name: "run",
  usage: "run [FILE] [OVERRIDES…]",
  description: [
    "Expands the experiment's sweep into trials, skips trials already finished (same key),",
    "and runs the rest in dependency order. FILE is an xp.yaml or xp.ts, or a directory",
    "holding one (default: the current directory). Overrides: k=v sets, k=a,b sweeps,",
    "+k=v adds a new key, ~k removes one; values are YAML scalars (1e-3, true, [1,2]).",
  ].join("\n"),
  options: [
    {
      name: "jobs",
      short: "j",
      kind: "integer",
      value: "N",
      summary: "run N trials at once (slurm: N tasks of each job array)",
    },
    {
      name: "stage",
      kind: "string",
      value: "S",
      summary: "only this stage (repeatable)",
      multiple: true,
    },
    {
      name: "filter",
      kind: "string",
      value: "EXPR",
      summary: "only trials whose params match a SQL expression",
    },
    {
      name: "force",
      kind: "optional",
      value: "STAGE",
      summary: "rerun finished trials (all, or one stage)",
    },
    { name: "retry-failed", kind: "boolean", summary: "rerun trials that failed before" },
    { name: "dry-run", kind: "boolean", summary: "print the trials, run nothing" },
    { name: "graph", kind: "optional", value: "dot", summary: "print the trial graph" },
    { name: "fail-fast", kind: "boolean", summary: "stop at the first failure" },
    { name: "stream", short: "s", kind: "boolean", summary: "stream trials' stdout and stderr" },
    { name: "json", kind: "boolean", summary: "events (or the dry-run trials) as NDJSON" },
    {
      name: "executor",
      kind: "string",
      value: "NAME",
      summary: "local (default), inline or slurm",
    },
    {
      name: "slurm",
      kind: "string",
      value: "K=V",
      summary: "an sbatch option: partition, time, cpus, mem, gres, account, qos, extra",
      multiple: true,
    },
    {
      name: "from",
      kind: "string",
      value: "RUN|TRIAL",
      summary: "fork: each trial starts from that run's matching trial (or that trial)",
    },
    {
      name: "cancel-on-interrupt",
      kind: "boolean",
      summary: "slurm: Ctrl-C cancels the jobs (default: detach, jobs keep running)",
    },
    {
      name: "detach",
      kind: "boolean",
      summary: "slurm: submit, print the run id and exit (follow with xp status / xp attach)",
    },
  ],
  examples: [
    "xp run --dry-run                      # what would run",
    "xp run lr=0.1,0.01 model.depth=8 -j 4 # sweep lr, set depth, 4 at a time",
    "xp run exp/xp.yaml +extra.seed=1      # add a key the file does not have",
    "xp run --executor slurm --slurm partition=gpu --slurm time=1:00:00",
    "xp run --executor slurm --detach -j 50  # submit job arrays (50 tasks at once) and exit",
    "xp run --from latest epochs=20          # continue the last run's trials from their checkpoints",
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp run" });
    const words = positionals.filter((w) => !/[=]|^[~+]/.test(w));
    if (words.length > 1) {
      throw new UsageError(`Unexpected argument "${words[1]}"`, {
        hint: "give one experiment file; overrides look like key=value",
      });
    }
    const jobs = options.get("jobs") as number | undefined;
    if (jobs === 0) {
      throw new UsageError('Option "-j" needs at least 1', {
        hint: "write -j 1 to run one at a time",
      });
    }
    const executor = options.get("executor") as string | undefined;
    if (executor !== undefined && !(EXECUTORS as readonly string[]).includes(executor)) {
      throw new UsageError(`Unknown executor "${executor}"`, {
        hint: `choose one of ${EXECUTORS.join(", ")}`,
      });
    }
    const graph = options.get("graph");
    if (graph !== undefined && graph !== true && graph !== "dot") {
      throw new UsageError(`Unknown graph format "${graph}"`, {
        hint: "write --graph for text or --graph=dot for Graphviz",
      });
    }
    return {
      argv: [...argv],
      file: words[0],
      overrides: positionals.filter((w) => !words.includes(w)),
      jobs,
      stages: (options.get("stage") as string[] | undefined) ?? [],
      filter: options.get("filter") as string | undefined,
      force: (options.get("force") as boolean | string | undefined) ?? false,
      retryFailed: options.has("retry-failed"),
      dryRun: options.has("dry-run"),
      graph: graph === undefined ? false : graph === "dot" ? "dot" : "text",
      failFast: options.has("fail-fast"),
      stream: options.has("stream"),
      json: options.has("json"),
      executor: executor as RunArgs["executor"],
      slurm: (options.get("slurm") as string[] | undefined) ?? [],
      cancelOnInterrupt: options.has("cancel-on-interrupt"),
      detach: options.has("detach"),
      from: options.get("from") as string | undefined,
    };
  },
  async run(args, deps) {
    const { runExperiment } = await import("./_run_action.ts");
    return await runExperiment(args, deps);
  },
};
