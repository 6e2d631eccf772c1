/**
 * `xp ls`: trials (or runs) as a table.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command } from "./command.ts";
import { UsageError } from "../errors.ts";
import { suggest } from "../suggest.ts";
import type { Format } from "../query/format.ts";
import { TRIAL_STATES } from "../store/trial_files.ts";
import { formatOption } from "./_output_format.ts";

/** Parsed arguments of `xp ls`. */
export interface LsArgs {
  /** List runs instead of trials. */
  runs: boolean;
  /** Only these states (`--status failed,timeout`). */
  status: string[];
  /** A SQL boolean expression over params, metrics and trial columns. */
  filter: string | undefined;
  /** `[-]NAME`. */
  sort: string | undefined;
  /** At most this many rows. */
  limit: number | undefined;
  /** How rows are printed. */
  format: Format;
}

/** The states a run ends in (`run.json`). */
const RUN_STATES = ["running", "ok", "failed", "interrupted"];

/** `xp ls`: lists trials (or runs with --runs) as a table, newest first. */
export const lsCommand: Command<LsArgs> = {
  name: "ls",
  usage: "ls [options]",
  description: [
    "Lists trials (or runs with --runs) as a table, newest first: key prefix, stage, name,",
    "status, duration and a few metrics. --filter is a SQL boolean expression whose bare",
    "names are params, then metrics, then trial columns (write params.x or metrics.x for",
    "a shadowed one). --sort puts NaN and NULL last in either direction. Running and",
    "queued trials (indexed once they finish) are read from their files and listed first",
    "unless --filter or --sort is given. --json prints NDJSON, one object per trial with",
    "its params and metrics; --csv the table's columns with full keys and raw values.",
  ].join("\n"),
  options: [
    { name: "runs", kind: "boolean", summary: "list runs instead of trials" },
    {
      name: "status",
      kind: "string",
      value: "STATE",
      summary: "only trials in this state (ok, failed, running, ...)",
    },
    {
      name: "filter",
      kind: "string",
      value: "EXPR",
      summary: "a SQL boolean expression; bare names are params, then metrics",
    },
    {
      name: "sort",
      kind: "string",
      value: "[-]NAME",
      summary: "sort by a column, param or metric; a leading - sorts descending",
    },
    { name: "limit", kind: "integer", value: "N", summary: "at most N rows" },
    { name: "json", kind: "boolean", summary: "NDJSON, one object per row" },
    { name: "csv", kind: "boolean", summary: "CSV with a header row" },
  ],
  examples: [
    "xp ls --status failed                 # what failed",
    'xp ls --filter "lr < 0.05" --sort -accuracy --limit 5',
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(attachSortValue(argv), this.options, {
      command: "xp ls",
    });
    if (positionals.length > 0) {
      throw new UsageError(`Unexpected argument "${positionals[0]}"`, {
        hint: 'narrow the list with --filter "EXPR" or --status STATE',
      });
    }
    const runs = options.has("runs");
    const status = String(options.get("status") ?? "").split(",").map((s) => s.trim())
      .filter((s) => s !== "");
    const states: readonly string[] = runs ? RUN_STATES : TRIAL_STATES;
    for (const state of status) {
      if (!states.includes(state)) {
        throw new UsageError(`Unknown ${runs ? "run" : "trial"} state "${state}"`, {
          hint: suggest(state, states) ?? `the states are ${states.join(", ")}`,
        });
      }
    }
    const filter = options.get("filter") as string | undefined;
    const sort = options.get("sort") as string | undefined;
    if (runs && (filter !== undefined || sort !== undefined)) {
      throw new UsageError(
        `--${filter !== undefined ? "filter" : "sort"} applies to trials, not runs`,
        {
          hint: 'use xp sql "select * from runs where …" for runs',
        },
      );
    }
    return {
      runs,
      status,
      filter,
      sort,
      limit: options.get("limit") as number | undefined,
      format: formatOption(options, ["json", "csv"]),
    };
  },
  async run(args, deps) {
    const { listTrialsOrRuns } = await import("./_ls_action.ts");
    return await listTrialsOrRuns(args, deps);
  },
};

/** `--sort -accuracy` as `--sort=-accuracy`: the leading `-` of a descending sort is no option. */
function attachSortValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (argv[i] === "--sort" && next !== undefined && /^-[^-]/.test(next)) {
      out.push(`--sort=${next}`);
      i++;
    } else {
      out.push(argv[i]!);
    }
  }
  return out;
}
