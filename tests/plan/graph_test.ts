import assert from "node:assert/strict";
import type { JsonObject } from "../../lib/config/model.ts";
import { renderGraph, TEXT_TRIAL_LIMIT } from "../../lib/plan/graph.ts";
import type { Plan } from "../../lib/plan/model.ts";
import { planExperiment } from "../../lib/plan/plan.ts";
import { DENO, experimentOf } from "./_experiment.ts";

async function plan(doc: JsonObject): Promise<Plan> {
  return await planExperiment(experimentOf(doc), { deno: DENO });
}

const SMALL: JsonObject = {
  sweep: { lr: [1, 2] },
  stages: {
    train: { command: "echo" },
    eval: { command: "echo", depends_on: ["train"], sweep: { split: ["a", "b"] } },
    report: {
      command: "echo",
      depends_on: ["eval"],
      gather: true,
      sweep: { lr: [1, 2], tag: ['say "hi"'] },
    },
  },
};

/** States by `stage/name`, turned into states by key. */
function statesOf(p: Plan, byId: Record<string, string>): Map<string, string> {
  return new Map(
    p.trials.flatMap((t) => {
      const state = byId[`${t.stage}/${t.name}`];
      return state === undefined ? [] : [[t.key, state]];
    }),
  );
}

Deno.test("renderGraph() as text lists every trial with its state and dependencies", async () => {
  const p = await plan(SMALL);
  const states = statesOf(p, {
    "train/lr=1": "cached",
    "train/lr=2": "todo",
    "eval/lr=1,split=a": "todo",
  });
  assert.equal(
    renderGraph(p, states, "text"),
    [
      "train: 2 trials",
      "  lr=1  cached",
      "  lr=2  todo",
      "eval: 4 trials ← train (many-to-one)",
      "  lr=1,split=a  todo      ← train/lr=1",
      "  lr=1,split=b  excluded  ← train/lr=1",
      "  lr=2,split=a  excluded  ← train/lr=2",
      "  lr=2,split=b  excluded  ← train/lr=2",
      "report: 2 trials ← eval (gather 2 each)",
      '  lr=1,tag="say \\"hi\\""  excluded  ← eval/lr=1,split=a, eval/lr=1,split=b',
      '  lr=2,tag="say \\"hi\\""  excluded  ← eval/lr=2,split=a, eval/lr=2,split=b',
    ].join("\n"),
  );
});

Deno.test("renderGraph() as text names the kind of each stage edge", async (t) => {
  const cases: [string, JsonObject, string][] = [
    ["one-to-one", {
      sweep: { lr: [1, 2] },
      stages: { a: { command: "echo" }, b: { command: "echo", depends_on: ["a"] } },
    }, "b: 2 trials ← a (one-to-one)"],
    ["gather all", {
      stages: {
        a: { command: "echo", sweep: { seed: [1, 2, 3] } },
        b: { command: "echo", depends_on: ["a"], gather: true },
      },
    }, "b: 1 trial ← a (gather all)"],
  ];
  for (const [name, doc, header] of cases) {
    await t.step(name, async () => {
      const lines = renderGraph(await plan(doc), new Map(), "text").split("\n");
      assert.ok(lines.includes(header), lines.join("\n"));
    });
  }
  await t.step("a long dependency list is cut", async () => {
    const p = await plan({
      stages: {
        a: { command: "echo", sweep: { seed: [1, 2, 3, 4, 5, 6] } },
        b: { command: "echo", depends_on: ["a"], gather: true },
      },
    });
    const last = renderGraph(p, new Map(), "text").split("\n").at(-1);
    const deps = "a/seed=1, a/seed=2, a/seed=3, a/seed=4 and 2 more";
    assert.equal(last, `  default  excluded  ← ${deps}`);
  });
});

Deno.test("renderGraph() as text summarises large plans per stage", async () => {
  const n = TEXT_TRIAL_LIMIT;
  const p = await plan({
    sweep: { lr: Array.from({ length: n }, (_, i) => i) },
    stages: {
      train: { command: "echo" },
      eval: { command: "echo", depends_on: ["train"] },
      report: { command: "echo", depends_on: ["eval"], sweep: { split: ["a", "b"] } },
    },
  });
  const states = new Map(p.trials.map((t, i) => [t.key, i % 3 === 0 ? "cached" : "todo"]));
  assert.equal(
    renderGraph(p, states, "text"),
    [
      `train (${n}): cached ${n / 3}, todo ${(2 * n) / 3}`,
      `eval (${n}) ← train (${n}), one-to-one: cached ${n / 3}, todo ${(2 * n) / 3}`,
      `report (${2 * n}) ← eval (${n}), many-to-one: cached ${(2 * n) / 3}, todo ${(4 * n) / 3}`,
    ].join("\n"),
  );
});

Deno.test("renderGraph() as DOT draws every trial and every dependency", async () => {
  const p = await plan(SMALL);
  const states = statesOf(p, { "train/lr=1": "cached", "train/lr=2": "failed" });
  const dot = renderGraph(p, states, "dot");
  const lines = dot.split("\n");
  assert.equal(lines[0], "digraph xp {");
  assert.equal(lines.at(-1), "}");
  for (const t of p.trials) {
    const node = lines.filter((l) => l.trimStart().startsWith(`"${t.key}" [`));
    assert.equal(node.length, 1, `one node for ${t.stage}/${t.name}`);
    // DOT escapes backslashes and quotes in the label.
    const name = t.name.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
    assert.ok(node[0]!.includes(`label="${t.stage}\\n${name}"`));
    for (const dep of t.deps) assert.ok(lines.includes(`  "${dep}" -> "${t.key}";`));
  }
  const edges = lines.filter((l) => l.includes(" -> "));
  assert.equal(edges.length, p.trials.reduce((n, t) => n + t.deps.length, 0));
  const train1 = lines.find((l) => l.includes('label="train\\nlr=1"'))!;
  assert.match(train1, /tooltip="cached", fillcolor="#c8e6c9"/);
  const train2 = lines.find((l) => l.includes('label="train\\nlr=2"'))!;
  assert.match(train2, /tooltip="failed", fillcolor="#ffcdd2"/);
  assertValidDot(dot);
});

/** A small check of the DOT grammar this renderer uses: statements, quoted strings, braces. */
function assertValidDot(dot: string): void {
  const quoted = String.raw`"(?:[^"\\]|\\.)*"`;
  const attrs = String.raw`\[(?:\w+=(?:${quoted}|\w+)(?:, )?)+\]`;
  const statement = new RegExp(
    String.raw`^\s*(?:digraph xp \{|\}|rankdir=LR;|node ${attrs};|subgraph ${quoted} \{|` +
      String.raw`label=${quoted};|${quoted} ${attrs};|${quoted} -> ${quoted};)$`,
  );
  let depth = 0;
  for (const line of dot.split("\n")) {
    assert.match(line, statement);
    depth += (line.endsWith("{") ? 1 : 0) - (line.trim() === "}" ? 1 : 0);
    assert.ok(depth >= 0);
  }
  assert.equal(depth, 0);
}
