/**
 * Trials: every trial of the store in one virtual-scrolled grid. Only the rows in view exist
 * in the DOM, and pages of 200 rows are fetched as they scroll into view, so 10,000 trials
 * scroll as smoothly as 10. Filter (`--filter` syntax, errors shown under the box), sort by a
 * column header, choose columns (params, metrics, tags), select trials for Charts and Compare.
 */

import { getJson, isAbort } from "../api.js";
import {
  debounce,
  errorBox,
  fmtDuration,
  fmtTime,
  fmtValue,
  h,
  replace,
  statusBadge,
  tagBadges,
} from "../dom.js";
import { onLive } from "../live.js";
import { isSelected, onSelection, pref, selection, setPref, setSelected } from "../state.js";

const ROW = 28;
const PAGE = 200;
const OVERSCAN = 10;

/** Built-in columns: id → header, width, cell. */
const BUILTIN = {
  status: { label: "status", width: 96, sort: "status", cell: (t) => statusBadge(t.status) },
  name: {
    label: "name",
    width: 220,
    sort: "name",
    cell: (t) => h("a", { href: `#/trial/${t.key}`, title: t.key }, t.name),
  },
  stage: { label: "stage", width: 110, sort: "stage", cell: (t) => t.stage },
  experiment: { label: "experiment", width: 130, sort: "experiment", cell: (t) => t.experiment },
  started_at: {
    label: "started",
    width: 170,
    sort: "started_at",
    cell: (t) => fmtTime(t.started_at),
  },
  duration_s: {
    label: "duration",
    width: 90,
    sort: "duration_s",
    num: true,
    cell: (t) => fmtDuration(t.duration_s),
  },
  key: { label: "key", width: 120, sort: "key", cell: (t) => h("span", { class: "mono" }, t.key) },
  tags: { label: "tags", width: 200, cell: (t) => tagBadges(t.tags) },
  parent: {
    label: "parent",
    width: 100,
    sort: "parent",
    cell: (t) =>
      t.parent
        ? h(
          "a",
          { href: `#/trial/${t.parent}`, class: "mono", title: t.parent },
          t.parent.slice(0, 8),
        )
        : "",
  },
};

