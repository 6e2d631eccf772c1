/**
 * `xp run [FILE] [OVERRIDES…]`: plans and runs an experiment's trials.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command, Deps } from "./command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { paint } from "./output.ts";

/** The executors `--executor` accepts. */
export const EXECUTORS = ["local", "inline", "slurm"] as const;

/** Parsed arguments of `xp run`. */
export interface RunArgs {
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
  /** Where trials run. */
  executor: (typeof EXECUTORS)[number];
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
    { name: "jobs", short: "j", kind: "integer", value: "N", summary: "run N trials at once" },
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
  ],
  examples: [
    "xp run --dry-run                      # what would run",
    "xp run lr=0.1,0.01 model.depth=8 -j 4 # sweep lr, set depth, 4 at a time",
    "xp run exp/xp.yaml +extra.seed=1      # add a key the file does not have",
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
    const executor = (options.get("executor") ?? "local") as string;
    if (!(EXECUTORS as readonly string[]).includes(executor)) {
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
    };
  },
  async run(args, deps) {
    if (!args.dryRun) {
      throw new UsageError(
        "Running trials is not built yet in this version; only --dry-run works",
        {
          hint: "add --dry-run to see the trials this command would run",
        },
      );
    }
    return await dryRun(args, deps);
  },
};

async function dryRun(args: RunArgs, deps: Deps): Promise<number> {
  const config = await import("../config/mod.ts");
  const { denoExecutable } = await import("../deno_path.ts");
  const { renderTable } = await import("../query/format.ts");
  if (args.filter !== undefined) {
    throw new UsageError("--filter is not built yet in this version", {
      hint: "use overrides (k=v) to narrow the sweep for now",
    });
  }
  const overrides = args.overrides.map(config.parseOverride);
  const loaded = await config.loadExperiment(args.file, {
    cwd: deps.cwd,
    deno: denoExecutable(deps.env),
  });
  const experiment = config.applyOverrides(loaded, overrides);
  const unknown = args.stages.find((s) => !experiment.stages.some((t) => t.name === s));
  if (unknown !== undefined) {
    throw new UsageError(`Unknown stage "${unknown}"`, {
      hint: `stages are: ${experiment.stages.map((s) => s.name).join(", ")}`,
    });
  }
  const stages = config.expandTrials(experiment)
    .filter((s) => args.stages.length === 0 || args.stages.includes(s.stage.name));
  const trials = stages.flatMap((s) => s.trials);
  const { output } = deps;
  if (args.json) {
    for (const t of trials) {
      output.out(JSON.stringify({
        stage: t.stage,
        name: t.name,
        params: JSON.parse(t.canonical),
        swept: Object.fromEntries(t.swept),
      }));
    }
  } else {
    const rows = trials.map((t) => [t.stage, t.name, flatten(t.params)]);
    output.out(renderTable(["stage", "name", "params"], rows, {
      maxWidth: output.columns,
      header: (h) => paint(output, "bold", h),
    }));
  }
  if (!deps.global.quiet) {
    const counts = stages.map((s) => `${s.stage.name} ${s.trials.length}`).join(", ");
    output.err(
      `dry run: ${trials.length} trial${trials.length === 1 ? "" : "s"} of ${experiment.name}` +
        ` (${counts}); nothing ran`,
    );
  }
  return EXIT.ok;
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
