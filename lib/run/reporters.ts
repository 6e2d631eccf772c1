/**
 * The reporters of `xp run`: a live progress display on a terminal, plain lines otherwise, NDJSON
 * with `--json`. Human output goes to stderr; `--json` events go to stdout.
 *
 * @module
 */

import { paint } from "../ansi.ts";
import type { ReportSink } from "./sink.ts";
import type { Counts, Reporter, RunEvent } from "./events.ts";

/** `--json`: one event per line on stdout. */
export function ndjsonReporter(output: ReportSink): Reporter {
  return { report: (event) => output.out(JSON.stringify(event)) };
}

/** Options of the human reporters. */
export interface HumanReporterOptions {
  /** Only failures and the summary. */
  quiet: boolean;
}

/** One line per event, for logs and pipes. */
export function plainReporter(output: ReportSink, options: HumanReporterOptions): Reporter {
  return {
    report(event) {
      const lines = describe(event, output, options);
      for (const line of lines) output.err(line);
    },
  };
}

/**
 * A live status line on a terminal (counts, ETA, the running trials), with failures and the
 * summary printed above it as they happen.
 */
export function ttyReporter(output: ReportSink): Reporter {
  const running = new Map<string, string>();
  const counts: Counts = {};
  let total = 0;
  let startedAt = 0;
  let finished = 0;
  let statusShown = false;
  const clear = () => {
    if (statusShown) output.errWrite("\r\x1b[2K");
    statusShown = false;
  };
  const draw = () => {
    const done = (counts.ok ?? 0) + (counts.cached ?? 0);
    const failed = (counts.failed ?? 0) + (counts.timeout ?? 0) + (counts.killed ?? 0);
    const elapsed = (performance.now() - startedAt) / 1000;
    const left = total - finished;
    const eta = finished > 0 && left > 0
      ? ` · eta ${formatSeconds((elapsed / finished) * left)}`
      : "";
    const names = [...running.values()].join(", ");
    const line = `${done}/${total} done · ${failed} failed · ${running.size} running${eta}` +
      (names ? ` · ${names}` : "");
    output.errWrite(paint(output, "dim", clip(line, output.errColumns - 1)));
    statusShown = true;
  };
  return {
    report(event) {
      switch (event.type) {
        case "run_started":
          total = event.plan.todo + event.plan.cached;
          counts.cached = event.plan.cached;
          finished = 0;
          startedAt = performance.now();
          break;
        case "trial_started":
          running.set(event.key, event.name);
          break;
        case "trial_finished":
          running.delete(event.key);
          counts[event.state] = (counts[event.state] ?? 0) + 1;
          finished++;
          break;
        case "trial_skipped":
          counts.skipped = (counts.skipped ?? 0) + 1;
          finished++;
          break;
      }
      const lines = describe(event, output, { quiet: true });
      if (lines.length > 0 || event.type !== "trial_output") clear();
      // Long lines are cut rather than wrapped, so the live line below stays one line.
      for (const line of lines) output.err(clip(line, output.errColumns + ansiLength(line)));
      if (event.type !== "run_finished") draw();
    },
  };
}

function describe(event: RunEvent, output: ReportSink, options: HumanReporterOptions): string[] {
  const bold = (text: string) => paint(output, "bold", text);
  switch (event.type) {
    case "run_started": {
      if (options.quiet) return [];
      const { plan } = event;
      const parts = [`${plan.todo} to run`, `${plan.cached} cached`];
      if (plan.blocked) parts.push(`${plan.blocked} blocked`);
      return [
        `${bold(`xp run ${event.run_id}`)}: ${event.experiment}, ${plan.trials} trials (${
          parts.join(", ")
        }), -j ${event.jobs}`,
      ];
    }
    case "trial_started":
      return options.quiet
        ? []
        : [`  start  ${event.stage} ${event.name}${attemptText(event.attempt)}`];
    case "trial_retrying":
      return [
        `${
          paint(output, "yellow", "  retry")
        }  ${event.stage} ${event.name}: ${event.error} (attempt ${event.attempt} in ${
          formatSeconds(event.delay_ms / 1000)
        })`,
      ];
    case "trial_finished": {
      if (event.state === "ok") {
        return options.quiet ? [] : [
          `  ${paint(output, "green", "ok")}     ${event.stage} ${event.name} (${
            formatSeconds(event.duration_s)
          })`,
        ];
      }
      const color = event.state === "interrupted" || event.state === "skipped" ? "yellow" : "red";
      return [
        `${paint(output, color, `  ${event.state}`)} ${event.stage} ${event.name}: ${
          event.error ?? ""
        }`,
        ...event.stderr_tail.map((line) => paint(output, "dim", `    │ ${line}`)),
        ...(event.stderr_tail.length ? [paint(output, "dim", `    └ ${event.stderr_path}`)] : []),
      ];
    }
    case "trial_skipped":
      return [
        `${paint(output, "yellow", "  skipped")} ${event.stage} ${event.name}: ${event.reason}`,
      ];
    case "trial_output":
      return [`${paint(output, "cyan", `[${event.name}]`)} ${event.line}`];
    case "run_finished": {
      const order = [
        "ok",
        "cached",
        "failed",
        "timeout",
        "killed",
        "skipped",
        "interrupted",
        "running",
        "blocked",
      ] as const;
      const parts = order.filter((k) => event.counts[k]).map((k) => `${event.counts[k]} ${k}`);
      const color = event.status === "ok" ? "green" : event.status === "failed" ? "red" : "yellow";
      if (event.status === "detached") parts.push(...waiting(event.counts));
      return [
        `${paint(output, color, event.status)}: ${parts.join(", ") || "nothing to do"} in ${
          formatSeconds(event.duration_s)
        } (run ${event.run_id})`,
      ];
    }
  }
}

/** Trials of a detached run that were not submitted: they wait for inputs still running. */
function waiting(counts: Counts): string[] {
  return counts.queued ? [`${counts.queued} waiting for their inputs`] : [];
}

function attemptText(attempt: number): string {
  return attempt > 1 ? ` (attempt ${attempt})` : "";
}

/** `40ms`, `2.4s`, `12s`, `3m05s`, `1h02m`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  }
  return `${Math.floor(seconds / 3600)}h${
    String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")
  }m`;
}

function ansiLength(text: string): number {
  let length = 0;
  for (const match of text.matchAll(ANSI)) length += match[0].length;
  return length;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function clip(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + "…";
}
