import assert from "node:assert/strict";
import { compareCell, compareTrials } from "../../lib/query/compare.ts";
import { renderCompareHtml } from "../../lib/query/compare_html.ts";
import { lineChartSvg } from "../../lib/query/svg_chart.ts";

const base = { stage: "train", status: "ok", durationS: 1.5 };
const trials = [
  {
    ...base,
    key: "a".repeat(64),
    name: "a",
    params: { lr: 0.1, model: { depth: 2 } },
    metrics: { acc: 0.9, loss: 0.1 },
  },
  {
    ...base,
    key: "b".repeat(64),
    name: "b",
    params: { lr: 0.1, model: { depth: 4 }, extra: true },
    metrics: { acc: 0.9 },
  },
];

Deno.test("compareTrials() lines up params and metrics and marks differences", () => {
  const c = compareTrials(trials);
  assert.deepEqual(c.params.map((r) => [r.name, r.values, r.differs]), [
    ["extra", [undefined, true], true],
    ["lr", [0.1, 0.1], false],
    ["model.depth", [2, 4], true],
  ]);
  assert.deepEqual(c.metrics.map((r) => [r.name, r.differs]), [["acc", false], ["loss", true]]);
  assert.deepEqual(c.summary.map((r) => r.differs), [false, false, false]);
});

Deno.test("compareCell() shows missing values as a dash and rounds long floats", () => {
  assert.equal(compareCell(undefined), "—");
  assert.equal(compareCell(null), "NULL");
  assert.equal(compareCell(0.1 + 0.2), "0.3");
  assert.equal(compareCell({ a: 1 }), '{"a":1}');
});

Deno.test("renderCompareHtml() is one self-contained file with tables and charts", () => {
  const html = renderCompareHtml(compareTrials(trials), [
    { name: "loss", points: [[[0, 1], [1, 0.5], [2, NaN], [3, 0.2]], [[0, 2], [1, 1]]] },
    { name: 'acc {"subset":"val"}', points: [undefined, [[0, 0.5]]] },
  ], { title: "a <vs> b" });
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<title>a &lt;vs&gt; b<\/title>/);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.doesNotMatch(html, /<(link|img|iframe)\b|\bsrc=/);
  assert.equal(html.match(/<svg /g)?.length, 2);
  assert.match(html, /<tr class="differs"><td class="mark">≠<\/td><td class="name">model.depth/);
  assert.match(html, /acc \{&quot;subset&quot;:&quot;val&quot;\}/);
  // The NaN splits the first line in two.
  const first = html.slice(html.indexOf("<svg "), html.indexOf("</svg>"));
  assert.equal(first.match(/<polyline /g)?.length, 2);
});

Deno.test("lineChartSvg() draws one point as a dot and survives a flat or empty series", () => {
  assert.match(lineChartSvg([{ label: "x", points: [[1, 5]] }], { title: "t" }), /<circle /);
  assert.match(
    lineChartSvg([{ label: "x", points: [[0, 2], [1, 2]] }], { title: "t" }),
    /<polyline /,
  );
  assert.doesNotMatch(lineChartSvg([], { title: "t" }), /NaN/);
});
