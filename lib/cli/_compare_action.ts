/**
 * What `xp compare` does: resolve the trials, line up their params and metrics, and print the
 * table or write the HTML report with their shared scalar series.
 *
 * @module
 */

import { resolve } from "node:path";
import { EXIT, UsageError } from "../errors.ts";
import {
  compareCell,
  type ComparedTrial,
  type CompareRow,
  compareTrials,
  trialLabel,
} from "../query/compare.ts";
import { type ComparedSeries, renderCompareHtml } from "../query/compare_html.ts";
import { loadTrialDetails } from "../query/details.ts";
import { renderTable } from "../query/format.ts";
import { readLiveEvents, seriesName } from "../query/live.ts";
import { resolveTrial } from "../query/resolve.ts";
import type { Store } from "../store/store.ts";
import type { CompareArgs } from "./compare.ts";
import type { Deps } from "./command.ts";
import { paint } from "./output.ts";
import { withQueryStore } from "./_query_store.ts";

/** Points per line in the report; longer series are thinned evenly (the last point is kept). */
const MAX_POINTS = 1000;

/** Runs `xp compare`; returns the exit code. */
export function compareCommandAction(args: CompareArgs, deps: Deps): Promise<number> {
  return withQueryStore(deps, async (store) => {
    const keys: string[] = [];
    for (const ref of args.trials) {
      const found = await resolveTrial(store, ref, "xp compare");
      if (keys.includes(found.key)) {
        throw new UsageError(`"${ref}" is a trial already given`, {
          hint: "give each trial once",
        });
      }
      keys.push(found.key);
    }
    const details = await Promise.all(keys.map((k) => loadTrialDetails(store, k)));
    const trials: ComparedTrial[] = details.map((d) => ({
      key: d.key,
      stage: d.stage,
      name: d.name,
      status: String(d.status.state ?? "?"),
      durationS: d.durationS,
      params: d.config,
      metrics: d.metrics,
    }));
    const comparison = compareTrials(trials);
    if (args.html === undefined) {
      printComparison(deps, comparison.trials, [
        ["trial", comparison.summary],
        ["params", comparison.params],
        ["metrics", comparison.metrics],
      ]);
      return EXIT.ok;
    }
    const series = await sharedSeries(
      store,
      details.map((d) => ({ key: d.key, dir: d.dir, indexed: d.indexed })),
    );
    const html = renderCompareHtml(comparison, series, {
      title: `xp compare: ${trials.map((t) => t.name).join(" vs ")}`,
      generatedAt: new Date().toISOString(),
    });
    const path = resolve(deps.cwd, args.html);
    await Deno.writeTextFile(path, html);
    if (!deps.global.quiet) {
      deps.output.err(
        `wrote ${args.html}: ${trials.length} trials, ${series.length} chart${
          series.length === 1 ? "" : "s"
        }`,
      );
    }
    return EXIT.ok;
  });
}

function printComparison(
  deps: Deps,
  trials: readonly ComparedTrial[],
  sections: [string, CompareRow[]][],
): void {
  const { output } = deps;
  const rows: string[][] = [];
  const kinds: ("title" | "differs" | "same")[] = [];
  for (const [title, section] of sections) {
    if (section.length === 0) continue;
    rows.push([title, "", ...trials.map(() => "")]);
    kinds.push("title");
    for (const row of section) {
      rows.push([row.differs ? "*" : "", row.name, ...row.values.map(compareCell)]);
      kinds.push(row.differs ? "differs" : "same");
    }
  }
  // The section title spills over the marker column; the marker column is one wide.
  const text = renderTable(
    ["", "", ...trials.map(trialLabel)],
    rows.map((r, i) => kinds[i] === "title" ? ["", r[0]!, ...r.slice(2)] : r),
    {
      maxWidth: output.columns,
      header: (h) => paint(output, "bold", h),
    },
  );
  const lines = text.split("\n");
  output.out(lines[0]!);
  lines.slice(1).forEach((line, i) => {
    const kind = kinds[i];
    output.out(
      kind === "title"
        ? paint(output, "bold", line.trimStart())
        : kind === "differs"
        ? paint(output, "yellow", line)
        : line,
    );
  });
  if (!deps.global.quiet) output.err("* the values differ");
}

/**
 * Every scalar series (by name and context) that more than one trial logged (all of them
 * when one trial is compared), per trial; from the index, or the events of a trial not in it.
 */
async function sharedSeries(
  store: Store,
  trials: readonly { key: string; dir: string; indexed: boolean }[],
): Promise<ComparedSeries[]> {
  const byTrial = new Map<string, Map<string, [number, number][]>>();
  const indexed = trials.filter((t) => t.indexed).map((t) => t.key);
  if (indexed.length > 0) {
    const result = await store.query(
      `select key, name, context, step, value from scalars where key in (${
        indexed.map(() => "?").join(", ")
      }) order by key, name, step`,
      indexed,
    );
    for (const [key, name, context, step, value] of result.rows) {
      const series = byTrial.get(String(key)) ?? new Map<string, [number, number][]>();
      const label = seriesName(String(name), parseContext(context));
      const points = series.get(label) ?? [];
      points.push([Number(step), Number(value)]);
      series.set(label, points);
      byTrial.set(String(key), series);
    }
  }
  for (const trial of trials.filter((t) => !t.indexed)) {
    const live = await readLiveEvents(trial.dir);
    const series = new Map<string, [number, number][]>();
    for (const [label, points] of live.scalars) {
      series.set(label, points.map((p) => [p.step, Number(p.value)]));
    }
    byTrial.set(trial.key, series);
  }
  const need = Math.min(2, trials.length);
  const labels = new Map<string, number>();
  for (const series of byTrial.values()) {
    for (const label of series.keys()) labels.set(label, (labels.get(label) ?? 0) + 1);
  }
  return [...labels].filter(([, n]) => n >= need).map(([label]) => label).sort().map((label) => ({
    name: label,
    points: trials.map((t) => {
      const points = byTrial.get(t.key)?.get(label);
      return points === undefined ? undefined : thin(points);
    }),
  }));
}

function parseContext(context: unknown): unknown {
  if (typeof context !== "string") return context;
  try {
    return JSON.parse(context);
  } catch {
    return context;
  }
}

function thin(points: [number, number][]): [number, number][] {
  if (points.length <= MAX_POINTS) return points;
  const stride = points.length / MAX_POINTS;
  const kept: [number, number][] = [];
  for (let i = 0; i < MAX_POINTS - 1; i++) kept.push(points[Math.floor(i * stride)]!);
  kept.push(points.at(-1)!);
  return kept;
}
