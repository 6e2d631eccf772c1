/**
 * Runs: every `xp run`, newest first, with the progress of those still going (updated live)
 * and, on a click, the outcome of each trial of a run.
 */

import { getJson, isAbort } from "../api.js";
import { debounce, errorBox, fmtDuration, fmtTime, h, replace, statusBadge } from "../dom.js";
import { onLive } from "../live.js";

/** Mounts the Runs page. */
export function mount(view) {
  const controller = new AbortController();
  const errorArea = h("div");
  const list = h("div", { class: "card scroll-x" });
  replace(view, h("h1", { class: "page-title" }, "Runs"), errorArea, list);
  const open = new Set();

  async function load() {
    try {
      const { runs } = await getJson("/api/runs", {}, { signal: controller.signal });
      replace(errorArea);
      render(runs);
    } catch (error) {
      if (!isAbort(error)) replace(errorArea, errorBox(error));
    }
  }

  function render(runs) {
    if (runs.length === 0) {
      replace(list, h("div", { class: "empty" }, "No runs yet: xp run records each run here."));
      return;
    }
    const rows = [];
    for (const run of runs) {
      rows.push(h(
        "tr",
        { "data-run": run.run_id, style: { cursor: "pointer" }, onclick: () => toggle(run.run_id) },
        h("td", { class: "mono" }, run.run_id),
        h("td", {}, run.experiment),
        h("td", {}, statusBadge(run.status)),
        h("td", {}, progress(run)),
        h("td", {}, fmtTime(run.started_at)),
        h("td", { class: "num" }, duration(run)),
        h("td", {}, counts(run.status === "running" ? run.progress?.states ?? {} : run.counts)),
        h("td", { class: "mono muted" }, `xp ${run.argv.join(" ")}`),
      ));
      if (open.has(run.run_id)) {
        const cell = h("td", { colspan: 8 }, h("span", { class: "muted" }, "loading…"));
        rows.push(h("tr", { class: "run-detail" }, cell));
        detail(run.run_id, cell);
      }
    }
    replace(
      list,
      h(
        "table",
        { class: "plain", "data-test": "runs" },
        h(
          "tr",
          {},
          ["run", "experiment", "status", "progress", "started", "duration", "outcomes", "command"]
            .map((c) => h("th", {}, c)),
        ),
        rows,
      ),
    );
  }

  function toggle(id) {
    open.has(id) ? open.delete(id) : open.add(id);
    load();
  }

  async function detail(id, cell) {
    try {
      const run = await getJson(`/api/runs/${encodeURIComponent(id)}`, {}, {
        signal: controller.signal,
      });
      const trials = Object.entries(run.trials);
      replace(
        cell,
        trials.length === 0
          ? h(
            "span",
            { class: "muted" },
            run.status === "running" ? "the run lists its trials when it ends" : "no trials",
          )
          : h(
            "table",
            { class: "plain" },
            trials.slice(0, 500).map(([key, t]) =>
              h(
                "tr",
                {},
                h("td", {}, statusBadge(t.outcome)),
                h("td", {}, t.stage),
                h("td", {}, h("a", { href: `#/trial/${key}` }, t.name)),
              )
            ),
            trials.length > 500
              ? h(
                "tr",
                {},
                h("td", { colspan: 3, class: "muted" }, `… and ${trials.length - 500} more`),
              )
              : null,
          ),
      );
    } catch (error) {
      if (!isAbort(error)) replace(cell, errorBox(error));
    }
  }

  const reload = debounce(load, 500);
  const stopLive = onLive((event) => {
    if (event.type === "run" || event.type === "trial") reload();
  });
  load();
  return {
    unmount() {
      controller.abort();
      reload.cancel();
      stopLive();
    },
  };
}

function progress(run) {
  if (run.status !== "running" || !run.progress) return "";
  const { done, running, todo } = run.progress;
  const share = todo > 0 ? Math.min(1, done / todo) : 0;
  return h(
    "div",
    { style: { display: "flex", alignItems: "center", gap: "8px" } },
    h(
      "div",
      { class: "progress", title: `${done} of ${todo} done, ${running} running` },
      h("span", { style: { width: `${share * 100}%` } }),
    ),
    h("span", { class: "muted", "data-test": "progress" }, `${done}/${todo}`),
  );
}

function duration(run) {
  const start = Date.parse(run.started_at ?? "");
  const end = run.finished_at ? Date.parse(run.finished_at) : Date.now();
  return Number.isFinite(start) && Number.isFinite(end) ? fmtDuration((end - start) / 1000) : "";
}

function counts(record) {
  const parts = Object.entries(record ?? {}).filter(([, n]) => n > 0);
  return parts.length === 0 ? "" : parts.map(([state, n]) => `${n} ${state}`).join(", ");
}
