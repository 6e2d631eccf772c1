/**
 * What `xp show` does: find the trial, read its details, print them as sections or as one
 * JSON object.
 *
 * @module
 */

import { join, relative } from "node:path";
import { EXIT } from "../errors.ts";
import { loadTrialDetails, tailLines, type TrialDetails } from "../query/details.ts";
import { lineageText } from "../query/lineage.ts";
import { formatDuration } from "../query/display.ts";
import { cellText } from "../query/format.ts";
import { resolveTrial } from "../query/resolve.ts";
import { leafPaths, valueAt } from "../query/trial.ts";
import type { Deps } from "./command.ts";
import { type Output, paint } from "./output.ts";
import type { ShowArgs } from "./show.ts";
import { withQueryStore } from "./_query_store.ts";

/** How many lines of stderr are shown. */
const STDERR_LINES = 10;

/** Runs `xp show`; returns the exit code. */
export function showTrial(args: ShowArgs, deps: Deps): Promise<number> {
  return withQueryStore(deps, async (store) => {
    const found = await resolveTrial(store, args.trial, "xp show");
    const details = await loadTrialDetails(store, found.key);
    const stderrPath = join(details.dir, "stderr.log");
    const stderr = await tailLines(stderrPath, STDERR_LINES);
    if (args.json) {
      deps.output.out(JSON.stringify({ ...details, stderr_tail: stderr }));
      return EXIT.ok;
    }
    printDetails(
      deps.output,
      details,
      stderr,
      relative(deps.cwd, stderrPath) || stderrPath,
      deps.cwd,
    );
    return EXIT.ok;
  });
}

function printDetails(
  output: Output,
  d: TrialDetails,
  stderr: string[],
  stderrPath: string,
  cwd: string,
): void {
  const heading = (text: string) => output.out(paint(output, "bold", text));
  const fields = (pairs: [string, unknown][]) => {
    const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== "");
    const width = Math.max(0, ...shown.map(([k]) => k.length));
    for (const [k, v] of shown) output.out(`  ${k.padEnd(width)}  ${cellText(v)}`);
  };
  heading(`trial ${d.key.slice(0, 12)}  ${d.stage}/${d.name}`);
  fields([
    ["experiment", d.experiment],
    ["stage", d.stage],
    ["name", d.name],
    ["key", d.key],
    ["dir", relative(cwd, d.dir) || d.dir],
    ["swept", Object.keys(d.swept).length ? d.swept : undefined],
    ["lineage", d.lineage.length > 0 ? lineageText(d, d.lineage) : undefined],
  ]);
  const s = d.status;
  heading("\nstatus");
  const state = String(s.state ?? "unknown");
  fields([
    [
      "state",
      paint(output, state === "ok" ? "green" : state === "running" ? "cyan" : "red", state),
    ],
    ["error", s.error],
    ["exit code", s.exit_code],
    ["signal", s.signal],
    ["started", s.started_at],
    ["finished", s.finished_at],
    ["duration", formatDuration(d.durationS)],
    ["attempt", s.attempt],
    ["run", s.run_id],
  ]);
  const git = (d.git ?? {}) as Record<string, unknown>;
  const versions = (d.provenance.versions ?? {}) as Record<string, unknown>;
  heading("\nprovenance");
  fields([
    ["git", typeof git.commit === "string" ? git.commit.slice(0, 12) : undefined],
    ["branch", git.branch],
    ["dirty", typeof git.dirty === "boolean" ? (git.dirty ? "yes" : "no") : undefined],
    ["diff", typeof git.diff === "string" ? `sha256:${git.diff}` : undefined],
    ["host", d.provenance.host],
    ["user", d.provenance.user],
    ["os", d.provenance.os],
    ["cpus", d.provenance.cpus],
    ["versions", Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(", ")],
    [
      "env",
      Object.entries((d.provenance.env ?? {}) as Record<string, unknown>)
        .map(([k, v]) => `${k}=${v ?? "(unset)"}`).join(" "),
    ],
  ]);
  const tags = Object.entries(d.tags);
  if (tags.length > 0) {
    heading("\ntags");
    fields(tags);
  }
  if (d.note !== null) {
    heading("\nnote");
    for (const line of d.note.split("\n")) output.out(`  ${line}`);
  }
  heading("\nconfig");
  const paths = leafPaths(d.config);
  if (paths.length === 0) output.out("  (empty)");
  fields(paths.map((p) => [p, valueAt(d.config, p)]));
  heading(`\nmetrics${d.indexed ? "" : " (from events; not indexed yet)"}`);
  const metrics = Object.entries(d.metrics);
  if (metrics.length === 0) output.out("  (none)");
  fields(metrics);
  if (d.artifacts.length > 0) {
    heading("\nartifacts");
    const width = Math.max(...d.artifacts.map((a) => a.name.length));
    for (const a of d.artifacts) {
      const parts = [a.kind.padEnd(8), a.name.padEnd(width), a.path ?? ""];
      if (a.bytes !== null) parts.push(formatBytes(a.bytes));
      if (a.sha256) parts.push(`sha256:${a.sha256.slice(0, 12)}`);
      if (a.step !== null) parts.push(`step ${a.step}`);
      output.out(`  ${parts.join("  ").trimEnd()}`);
    }
  }
  if (d.deps.length > 0) {
    heading("\ndeps");
    for (const dep of d.deps) {
      output.out(`  ${dep.key.slice(0, 12)}  ${dep.stage}/${dep.name}  ${dep.status}`);
    }
  }
  heading(`\nstderr (last ${STDERR_LINES} lines of ${stderrPath})`);
  if (stderr.length === 0) output.out("  (empty)");
  for (const line of stderr) output.out(`  ${line}`);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
