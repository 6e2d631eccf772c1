/**
 * Charts: the selected trials' scalar series overlaid, one uPlot chart per series name. x is
 * the step, the time since the series began, or the wall clock; y can be log; an exponential
 * moving average smooths. Legends name trials by the params that differ among them. Dragging
 * zooms, and in step mode the zoomed range is fetched again at full resolution (the server
 * sends at most 2,000 points a series otherwise); a double click zooms out. Running trials'
 * new points arrive live, and with "follow running" newly started trials join the charts.
 */

import { getJson, isAbort } from "../api.js";
import { debounce, errorBox, h, replace, throttle } from "../dom.js";
import { trialLabels } from "../labels.js";
import { onLive, whenLive } from "../live.js";
import { pref, selection, setPref } from "../state.js";

const PALETTE = [
  "#2f6fde",
  "#e4572e",
  "#17a398",
  "#f3a712",
  "#8f5bd6",
  "#c2185b",
  "#4c956c",
  "#6d6875",
  "#0096c7",
  "#9c6644",
];

/** Tick spacings for a step axis: 1, 2, 5, 10, 20, 50, … */
const STEP_INCREMENTS = Array.from(
  { length: 30 },
  (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3),
);

/** Mounts the Charts page. */
export function mount(view, { params }) {
  const fromUrl = (params.get("keys") ?? "").split(",").filter((k) => k !== "");
  const state = {
    keys: fromUrl.length > 0 ? fromUrl : selection(),
    extra: new Set(),
    x: pref("charts.x", "step"),
    log: pref("charts.log", false),
    smooth: pref("charts.smooth", 0),
    follow: pref("charts.follow", true),
    filter: "",
    labels: new Map(),
    charts: new Map(),
    generation: 0,
    controller: new AbortController(),
  };

  const xSelect = h(
    "select",
    {
      "aria-label": "x axis",
      onchange: (e) => {
        state.x = e.target.value;
        setPref("charts.x", state.x);
        redrawAll(true);
      },
    },
    h("option", { value: "step" }, "x: step"),
    h("option", { value: "relative" }, "x: time since start"),
    h("option", { value: "wall" }, "x: wall clock"),
  );
  xSelect.value = state.x;
  const logBox = h("input", {
    type: "checkbox",
    checked: state.log,
    onchange: (e) => {
      state.log = e.target.checked;
      setPref("charts.log", state.log);
      redrawAll(true);
    },
  });
  const smoothLabel = h("span", { class: "mono" }, state.smooth.toFixed(2));
  const smoothSlider = h("input", {
    type: "range",
    min: 0,
    max: 0.99,
    step: 0.01,
    value: state.smooth,
    "aria-label": "smoothing",
    oninput: (e) => {
      state.smooth = Number(e.target.value);
      smoothLabel.textContent = state.smooth.toFixed(2);
      setPref("charts.smooth", state.smooth);
      redrawSoon();
    },
  });
  const followBox = h("input", {
    type: "checkbox",
    checked: state.follow,
    onchange: (e) => {
      state.follow = e.target.checked;
      setPref("charts.follow", state.follow);
      if (!state.follow) state.extra.clear();
      load();
    },
  });
  const filterInput = h("input", {
    type: "search",
    placeholder: "series name contains…",
    "aria-label": "Series filter",
    oninput: debounce((e) => {
      state.filter = e.target.value.trim().toLowerCase();
      for (const chart of state.charts.values()) {
        chart.card.hidden = state.filter !== "" && !chart.name.toLowerCase().includes(state.filter);
      }
    }, 150),
  });
  const note = h("span", { class: "muted", "data-test": "charts-note" });
  const errorArea = h("div");
  const grid = h("div", { class: "grid-2" });
  replace(
    view,
    h(
      "div",
      { class: "toolbar" },
      xSelect,
      h("label", {}, logBox, "log y"),
      h("label", {}, "smoothing", smoothSlider, smoothLabel),
      h(
        "label",
        { title: "Add trials to the charts as they start running" },
        followBox,
        "follow running",
      ),
      filterInput,
      note,
    ),
    errorArea,
    grid,
  );

  function allKeys() {
    return [...new Set([...state.keys, ...state.extra])];
  }

  async function load() {
    const generation = ++state.generation;
    state.controller.abort();
    state.controller = new AbortController();
    const signal = state.controller.signal;
    delete document.body.dataset.chartsReady;
    try {
      await whenLive();
      if (state.follow) {
        const { pending } = await getJson("/api/trials/pending", {}, { signal });
        for (const t of pending) if (t.status === "running") state.extra.add(t.key);
      }
      const keys = allKeys();
      if (keys.length === 0) {
        clearCharts();
        replace(
          grid,
          h(
            "div",
            { class: "empty" },
            "Select trials on the Trials page to chart their series, or start a run with “follow running” on.",
          ),
        );
        note.textContent = "";
        document.body.dataset.chartsReady = "1";
        return;
      }
      const [meta, names] = await Promise.all([
        getJson("/api/trials", { keys: keys.join(","), limit: keys.length }, { signal }),
        getJson("/api/series/names", { keys: keys.join(",") }, { signal }),
      ]);
      if (generation !== state.generation) return;
      const trials = [...meta.trials, ...meta.pending];
      state.labels = trialLabels(trials);
      state.trialName = new Map(trials.map((t) => [t.key, t.name]));
      note.textContent = `${trials.length} trial${
        trials.length === 1 ? "" : "s"
      }, ${names.names.length} series`;
      replace(errorArea);
      clearCharts();
      replace(grid);
      if (names.names.length === 0) {
        grid.append(h("div", { class: "empty" }, "These trials logged no scalars yet."));
      }
      await Promise.all(names.names.map((n) => addChart(n.name, keys, signal)));
      if (generation === state.generation) document.body.dataset.chartsReady = "1";
    } catch (error) {
      if (!isAbort(error)) replace(errorArea, errorBox(error));
    }
  }

  function clearCharts() {
    for (const chart of state.charts.values()) chart.plot?.destroy();
    state.charts.clear();
  }

  async function addChart(name, keys, signal) {
    const body = h("div");
    const info = h("span", { class: "chart-note" });
    const card = h(
      "section",
      { class: "card chart-card", "data-chart": name },
      h("header", {}, h("h2", {}, name), info),
      body,
    );
    card.hidden = state.filter !== "" && !name.toLowerCase().includes(state.filter);
    grid.append(card);
    const chart = { name, card, body, info, series: new Map(), zoom: null, plot: undefined, keys };
    state.charts.set(name, chart);
    await fetchSeries(chart, signal);
  }

  async function fetchSeries(chart, signal, range) {
    const answer = await getJson("/api/series", {
      keys: chart.keys.join(","),
      name: chart.name,
      from: range?.from,
      to: range?.to,
    }, { signal });
    if (state.charts.get(chart.name) !== chart) return;
    const fresh = new Map();
    for (const s of answer.series) fresh.set(seriesId(s.key, s.context), s);
    if (range === undefined) {
      chart.series = fresh;
    } else {
      // Zoomed: the full-resolution points replace the downsampled ones within the range.
      for (const [id, s] of fresh) {
        const old = chart.series.get(id);
        chart.zoomed = chart.zoomed ?? new Map();
        chart.zoomed.set(id, s);
        if (old === undefined) chart.series.set(id, s);
      }
    }
    draw(chart, range === undefined);
  }

  /** The uPlot data and series options for `chart` as the settings stand. */
  function build(chart) {
    const tables = [];
    const series = [];
    const ids = [...chart.series.keys()];
    const keyOrder = allKeys();
    for (const id of ids) {
      const s = (chart.zoom && chart.zoomed?.get(id)) || chart.series.get(id);
      const [xs, ys] = xy(s, state);
      if (xs.length === 0) continue;
      tables.push([xs, ys]);
      const colorIndex = Math.max(0, keyOrder.indexOf(s.key));
      const label = (state.labels.get(s.key) ?? state.trialName?.get(s.key) ?? s.key.slice(0, 8)) +
        (s.context ? ` ${s.context}` : "");
      series.push({
        label,
        stroke: PALETTE[colorIndex % PALETTE.length],
        width: 1.5,
        dash: s.context ? [5, 3] : undefined,
        spanGaps: true,
        points: { show: false },
      });
    }
    const data = tables.length === 0 ? [[]] : uPlot.join(tables);
    let points = 0;
    for (const t of tables) points += t[0].length;
    return { data, series, points };
  }

  function draw(chart, resetScales) {
    const { data, series, points } = build(chart);
    chart.card.dataset.points = String(points);
    const downsampled = [...chart.series.values()].some((s) => s.downsampled);
    chart.info.textContent = `${series.length} line${series.length === 1 ? "" : "s"}${
      downsampled && !chart.zoom
        ? " · downsampled; drag to zoom"
        : chart.zoom
        ? " · zoomed; double-click to reset"
        : ""
    }`;
    const shape = JSON.stringify([series.map((s) => s.label + s.stroke), state.x, state.log]);
    if (chart.plot && chart.shape === shape) {
      chart.internal = true;
      chart.plot.setData(data, resetScales);
      chart.internal = false;
      return;
    }
    chart.plot?.destroy();
    chart.shape = shape;
    const width = Math.max(300, chart.card.clientWidth - 30);
    chart.plot = new uPlot(
      {
        width,
        height: 240,
        scales: {
          x: { time: state.x === "wall" },
          y: { distr: state.log ? 3 : 1 },
        },
        axes: [
          {
            label: state.x === "step" ? "step" : state.x === "relative" ? "seconds" : "",
            // Steps are whole numbers: no tick at step 0.5.
            ...(state.x === "step" ? { incrs: STEP_INCREMENTS } : {}),
          },
          { size: 64 },
        ],
        series: [{ label: state.x === "step" ? "step" : "time" }, ...series],
        cursor: { drag: { x: true, y: false }, sync: { key: "xp-charts" } },
        legend: { live: true },
        hooks: {
          setScale: [(u, key) => {
            if (key === "x" && !chart.internal) onZoom(chart, u);
          }],
        },
      },
      data,
      chart.body,
    );
  }

  const zoomFetch = debounce((chart, range) => {
    fetchSeries(chart, state.controller.signal, range).catch((error) => {
      if (!isAbort(error)) replace(errorArea, errorBox(error));
    });
  }, 250);

  function onZoom(chart, u) {
    if (state.x !== "step") return;
    const { min, max } = u.scales.x;
    const xs = u.data[0];
    if (xs.length === 0 || min === undefined || max === undefined) return;
    const full = min <= xs[0] && max >= xs[xs.length - 1];
    if (full) {
      if (chart.zoom) {
        chart.zoom = null;
        chart.zoomed = undefined;
        draw(chart, true);
      }
      return;
    }
    chart.zoom = { from: Math.floor(min), to: Math.ceil(max) };
    chart.zoomed = new Map();
    zoomFetch(chart, chart.zoom);
  }

  function redrawAll(reset) {
    for (const chart of state.charts.values()) draw(chart, reset);
  }
  const redrawSoon = throttle(() => redrawAll(false), 150);
  const liveRedraw = throttle(() => {
    for (const chart of state.charts.values()) {
      if (chart.dirty) {
        chart.dirty = false;
        draw(chart, !chart.zoom);
      }
    }
  }, 1000);
  const reloadSoon = debounce(load, 1000);

  const stopLive = onLive((event) => {
    if (event.type === "scalars") {
      if (!allKeys().includes(event.key)) return;
      const chart = state.charts.get(event.name);
      if (chart === undefined) {
        reloadSoon();
        return;
      }
      const id = seriesId(event.key, event.context);
      let s = chart.series.get(id);
      if (s === undefined) {
        s = { key: event.key, context: event.context, step: [], value: [], time: [], total: 0 };
        chart.series.set(id, s);
      }
      const last = s.step.length > 0 ? s.step[s.step.length - 1] : -Infinity;
      event.step.forEach((step, i) => {
        if (step <= last || event.value[i] === null) return;
        s.step.push(step);
        s.value.push(event.value[i]);
        s.time.push(event.time[i]);
        s.total++;
      });
      chart.dirty = true;
      liveRedraw();
    } else if (event.type === "trial" && state.follow && event.state === "running") {
      if (!allKeys().includes(event.key)) {
        state.extra.add(event.key);
        reloadSoon();
      }
    }
  });
  const onResize = debounce(() => {
    for (const chart of state.charts.values()) {
      chart.plot?.setSize({ width: Math.max(300, chart.card.clientWidth - 30), height: 240 });
    }
  }, 150);
  addEventListener("resize", onResize);
  load();

  return {
    unmount() {
      state.controller.abort();
      reloadSoon.cancel();
      zoomFetch.cancel();
      stopLive();
      removeEventListener("resize", onResize);
      clearCharts();
      delete document.body.dataset.chartsReady;
    },
  };
}