/** Mounts the Trials page. */
export function mount(view, { params }) {
  const state = {
    filter: params.get("filter") ?? "",
    sort: params.get("sort") ?? "",
    columns: pref("trials.columns", null),
    schema: { params: [], metrics: [], columns: [], tags: [] },
    total: 0,
    pending: [],
    pages: new Map(),
    /** The pages before a live refresh, shown until their fresh copies arrive (no flicker). */
    stale: new Map(),
    loading: new Set(),
    generation: 0,
    anchor: undefined,
    controller: new AbortController(),
  };

  const filterInput = h("input", {
    type: "search",
    class: "grow mono",
    placeholder: "filter, e.g. lr < 0.01 and status = 'ok'",
    value: state.filter,
    "aria-label": "Filter",
    onkeydown: (e) => {
      if (e.key === "Enter") applyFilter();
    },
  });
  const count = h("span", { class: "muted", "data-test": "count" });
  const chartButton = h("button", { type: "button", onclick: () => go("charts") }, "Chart");
  const compareButton = h("button", { type: "button", onclick: () => go("compare") }, "Compare");
  const columnsButton = h("button", { type: "button", onclick: toggleColumns }, "Columns");
  const errorArea = h("div");
  const pendingArea = h("div");
  const head = h("div", { class: "grid-head" });
  const spacer = h("div", { class: "grid-spacer" }, head);
  const body = h("div", { class: "grid-body", tabindex: "0" }, spacer);
  const panel = h("div", { class: "column-panel", hidden: true });
  const rows = new Map();

  replace(
    view,
    h("div", { class: "toolbar" }, [
      filterInput,
      h("button", { type: "button", class: "primary", onclick: applyFilter }, "Filter"),
      count,
      chartButton,
      compareButton,
      columnsButton,
    ]),
    panel,
    errorArea,
    pendingArea,
    h("div", { class: "grid-wrap" }, body),
  );

  function go(page) {
    if (selection().length > 0) location.hash = `#/${page}`;
  }

  function showButtons() {
    const n = selection().length;
    chartButton.disabled = n === 0;
    compareButton.disabled = n < 2;
    chartButton.textContent = n > 0 ? `Chart ${n}` : "Chart";
    compareButton.textContent = n > 1 ? `Compare ${n}` : "Compare";
  }

  function applyFilter() {
    state.filter = filterInput.value.trim();
    saveUrl();
    reload({ keepScroll: false });
  }

  function saveUrl() {
    const q = new URLSearchParams();
    if (state.filter) q.set("filter", state.filter);
    if (state.sort) q.set("sort", state.sort);
    history.replaceState(null, "", `#/trials${q.size > 0 ? `?${q}` : ""}`);
  }

  /** The column definitions for the chosen column ids. */
  function columnDefs() {
    return (state.columns ?? []).map((id) => {
      if (BUILTIN[id]) return { id, ...BUILTIN[id] };
      const [kind, ...rest] = id.split(":");
      const path = rest.join(":");
      if (kind === "t") {
        return {
          id,
          label: path,
          title: `tag ${path}`,
          width: 110,
          sort: `tags.${quoteName(path)}`,
          cell: (t) => t.tags?.[path] ?? "",
        };
      }
      const source = kind === "p" ? "params" : "metrics";
      return {
        id,
        label: path,
        title: `${source === "params" ? "param" : "metric"} ${path}`,
        width: 110,
        num: true,
        sort: `${source}.${path.split(".").map(quoteName).join(".")}`,
        cell: (t) => fmtValue(getPath(t[source], path)),
      };
    });
  }

  function template(defs) {
    return `32px ${defs.map((d) => `${d.width}px`).join(" ")}`;
  }

  function renderHead() {
    const defs = columnDefs();
    head.style.gridTemplateColumns = template(defs);
    const sortId = state.sort.replace(/^-/, "");
    replace(
      head,
      h("div", { title: "Selected" }, "✓"),
      defs.map((d) =>
        h(
          "div",
          d.sort === undefined ? { title: d.title ?? d.label } : {
            class: `${d.num ? "num" : ""} ${d.sort === sortId ? "sorted" : ""}`,
            title: `${d.title ?? d.label}: click to sort`,
            onclick: () => sortBy(d.sort),
          },
          d.label,
          d.sort !== undefined && d.sort === sortId
            ? (state.sort.startsWith("-") ? " ↓" : " ↑")
            : "",
        )
      ),
    );
    const width = 32 + defs.reduce((sum, d) => sum + d.width, 0);
    spacer.style.width = `${Math.max(width, body.clientWidth)}px`;
    head.style.width = spacer.style.width;
  }

  function sortBy(spec) {
    const current = state.sort.replace(/^-/, "");
    state.sort = current === spec ? (state.sort.startsWith("-") ? spec : `-${spec}`) : spec;
    saveUrl();
    reload({ keepScroll: false });
  }

  function rowAt(index) {
    const page = Math.floor(index / PAGE);
    return (state.pages.get(page) ?? state.stale.get(page))?.[index % PAGE];
  }

  function renderRows() {
    const defs = columnDefs();
    const columns = template(defs);
    spacer.style.height = `${(state.total + 1) * ROW}px`;
    const first = Math.max(0, Math.floor(body.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(
      state.total - 1,
      Math.ceil((body.scrollTop + body.clientHeight) / ROW) + OVERSCAN,
    );
    for (const [index, el] of rows) {
      if (index < first || index > last) {
        el.remove();
        rows.delete(index);
      }
    }
    const wanted = new Set();
    for (let i = first; i <= last; i++) {
      const trial = rowAt(i);
      if (!state.pages.has(Math.floor(i / PAGE))) wanted.add(Math.floor(i / PAGE));
      const el = rows.get(i);
      const fresh = state.pages.has(Math.floor(i / PAGE));
      const stamp = trial
        ? `${trial.key}:${isSelected(trial.key)}:${fresh ? state.generation : "stale"}`
        : "loading";
      if (el && el.dataset.stamp === stamp && el.style.gridTemplateColumns === columns) continue;
      const row = renderRow(i, trial, defs, columns, stamp);
      row.dataset.index = String(i);
      if (el) el.replaceWith(row);
      else spacer.append(row);
      rows.set(i, row);
    }
    for (const page of wanted) loadPage(page);
  }

  function renderRow(index, trial, defs, columns, stamp) {
    const style = { top: `${(index + 1) * ROW}px`, gridTemplateColumns: columns };
    if (trial === undefined) {
      return h(
        "div",
        { class: "grid-row loading", style, "data-stamp": stamp },
        h("div"),
        defs.map(() => h("div", {}, "·")),
      );
    }
    const selected = isSelected(trial.key);
    return h(
      "div",
      {
        class: `grid-row ${selected ? "selected" : ""}`,
        style,
        "data-stamp": stamp,
        "data-key": trial.key,
      },
      h(
        "div",
        {},
        h("input", {
          type: "checkbox",
          checked: selected,
          "aria-label": `Select ${trial.name}`,
          onclick: (e) => toggle(index, trial, e),
        }),
      ),
      defs.map((d) => h("div", { class: d.num ? "num" : "" }, d.cell(trial))),
    );
  }

  function toggle(index, trial, event) {
    const on = !isSelected(trial.key);
    if (event.shiftKey && state.anchor !== undefined) {
      const [a, b] = [Math.min(state.anchor, index), Math.max(state.anchor, index)];
      const keys = [];
      for (let i = a; i <= b; i++) {
        const t = rowAt(i);
        if (t) keys.push(t.key);
      }
      setSelected(keys, on);
    } else {
      setSelected([trial.key], on);
    }
    state.anchor = index;
  }

  async function loadPage(page) {
    if (state.pages.has(page) || state.loading.has(page)) return;
    const generation = state.generation;
    state.loading.add(page);
    try {
      const answer = await getJson("/api/trials", {
        filter: state.filter,
        sort: state.sort,
        limit: PAGE,
        offset: page * PAGE,
      }, { signal: state.controller.signal });
      if (generation !== state.generation) return;
      state.pages.set(page, answer.trials);
      if (page === 0) {
        state.total = answer.total;
        state.pending = answer.pending ?? [];
        if (state.columns === null) state.columns = defaultColumns(answer.trials, state.schema);
        renderHead();
        renderPending();
      }
      showCount();
      replace(errorArea);
      renderRows();
    } catch (error) {
      if (isAbort(error) || generation !== state.generation) return;
      replace(errorArea, errorBox(error));
      if (page === 0) {
        if (state.columns === null) state.columns = defaultColumns([], state.schema);
        renderHead();
        state.total = 0;
        renderRows();
        showCount();
      }
    } finally {
      state.loading.delete(page);
    }
  }

  function showCount() {
    const running = state.pending.filter((t) => t.status === "running").length;
    count.textContent = `${state.total.toLocaleString("en-US")} trial${
      state.total === 1 ? "" : "s"
    }${running > 0 ? ` · ${running} running` : ""}`;
  }

  function renderPending() {
    if (state.pending.length === 0) return replace(pendingArea);
    const table = h(
      "table",
      { class: "plain" },
      h(
        "tr",
        {},
        h("th", {}, ""),
        h("th", {}, "status"),
        h("th", {}, "name"),
        h("th", {}, "stage"),
        h("th", {}, "started"),
      ),
      state.pending.slice(0, 50).map((t) =>
        h(
          "tr",
          {},
          h(
            "td",
            {},
            h("input", {
              type: "checkbox",
              checked: isSelected(t.key),
              "aria-label": `Select ${t.name}`,
              onclick: () => setSelected([t.key], !isSelected(t.key)),
            }),
          ),
          h("td", {}, statusBadge(t.status)),
          h("td", {}, h("a", { href: `#/trial/${t.key}` }, t.name)),
          h("td", {}, t.stage),
          h("td", {}, fmtTime(t.started_at)),
        )
      ),
    );
    replace(
      pendingArea,
      h(
        "div",
        { class: "card" },
        h("h2", {}, `Not indexed yet (${state.pending.length}): running or just finished`),
        table,
      ),
    );
  }

  function reload({ keepScroll }) {
    state.generation++;
    state.controller.abort();
    state.controller = new AbortController();
    state.stale = keepScroll ? state.pages : new Map();
    state.pages = new Map();
    state.loading.clear();
    if (!keepScroll) {
      for (const el of rows.values()) el.remove();
      rows.clear();
      body.scrollTop = 0;
    }
    renderHead();
    loadPage(0);
    if (keepScroll) renderRows();
  }

  function toggleColumns() {
    if (!panel.hidden) {
      panel.hidden = true;
      return;
    }
    const chosen = new Set(state.columns ?? []);
    const search = h("input", { type: "search", placeholder: "find a column", class: "mono" });
    const list = h("div");
    const item = (id, label) =>
      h(
        "label",
        { "data-name": label.toLowerCase() },
        h("input", {
          type: "checkbox",
          checked: chosen.has(id),
          onchange: (e) => {
            const ids = (state.columns ?? []).filter((c) => c !== id);
            if (e.target.checked) ids.push(id);
            state.columns = ids;
            setPref("trials.columns", ids);
            renderHead();
            for (const el of rows.values()) el.remove();
            rows.clear();
            renderRows();
          },
        }),
        " ",
        label,
      );
    replace(
      list,
      h("h3", {}, "Trial"),
      Object.keys(BUILTIN).map((id) => item(id, id)),
      h("h3", {}, "Params"),
      state.schema.params.map((p) => item(`p:${p}`, p)),
      h("h3", {}, "Metrics"),
      state.schema.metrics.map((m) => item(`m:${m}`, m)),
      h("h3", {}, "Tags"),
      (state.schema.tags ?? []).length === 0
        ? h("div", { class: "muted" }, "none yet: xp tag TRIAL NAME=VALUE")
        : state.schema.tags.map((name) => item(`t:${name}`, `tags.${name}`)),
    );
    search.addEventListener("input", () => {
      const q = search.value.toLowerCase();
      for (const label of list.querySelectorAll("label")) {
        label.hidden = q !== "" && !label.dataset.name.includes(q);
      }
    });
    replace(panel, search, list);
    panel.hidden = false;
    search.focus();
  }

  const onScroll = () => requestAnimationFrame(renderRows);
  body.addEventListener("scroll", onScroll, { passive: true });
  const onResize = debounce(() => {
    renderHead();
    renderRows();
  }, 100);
  addEventListener("resize", onResize);
  const reloadSoon = debounce(() => reload({ keepScroll: true }), 800);
  const stopLive = onLive((event) => {
    if (event.type === "index" || event.type === "trial") reloadSoon();
  });
  const stopSelection = onSelection(() => {
    showButtons();
    renderRows();
    renderPending();
  });

  showButtons();
  getJson("/api/columns", {}, { signal: state.controller.signal })
    .then((schema) => {
      state.schema = schema;
    })
    .catch(() => {})
    .finally(() => reload({ keepScroll: false }));

  return {
    unmount() {
      state.controller.abort();
      removeEventListener("resize", onResize);
      reloadSoon.cancel();
      stopLive();
      stopSelection();
    },
  };
}

/**
 * Status, name, started, duration, tags and parent when a trial on the first page has them, up
 * to 6 params that differ on the first page, 6 metrics.
 */
function defaultColumns(trials, schema) {
  const varying = schema.params.filter((p) => {
    const values = new Set(trials.slice(0, 200).map((t) => JSON.stringify(getPath(t.params, p))));
    return values.size > 1;
  });
  const stages = new Set(trials.map((t) => t.stage));
  return [
    "status",
    "name",
    ...(stages.size > 1 ? ["stage"] : []),
    "started_at",
    "duration_s",
    ...(trials.some((t) => Object.keys(t.tags ?? {}).length > 0) ? ["tags"] : []),
    ...(trials.some((t) => t.parent) ? ["parent"] : []),
    ...varying.slice(0, 6).map((p) => `p:${p}`),
    ...schema.metrics.slice(0, 6).map((m) => `m:${m}`),
  ];
}

/** The value at dotted `path` in nested `object` (a flat key with dots is tried first). */
export function getPath(object, path) {
  if (object === null || typeof object !== "object") return undefined;
  if (path in object) return object[path];
  let value = object;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = value[part];
  }
  return value;
}

function quoteName(part) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? part : `"${part.replaceAll('"', '""')}"`;
}
