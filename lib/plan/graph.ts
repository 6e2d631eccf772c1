/**
 * The trial graph for `xp run --graph`: readable text, or Graphviz DOT.
 *
 * @module
 */

import type { Plan, PlannedStage, PlannedTrial } from "./model.ts";

/** Up to this many trials, the text graph lists every trial; above, one line per stage. */
export const TEXT_TRIAL_LIMIT = 300;

/** The order of states in a stage's tally; other states follow, then `excluded`. */
const STATE_ORDER = [
  "cached",
  "todo",
  "blocked",
  "ok",
  "queued",
  "running",
  "failed",
  "timeout",
  "killed",
  "interrupted",
  "skipped",
];

/** A trial's dependencies are named up to this many; the rest are counted. */
const NAMED_DEPS = 4;

/** Fill colours of DOT nodes by state; a state not listed is drawn white. */
const COLORS: Readonly<Record<string, string>> = {
  ok: "#c8e6c9",
  cached: "#c8e6c9",
  todo: "#bbdefb",
  queued: "#bbdefb",
  running: "#fff59d",
  failed: "#ffcdd2",
  timeout: "#ffcdd2",
  killed: "#ffcdd2",
  interrupted: "#ffe0b2",
  skipped: "#e0e0e0",
  blocked: "#e0e0e0",
};

/**
 * Draws the plan's trial graph. `states` gives each trial's state by key (a selection's or the
 * store's); a trial missing from it is shown as `excluded`.
 *
 * Text lists each stage with its dependency stages, then each trial with its state and the names
 * of its dependencies; above {@linkcode TEXT_TRIAL_LIMIT} trials it shows one line per stage with
 * its counts and how its trials connect (`eval (6) ← train (6), one-to-one`). DOT is a
 * `digraph xp` with a node per trial labelled `stage\nname`, filled by state (the state is also
 * its tooltip), and an edge from each dependency to its dependent.
 *
 * @example Usage
 * ```ts ignore
 * output.out(renderGraph(plan, selection.states, "dot"));
 * ```
 */
export function renderGraph(
  plan: Plan,
  states: ReadonlyMap<string, string>,
  format: "text" | "dot",
): string {
  const stateOf = (key: string) => states.get(key) ?? "excluded";
  if (format === "dot") return renderDot(plan, stateOf);
  return plan.trials.length <= TEXT_TRIAL_LIMIT
    ? renderTrials(plan, stateOf)
    : renderSummary(plan, stateOf);
}

type StateOf = (key: string) => string;

function renderTrials(plan: Plan, stateOf: StateOf): string {
  const lines: string[] = [];
  for (const planned of plan.stages) {
    lines.push(stageHeader(plan, planned));
    const trials = planned.trials;
    const nameWidth = Math.max(0, ...trials.map((t) => t.name.length));
    const stateWidth = Math.max(0, ...trials.map((t) => stateOf(t.key).length));
    for (const t of trials) {
      let line = `  ${t.name.padEnd(nameWidth)}  ${stateOf(t.key).padEnd(stateWidth)}`;
      if (t.deps.length > 0) line += `  ← ${depNames(plan, t)}`;
      lines.push(line.trimEnd());
    }
  }
  return lines.join("\n");
}

function renderSummary(plan: Plan, stateOf: StateOf): string {
  return plan.stages.map((planned) => {
    const trials = planned.trials;
    const counts = new Map<string, number>();
    for (const t of trials) {
      const state = stateOf(t.key);
      counts.set(state, (counts.get(state) ?? 0) + 1);
    }
    const tally = [...counts].sort(([a], [b]) => rank(a) - rank(b))
      .map(([state, n]) => `${state} ${n}`).join(", ");
    const edges = planned.stage.dependsOn.map((name) => {
      const dep = plan.stages.find((s) => s.stage.name === name);
      return dep === undefined
        ? name
        : `${name} (${dep.trials.length}), ${connection(plan, planned, name)}`;
    });
    const from = edges.length === 0 ? "" : ` ← ${edges.join("; ")}`;
    return `${planned.stage.name} (${trials.length})${from}: ${tally}`;
  }).join("\n");
}

function rank(state: string): number {
  const i = STATE_ORDER.indexOf(state);
  return i >= 0 ? i : state === "excluded" ? STATE_ORDER.length + 1 : STATE_ORDER.length;
}

function stageHeader(plan: Plan, planned: PlannedStage): string {
  const n = planned.trials.length;
  const deps = planned.stage.dependsOn.map((name) =>
    `${name} (${connection(plan, planned, name)})`
  );
  return `${planned.stage.name}: ${n} trial${n === 1 ? "" : "s"}` +
    (deps.length === 0 ? "" : ` ← ${deps.join(", ")}`);
}

/** How a stage's trials depend on those of stage `name`. */
function connection(plan: Plan, planned: PlannedStage, name: string): string {
  const per: number[] = [];
  const uses = new Map<string, number>();
  for (const t of planned.trials) {
    let n = 0;
    for (const key of t.deps) {
      if (plan.byKey.get(key)?.stage !== name) continue;
      n++;
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
    per.push(n);
  }
  if (per.every((n) => n === 1)) {
    return [...uses.values()].every((n) => n === 1) ? "one-to-one" : "many-to-one";
  }
  const size = plan.stages.find((s) => s.stage.name === name)?.trials.length ?? 0;
  if (per.every((n) => n === size)) return "gather all";
  // Not Math.min(...per): spreading a very large stage would overflow the call stack.
  const least = per.reduce((a, b) => Math.min(a, b));
  const most = per.reduce((a, b) => Math.max(a, b));
  return `gather ${least === most ? least : `${least}–${most}`} each`;
}

function depNames(plan: Plan, t: PlannedTrial): string {
  const named = t.deps.slice(0, NAMED_DEPS).map((key) => {
    const dep = plan.byKey.get(key);
    return dep === undefined ? key.slice(0, 12) : `${dep.stage}/${dep.name}`;
  });
  const rest = t.deps.length - named.length;
  return named.join(", ") + (rest > 0 ? ` and ${rest} more` : "");
}

function renderDot(plan: Plan, stateOf: StateOf): string {
  const lines = [
    "digraph xp {",
    "  rankdir=LR;",
    '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
  ];
  // One cluster per stage, so Graphviz draws each stage's trials as a group.
  plan.stages.forEach((planned, i) => {
    lines.push(`  subgraph "cluster_${i}" {`, `    label="${dotEscape(planned.stage.name)}";`);
    for (const t of planned.trials) {
      if (plan.byKey.get(t.key) !== t) continue; // a repeated config is drawn once
      const state = stateOf(t.key);
      const label = `${dotEscape(t.stage)}\\n${dotEscape(t.name)}`;
      const color = COLORS[state] ?? "#ffffff";
      lines.push(
        `    "${t.key}" [label="${label}", tooltip="${dotEscape(state)}", fillcolor="${color}"];`,
      );
    }
    lines.push("  }");
  });
  for (const t of plan.trials) {
    for (const dep of t.deps) lines.push(`  "${dep}" -> "${t.key}";`);
  }
  lines.push("}");
  return lines.join("\n");
}

/** Text inside a DOT double-quoted string: backslashes and quotes escaped, newlines as `\n`. */
function dotEscape(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n");
}
