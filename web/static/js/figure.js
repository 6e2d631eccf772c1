/**
 * A Plotly figure spec drawn as a plain SVG chart (Plotly itself is ~3.5 MB, too big to vendor
 * for this): scatter traces as lines and/or markers, bar traces as bars, linear axes with ticks,
 * the title, axis titles and a legend. Everything is built as DOM nodes, so nothing in the spec
 * can inject markup or script.
 */

const NS = "http://www.w3.org/2000/svg";
const PALETTE = [
  "#2f6fde",
  "#e4572e",
  "#17a398",
  "#f3a712",
  "#8f5bd6",
  "#c2185b",
  "#4c956c",
  "#6d6875",
];

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function titleOf(value) {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof value.text === "string") return value.text;
  return "";
}

function numbers(values) {
  return Array.isArray(values) ? values.map((v) => (typeof v === "number" ? v : Number(v))) : [];
}

/** Nice tick values covering [lo, hi]. */
function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Number(v.toPrecision(10)));
  }
  return out;
}

function label(v) {
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5)
    ? v.toExponential(1)
    : String(Number(v.toPrecision(4)));
}

/** An `<svg>` element drawing the Plotly `spec` (`{data, layout}`). */
export function plotlyToSvg(spec, width = 560, height = 320) {
  const traces = (Array.isArray(spec?.data) ? spec.data : []).filter((t) =>
    t && typeof t === "object"
  );
  const layout = spec?.layout ?? {};
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img" });
  const title = titleOf(layout.title);
  const margin = { left: 56, right: 16, top: title ? 30 : 12, bottom: 44 };
  const series = traces.map((t, i) => {
    const y = numbers(t.y);
    const x = Array.isArray(t.x) ? numbers(t.x) : y.map((_, j) => j);
    return {
      x,
      y,
      type: t.type ?? "scatter",
      mode: t.mode ?? "lines",
      name: t.name ?? `trace ${i}`,
      color: t.line?.color ?? t.marker?.color ?? PALETTE[i % PALETTE.length],
    };
  });
  const xs = series.flatMap((s) => s.x).filter(Number.isFinite);
  const ys = series.flatMap((s) => s.y).filter(Number.isFinite);
  if (series.some((s) => s.type === "bar")) ys.push(0);
  if (xs.length === 0 || ys.length === 0) {
    svg.append(
      el(
        "text",
        { x: width / 2, y: height / 2, "text-anchor": "middle", fill: "#677085" },
        "empty figure",
      ),
    );
    return svg;
  }
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const pw = width - margin.left - margin.right;
  const ph = height - margin.top - margin.bottom;
  const sx = (v) => margin.left + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v) => margin.top + ph - ((v - y0) / (y1 - y0)) * ph;
  if (title) {
    svg.append(
      el("text", {
        x: width / 2,
        y: 18,
        "text-anchor": "middle",
        "font-size": 14,
        "font-weight": 600,
      }, title),
    );
  }
  const axis = el("g", { "font-size": 11, fill: "#677085" });
  for (const v of ticks(y0, y1)) {
    axis.append(
      el("line", {
        x1: margin.left,
        x2: margin.left + pw,
        y1: sy(v),
        y2: sy(v),
        stroke: "#eceef2",
      }),
    );
    axis.append(el("text", { x: margin.left - 6, y: sy(v) + 4, "text-anchor": "end" }, label(v)));
  }
  for (const v of ticks(x0, x1)) {
    axis.append(
      el("text", { x: sx(v), y: margin.top + ph + 16, "text-anchor": "middle" }, label(v)),
    );
  }
  axis.append(
    el("rect", {
      x: margin.left,
      y: margin.top,
      width: pw,
      height: ph,
      fill: "none",
      stroke: "#cfd4dc",
    }),
  );
  const xTitle = titleOf(layout.xaxis?.title);
  const yTitle = titleOf(layout.yaxis?.title);
  if (xTitle) {
    axis.append(
      el("text", { x: margin.left + pw / 2, y: height - 6, "text-anchor": "middle" }, xTitle),
    );
  }
  if (yTitle) {
    axis.append(
      el("text", {
        x: 12,
        y: margin.top + ph / 2,
        "text-anchor": "middle",
        transform: `rotate(-90 12 ${margin.top + ph / 2})`,
      }, yTitle),
    );
  }
  svg.append(axis);
  const bars = series.filter((s) => s.type === "bar");
  bars.forEach((s, b) => {
    const slot = pw / Math.max(1, s.x.length) / (bars.length + 0.5);
    s.x.forEach((x, j) => {
      const y = s.y[j];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      const top = Math.min(sy(y), sy(0));
      svg.append(
        el("rect", {
          x: sx(x) - (slot * bars.length) / 2 + b * slot,
          y: top,
          width: Math.max(1, slot - 1),
          height: Math.abs(sy(y) - sy(0)),
          fill: s.color,
        }),
      );
    });
  });
  for (const s of series.filter((t) => t.type !== "bar")) {
    const points = s.x.map((x, j) => [x, s.y[j]]).filter(([x, y]) =>
      Number.isFinite(x) && Number.isFinite(y)
    );
    if (s.mode.includes("lines")) {
      const d = points.map(([x, y], j) =>
        `${j === 0 ? "M" : "L"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`
      ).join("");
      svg.append(el("path", { d, fill: "none", stroke: s.color, "stroke-width": 1.6 }));
    }
    if (s.mode.includes("markers")) {
      for (const [x, y] of points) {
        svg.append(el("circle", { cx: sx(x), cy: sy(y), r: 2.5, fill: s.color }));
      }
    }
  }
  if (series.length > 1 || traces[0]?.name) {
    const legend = el("g", { "font-size": 11 });
    series.forEach((s, i) => {
      const y = margin.top + 8 + i * 14;
      legend.append(
        el("rect", { x: margin.left + pw - 110, y: y - 8, width: 10, height: 10, fill: s.color }),
      );
      legend.append(el("text", { x: margin.left + pw - 96, y: y + 1 }, s.name));
    });
    svg.append(legend);
  }
  return svg;
}
