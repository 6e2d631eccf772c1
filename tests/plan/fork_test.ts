import assert from "node:assert/strict";
import { type ForkCandidate, noParentReason, parentOf } from "../../lib/plan/fork.ts";
import { keyOf } from "../../lib/plan/plan.ts";

const trial = (key: string, stage: string, name: string, params = {}): ForkCandidate => ({
  key,
  stage,
  name,
  params,
});

Deno.test("parentOf() from a run: same stage and name, else the fewest differing params, else none", () => {
  const source = {
    kind: "run" as const,
    runId: "r1",
    trials: [
      trial("a", "train", "lr=0.1,d=2", { lr: 0.1, model: { d: 2 }, tags: ["x"] }),
      trial("b", "train", "lr=0.01,d=4", { lr: 0.01, model: { d: 4 }, tags: ["x"] }),
      trial("c", "train", "lr=0.01,d=8", { lr: 0.01, model: { d: 8 }, tags: ["x"] }),
      trial("e", "eval", "lr=0.1,d=2", { lr: 0.1, model: { d: 2 } }),
    ],
  };
  const stages = ["train", "eval", "report"];
  const of = (stage: string, name: string, params: Record<string, unknown>) =>
    parentOf(source, stages, { stage, name, params: params as never })?.key;
  assert.equal(of("train", "lr=0.01,d=8", {}), "c", "the same name wins, whatever the params");
  assert.equal(of("eval", "lr=0.1,d=2", {}), "e");
  assert.equal(of("train", "lr=0.5,d=4", { lr: 0.5, model: { d: 4 }, tags: ["x"] }), "b");
  assert.equal(
    of("train", "lr=0.01,d=6", { lr: 0.01, model: { d: 6 }, tags: ["x"] }),
    "b",
    "ties: the first in the run",
  );
  assert.equal(
    of("train", "x", { lr: 0.1, model: { d: 8 }, tags: ["y"] }),
    "a",
    "a list is compared by value",
  );
  assert.equal(of("train", "x", { lr: 0.1, model: { d: 2 } }), "a", "a missing path counts once");
  assert.equal(of("report", "lr=0.1,d=2", {}), undefined);
  assert.equal(noParentReason(source, "report"), 'run r1 has no trial of stage "report"');
});

Deno.test("parentOf() from a trial: the trials of its stage, or of every stage when the experiment lacks it", () => {
  const source = { kind: "trial" as const, trial: trial("abcdef0123", "train", "lr=0.1") };
  const target = (stage: string) => ({ stage, name: "n", params: {} });
  assert.equal(parentOf(source, ["train", "eval"], target("train"))?.key, "abcdef0123");
  assert.equal(parentOf(source, ["train", "eval"], target("eval")), undefined);
  assert.equal(parentOf(source, ["main"], target("main"))?.key, "abcdef0123");
  assert.equal(
    noParentReason(source, "eval"),
    'trial lr=0.1 (abcdef01) is of stage "train"',
  );
});

Deno.test("keyOf() covers the parent; a trial without one keeps its key", () => {
  const parts = { experiment: "e", stage: "s", canonical: '{"lr":1}', code: "c", deps: [] };
  const plain = keyOf(parts);
  assert.equal(keyOf({ ...parts, parent: undefined }), plain);
  assert.notEqual(keyOf({ ...parts, parent: "p1" }), plain);
  assert.notEqual(keyOf({ ...parts, parent: "p1" }), keyOf({ ...parts, parent: "p2" }));
  assert.equal(keyOf({ ...parts, parent: "p1" }), keyOf({ ...parts, parent: "p1" }));
});
