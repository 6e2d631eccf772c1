/**
 * The `xp compare --html` report: one self-contained HTML file (inline CSS, a few lines of
 * inline JS, inline SVG charts; no network, no CDN) with the side-by-side tables and each shared
 * scalar series overlaid, like experiment-results-manager's compare_runs.
 *
 * @module
 */

import { compareCell, type CompareRow, type Comparison, trialLabel } from "./compare.ts";
import { type ChartSeries, escapeXml, lineChartSvg } from "./svg_chart.ts";

/** A scalar series of the compared trials: one list of points per trial (none where absent). */
export interface ComparedSeries {
  /** The series' name, with its context when it has one (`loss {"subset":"val"}`). */
  name: string;
  /** Per trial, in the comparison's order: `[step, value]` pairs, or `undefined`. */
  points: (readonly (readonly [number, number])[] | undefined)[];
}

/** Options of {@linkcode renderCompareHtml}. */
export interface CompareHtmlOptions {
  /** The page's title. @default {"xp compare"} */
  title?: string;
  /** When the report was made (ISO 8601), shown in the footer. */
  generatedAt?: string;
}

/**
 * The report as one HTML document.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareTrials } from "./compare.ts";
 * import { renderCompareHtml } from "./compare_html.ts";
 * const base = { stage: "train", status: "ok", durationS: 1, metrics: {} };
 * const comparison = compareTrials([
 *   { ...base, key: "a", name: "a", params: { lr: 0.1 } },
 *   { ...base, key: "b", name: "b", params: { lr: 0.2 } },
 * ]);
 * const html = renderCompareHtml(comparison, [{ name: "loss", points: [[[0, 1]], [[0, 2]]] }]);
 * assert.match(html, /^<!doctype html>/);
 * assert.match(html, /<svg /);
 * assert.doesNotMatch(html, /https?:\/\//);
 * ```
 */
export function renderCompareHtml(
  comparison: Comparison,
  series: readonly ComparedSeries[],
  options: CompareHtmlOptions = {},
): string {
  const title = options.title ?? "xp compare";
  const labels = comparison.trials.map(trialLabel);
  const table = (caption: string, rows: readonly CompareRow[]) =>
    rows.length === 0 ? "" : `<h2>${escapeXml(caption)}</h2>
<table>
<thead><tr><th></th><th>${escapeXml(caption === "Metrics" ? "metric" : "name")}</th>${
      labels.map((l) => `<th>${escapeXml(l)}</th>`).join("")
    }</tr></thead>
<tbody>
${
      rows.map((row) =>
        `<tr class="${row.differs ? "differs" : "same"}"><td class="mark">${
          row.differs ? "≠" : ""
        }</td><td class="name">${escapeXml(row.name)}</td>${
          row.values.map((v) =>
            `<td class="${v === undefined ? "missing" : typeof v === "number" ? "num" : ""}">${
              escapeXml(compareCell(v))
            }</td>`
          ).join("")
        }</tr>`
      ).join("\n")
    }
</tbody>
</table>`;
  const charts = series.map((s) => {
    const lines: ChartSeries[] = [];
    s.points.forEach((points, i) => {
      if (points !== undefined) lines.push({ label: labels[i]!, points });
    });
    return `<figure>${lineChartSvg(lines, { title: s.name })}</figure>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 10px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.missing { color: #999; }
td.mark { color: #b35900; font-weight: bold; }
tr.differs td.name { font-weight: 600; }
tr.differs { background: #fff7e6; }
body.only-diff tr.same { display: none; }
figure { display: inline-block; margin: 8px 16px 8px 0; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
svg text.title { font-size: 13px; font-weight: 600; }
svg .grid { stroke: #eee; } svg .axis { stroke: #888; } svg .frame { fill: none; stroke: #888; }
footer { margin-top: 32px; color: #888; font-size: 12px; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<label><input type="checkbox" id="only-diff"> only rows that differ</label>
${table("Trial", comparison.summary)}
${table("Params", comparison.params)}
${table("Metrics", comparison.metrics)}
${charts.length ? `<h2>Series</h2>\n${charts.join("\n")}` : ""}
<footer>${comparison.trials.length} trials · made by xp${
    options.generatedAt ? ` · ${escapeXml(options.generatedAt)}` : ""
  }</footer>
<script>
document.getElementById("only-diff").addEventListener("change", function (event) {
  document.body.classList.toggle("only-diff", event.target.checked);
});
</script>
</body>
</html>
`;
}