function seriesId(key, context) {
  return `${key}\u0000${context ?? ""}`;
}

/** The x and y arrays of series `s` for the settings: x mode, log scale, smoothing. */
function xy(s, settings) {
  const xs = [];
  const ys = [];
  const t0 = s.time.find((t) => t !== null);
  let ema = 0;
  let weight = 0;
  for (let i = 0; i < s.step.length; i++) {
    let x = s.step[i];
    if (settings.x !== "step") {
      const t = s.time[i];
      if (t === null || t === undefined) continue;
      x = settings.x === "relative" ? t - t0 : t;
    }
    let y = s.value[i];
    if (settings.smooth > 0 && y !== null) {
      // Debiased EMA (as TensorBoard): early points are not pulled towards 0.
      ema = settings.smooth * ema + (1 - settings.smooth) * y;
      weight = settings.smooth * weight + (1 - settings.smooth);
      y = ema / weight;
    }
    if (settings.log && !(y > 0)) y = null;
    if (xs.length > 0 && x < xs[xs.length - 1]) continue;
    if (xs.length > 0 && x === xs[xs.length - 1]) {
      // uPlot.join needs strictly increasing x: keep the later point of a repeated x.
      ys[ys.length - 1] = y;
      continue;
    }
    xs.push(x);
    ys.push(y);
  }
  return [xs, ys];
}
