/**
 * Compare: the selected trials side by side, one column each: status, duration, every param
 * path and every metric as rows. Rows whose values differ are highlighted; "only differences"
 * hides the rest. Numbers of a metric row show the best value in bold.
 */

import { getJson, isAbort } from "../api.js";
import { errorBox, flatten, fmtDuration, fmtValue, h, replace, statusBadge } from "../dom.js";
import { trialLabels } from "../labels.js";
import { pref, selection, setPref, setSelected } from "../state.js";

/** Mounts the Compare page. */
export function mount(view, { params }) {
  const fromUrl = (params.get("keys") ?? "").split(",").filter((k) => k !== "");
  const keys = fromUrl.length > 0 ? fromUrl : selection();
  const controller = new AbortController();
  let onlyDiff = pref("compare.onlyDiff", false);
  const errorArea = h("div");
  const table = h("div", { class: "scroll-x card" });
  const diffBox = h("input", {
    type: "checkbox",
    checked: onlyDiff,
    onchange: (e) => {
      onlyDiff = e.target.checked;
      setPref("compare.onlyDiff", onlyDiff);
      render();
    },
  });
  const note = h("span", { class: "muted" });
  replace(
    view,
    h("div", { class: "toolbar" }, h("label", {}, diffBox, "only differences"), note),
    errorArea,
    table,
  );
  let trials = [];

  async function load() {
    if (keys.length === 0) {
      replace(
        table,
        h(
          "div",
          { class: "empty" },
          "Select two or more trials on the Trials page to compare them.",
        ),
      );
      return;
    }
    try {
      const page = await getJson("/api/trials", { keys: keys.join(","), limit: keys.length }, {
        signal: controller.signal,
      });
      const byKey = new Map([...page.trials, ...page.pending].map((t) => [t.key, t]));
      trials = keys.map((k) => byKey.get(k)).filter((t) => t !== undefined);
      render();
    } catch (error) {
      if (!isAbort(error)) replace(errorArea, errorBox(error));
    }
  }

  function render() {
    const labels = trialLabels(trials);
    const params = trials.map((t) => flatten(t.params ?? {}));
    const metrics = trials.map((t) => flatten(t.metrics ?? {}));
    const rows = [
      { section: "trial", name: "status", values: trials.map((t) => t.status), cell: statusBadge },
      { section: "trial", name: "stage", values: trials.map((t) => t.stage) },
      {
        section: "trial",
        name: "duration",
        values: trials.map((t) => t.duration_s),
        cell: (v) => fmtDuration(v),
      },
      ...paths(params).map((p) => ({
        section: "params",
        name: p,
        values: params.map((f) => f[p]),
      })),
      ...paths(metrics).map((m) => ({
        section: "metrics",
        name: m,
        values: metrics.map((f) => f[m]),
        metric: true,
      })),
    ];
    let differing = 0;
    const body = [];
    let section = "";
    for (const row of rows) {
      const texts = row.values.map((v) => JSON.stringify(v ?? null));
      const differs = new Set(texts).size > 1;
      if (differs) differing++;
      if (onlyDiff && !differs && row.section !== "trial") continue;
      if (row.section !== section) {
        section = row.section;
        body.push(h("tr", {}, h("th", { colspan: trials.length + 1 }, section)));
      }
      const numeric = row.values.filter((v) => typeof v === "number");
      const best = row.metric && numeric.length > 1 ? bestOf(row.name, numeric) : undefined;
      body.push(h(
        "tr",
        { class: differs ? "diff" : "", "data-row": row.name },
        h("td", { class: "mono" }, row.name),
        row.values.map((v) =>
          h(
            "td",
            { class: typeof v === "number" ? "num" : "" },
            row.cell ? row.cell(v) : v === best ? h("b", {}, fmtValue(v)) : fmtValue(v),
          )
        ),
      ));
    }
    note.textContent = `${trials.length} trials · ${differing} rows differ`;
    replace(
      table,
      h(
        "table",
        { class: "plain", "data-test": "compare" },
        h(
          "tr",
          {},
          h("th", {}, ""),
          trials.map((t) =>
            h(
              "th",
              {},
              h("a", { href: `#/trial/${t.key}` }, t.name),
              h("div", { class: "muted", style: { fontWeight: 400 } }, labels.get(t.key)),
              h("button", {
                type: "button",
                title: "Remove from the selection",
                onclick: () => {
                  setSelected([t.key], false);
                  trials = trials.filter((x) => x.key !== t.key);
                  render();
                },
              }, "remove"),
            )
          ),
        ),
        body,
      ),
    );
  }

  load();
  return { unmount: () => controller.abort() };
}

function paths(flats) {
  return [...new Set(flats.flatMap((f) => Object.keys(f)))].sort();
}

/** The best of a metric's values: lowest for losses and errors, highest otherwise. */
function bestOf(name, values) {
  const lower = /loss|err|time|memory|_s$|latency|duration/i.test(name);
  return lower ? Math.min(...values) : Math.max(...values);
}
