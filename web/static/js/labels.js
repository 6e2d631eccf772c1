/**
 * Naming trials in a legend by what tells them apart: the params whose values differ among the
 * trials shown (`lr=0.01, depth=4`), else the trial's name.
 */

import { flatten, fmtValue } from "./dom.js";

/**
 * A label for each trial (by key), from its params: `trials` are `{key, name, stage, params}`.
 * At most `max` params are named; the rest are left out.
 */
export function trialLabels(trials, max = 3) {
  const flat = trials.map((t) => flatten(t.params ?? {}));
  const paths = new Set(flat.flatMap((f) => Object.keys(f)));
  const differing = [...paths].filter((path) => {
    const values = new Set(flat.map((f) => JSON.stringify(f[path])));
    return values.size > 1;
  });
  const stages = new Set(trials.map((t) => t.stage));
  const labels = new Map();
  trials.forEach((trial, i) => {
    // A param this trial does not have says nothing about it.
    const own = differing.filter((path) => path in flat[i]);
    const parts = own.slice(0, max).map((path) =>
      `${shortPath(path, differing)}=${fmtValue(flat[i][path])}`
    );
    if (own.length > max) parts.push("…");
    const base = parts.length > 0 ? parts.join(", ") : trial.name;
    labels.set(trial.key, stages.size > 1 ? `${trial.stage}: ${base}` : base);
  });
  // Two trials with equal labels (same differing params shown) get their names added.
  const counts = new Map();
  for (const label of labels.values()) counts.set(label, (counts.get(label) ?? 0) + 1);
  for (const trial of trials) {
    const label = labels.get(trial.key);
    if (counts.get(label) > 1) labels.set(trial.key, `${label} (${trial.name})`);
  }
  return labels;
}

/** The last segment of a dotted path when no other differing path ends the same way. */
function shortPath(path, all) {
  const last = path.split(".").at(-1);
  const clash = all.filter((p) => p.split(".").at(-1) === last).length > 1;
  return clash ? path : last;
}
