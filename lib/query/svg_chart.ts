/**
 * A small line chart as inline SVG: several series overlaid on one pair of axes, for the
 * self-contained `xp compare --html` report (no scripts, no network).
 *
 * @module
 */

/** One line. */
export interface ChartSeries {
  /** The legend text. */
  label: string;
  /** `[step, value]` pairs in step order; non-finite values break the line. */
  points: readonly (readonly [number, number])[];
}

/** Options of {@linkcode lineChartSvg}. */
export interface ChartOptions {
  /** The chart's title. */
  title: string;
  /** @default {640} */
  width?: number;
  /** @default {300} */
  height?: number;
}

/** Colours of the lines, in order (Okabe–Ito, readable by colour-blind users). */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
];

/**
 * An `<svg>` element with axes, ticks, a legend and one polyline per series.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineChartSvg } from "./svg_chart.ts";
 * const svg = lineChartSvg([{ label: "a", points: [[0, 1], [1, 0.5]] }], { title: "loss" });
 * assert.match(svg, /^<svg viewBox="0 0 640 300"/);
 * assert.match(svg, /<polyline /);
 * ```
 */
export function lineChartSvg(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 300;
  const legendHeight = 18 * Math.ceil(series.length / 3);
  const margin = { left: 64, right: 16, top: 28, bottom: 36 + legendHeight };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const finite = series.flatMap((s) => s.points.filter(([x, y]) => isFinite(x) && isFinite(y)));
  const xs = ticks(finite.map(([x]) => x));
  const ys = ticks(finite.map(([, y]) => y));
  const sx = (x: number) => margin.left + ((x - xs.min) / (xs.max - xs.min)) * plotW;
  const sy = (y: number) => margin.top + plotH - ((y - ys.min) / (ys.max - ys.min)) * plotH;
  const parts: string[] = [];
  parts.push(
    `<text x="${width / 2}" y="18" text-anchor="middle" class="title">${
      escapeXml(options.title)
    }</text>`,
  );
  for (const y of ys.values) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${r(sy(y))}" y2="${
        r(sy(y))
      }" class="grid"/>`,
      `<text x="${margin.left - 6}" y="${r(sy(y)) + 4}" text-anchor="end">${tickText(y)}</text>`,
    );
  }
  for (const x of xs.values) {
    parts.push(
      `<line x1="${r(sx(x))}" x2="${r(sx(x))}" y1="${margin.top + plotH}" y2="${
        margin.top + plotH + 4
      }" class="axis"/>`,
      `<text x="${r(sx(x))}" y="${margin.top + plotH + 16}" text-anchor="middle">${
        tickText(x)
      }</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" class="frame"/>`,
  );
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    for (const run of segments(s.points)) {
      const points = run.map(([x, y]) => `${r(sx(x))},${r(sy(y))}`).join(" ");
      parts.push(
        run.length === 1
          ? `<circle cx="${r(sx(run[0]![0]))}" cy="${r(sy(run[0]![1]))}" r="2.5" fill="${color}"/>`
          : `<polyline points="${points}" fill="none" stroke="${color}" stroke-width="1.5"/>`,
      );
    }
    const lx = margin.left + (i % 3) * (plotW / 3);
    const ly = height - legendHeight + 18 * Math.floor(i / 3) + 4;
    parts.push(
      `<rect x="${r(lx)}" y="${ly}" width="12" height="3" fill="${color}"/>`,
      `<text x="${r(lx + 16)}" y="${ly + 5}">${escapeXml(s.label)}</text>`,
    );
  });
  // No xmlns: inline SVG in HTML needs none, and the report holds no URL at all.
  return `<svg viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">` +
    parts.join("") + "</svg>";
}

/** The runs of consecutive finite points. */
function segments(points: readonly (readonly [number, number])[]): (readonly [number, number])[][] {
  const runs: (readonly [number, number])[][] = [[]];
  for (const p of points) {
    if (isFinite(p[0]) && isFinite(p[1])) runs.at(-1)!.push(p);
    else if (runs.at(-1)!.length > 0) runs.push([]);
  }
  return runs.filter((run) => run.length > 0);
}

/** "Nice" tick values (1, 2, 5 × 10^k) covering `values`, and the axis range they span. */
function ticks(values: number[]): { min: number; max: number; values: number[] } {
  let min = values.length ? Math.min(...values) : 0;
  let max = values.length ? Math.max(...values) : 1;
  if (min === max) {
    min -= Math.abs(min) / 2 || 0.5;
    max += Math.abs(max) / 2 || 0.5;
  }
  const rough = (max - min) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const out: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) out.push(Number(v.toPrecision(12)));
  return { min: lo, max: hi, values: out };
}

function tickText(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

function r(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Escapes text for XML and HTML. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
