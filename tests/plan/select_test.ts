import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import type { Plan } from "../../lib/plan/model.ts";
import { planExperiment } from "../../lib/plan/plan.ts";
import { type KnownTrial, type SelectOptions, selectTrials } from "../../lib/plan/select.ts";
import { DENO, experimentOf } from "./_experiment.ts";

/** train (2) → eval (2, one-to-one) → report (1, gathers both). */
async function pipeline(): Promise<Plan> {
  const experiment = experimentOf({
    stages: {
      train: { command: "echo", sweep: { lr: [1, 2] } },
      eval: { command: "echo", depends_on: ["train"], sweep: { lr: [1, 2] } },
      report: { command: "echo", depends_on: ["eval"], gather: true },
    },
  });
  return await planExperiment(experiment, { deno: DENO });
}

const IDS = ["train/lr=1", "train/lr=2", "eval/lr=1", "eval/lr=2", "report/default"] as const;
type Id = (typeof IDS)[number];

function idOf(plan: Plan, key: string): string {
  const t = plan.byKey.get(key)!;
  return `${t.stage}/${t.name}`;
}

/** Every trial's state by id (`excluded` when left out), from known states by id. */
function select(
  plan: Plan,
  known: Partial<Record<Id, string>>,
  options: Partial<Omit<SelectOptions, "filter">> & { filter?: Id[] } = {},
): Record<string, string> {
  const keyOf = (id: string) => plan.trials.find((t) => `${t.stage}/${t.name}` === id)!.key;
  const knownByKey = new Map<string, KnownTrial>(
    Object.entries(known).map(([id, state]) => [keyOf(id), { state: state!, attempt: 1 }]),
  );
  const selection = selectTrials(plan, knownByKey, {
    stages: options.stages ?? [],
    force: options.force ?? false,
    retryFailed: options.retryFailed ?? false,
    filter: options.filter && new Set(options.filter.map(keyOf)),
  });
  const result: Record<string, string> = {};
  for (const [key, state] of selection.states) result[idOf(plan, key)] = state;
  for (const t of selection.excluded) result[`${t.stage}/${t.name}`] = "excluded";
  assert.equal(Object.keys(result).length, plan.trials.length, "every trial once");
  return result;
}

/** States in IDS order, for short tables. */
function states(...list: string[]): Record<string, string> {
  return Object.fromEntries(IDS.map((id, i) => [id, list[i]!]));
}

const ALL_OK = Object.fromEntries(IDS.map((id) => [id, "ok"])) as Record<Id, string>;

interface Case {
  name: string;
  known: Partial<Record<Id, string>>;
  options?: Partial<Omit<SelectOptions, "filter">> & { filter?: Id[] };
  expected: Record<string, string>;
}

async function runCases(t: Deno.TestContext, cases: Case[]): Promise<void> {
  const plan = await pipeline();
  for (const c of cases) {
    await t.step(c.name, () => assert.deepEqual(select(plan, c.known, c.options), c.expected));
  }
}

Deno.test("selectTrials() caches ok trials and runs the rest", async (t) => {
  await runCases(t, [
    {
      name: "nothing known: everything runs",
      known: {},
      expected: states("todo", "todo", "todo", "todo", "todo"),
    },
    {
      name: "ok trials are cached",
      known: { "train/lr=1": "ok", "train/lr=2": "ok" },
      expected: states("cached", "cached", "todo", "todo", "todo"),
    },
    {
      name: "failed trials run again",
      known: { ...ALL_OK, "eval/lr=2": "failed", "report/default": "skipped" },
      expected: states("cached", "cached", "cached", "todo", "todo"),
    },
    {
      name: "everything ok: everything cached",
      known: ALL_OK,
      expected: states("cached", "cached", "cached", "cached", "cached"),
    },
    {
      name: "a dependency that runs again makes its dependents run again",
      known: { ...ALL_OK, "train/lr=1": "interrupted" },
      expected: states("todo", "cached", "todo", "cached", "todo"),
    },
  ]);
});

Deno.test("selectTrials() forces with --force and --force=STAGE", async (t) => {
  await runCases(t, [
    {
      name: "--force runs every selected trial",
      known: ALL_OK,
      options: { force: true },
      expected: states("todo", "todo", "todo", "todo", "todo"),
    },
    {
      name: "--force=eval runs eval and what depends on it",
      known: ALL_OK,
      options: { force: "eval" },
      expected: states("cached", "cached", "todo", "todo", "todo"),
    },
    {
      name: "--force with --stage forces the dependencies pulled in too",
      known: ALL_OK,
      options: { force: true, stages: ["eval"] },
      expected: states("todo", "todo", "todo", "todo", "excluded"),
    },
    {
      name: "--force=train with --stage eval",
      known: ALL_OK,
      options: { force: "train", stages: ["eval"] },
      expected: states("todo", "todo", "todo", "todo", "excluded"),
    },
  ]);
});

Deno.test("selectTrials() selects with --stage and --filter, with dependencies", async (t) => {
  await runCases(t, [
    {
      name: "--stage eval pulls in train",
      known: {},
      options: { stages: ["eval"] },
      expected: states("todo", "todo", "todo", "todo", "excluded"),
    },
    {
      name: "--stage eval with train done",
      known: { "train/lr=1": "ok", "train/lr=2": "ok" },
      options: { stages: ["eval"] },
      expected: states("cached", "cached", "todo", "todo", "excluded"),
    },
    {
      name: "--stage train",
      known: {},
      options: { stages: ["train"] },
      expected: states("todo", "todo", "excluded", "excluded", "excluded"),
    },
    {
      name: "--filter keeps the selected keys and their dependencies",
      known: {},
      options: { filter: ["eval/lr=1"] },
      expected: states("todo", "excluded", "todo", "excluded", "excluded"),
    },
    {
      name: "--stage and --filter intersect",
      known: {},
      options: { filter: ["eval/lr=1"], stages: ["train"] },
      expected: states("excluded", "excluded", "excluded", "excluded", "excluded"),
    },
    {
      name: "a gathering trial pulls in every dependency",
      known: { "eval/lr=1": "ok" },
      options: { stages: ["report"] },
      expected: states("todo", "todo", "todo", "todo", "todo"),
    },
  ]);
});

Deno.test("selectTrials() reruns only what did not succeed with --retry-failed", async (t) => {
  await runCases(t, [
    {
      name: "failed and skipped trials run, ok ones are cached",
      known: { ...ALL_OK, "eval/lr=1": "failed", "report/default": "skipped" },
      options: { retryFailed: true },
      expected: states("cached", "cached", "todo", "cached", "todo"),
    },
    {
      name: "trials that never ran are left out",
      known: { "train/lr=1": "ok", "train/lr=2": "timeout", "eval/lr=1": "ok" },
      options: { retryFailed: true },
      expected: states("cached", "todo", "cached", "excluded", "excluded"),
    },
    {
      name: "unless a retried trial needs them",
      known: {
        "train/lr=1": "ok",
        "train/lr=2": "ok",
        "eval/lr=2": "ok",
        "report/default": "killed",
      },
      options: { retryFailed: true },
      expected: states("cached", "cached", "todo", "cached", "todo"),
    },
    {
      name: "other states (running, queued) are not retried",
      known: { ...ALL_OK, "eval/lr=1": "running", "eval/lr=2": "queued" },
      options: { retryFailed: true },
      expected: states("cached", "cached", "excluded", "excluded", "cached"),
    },
    {
      name: "with --stage",
      known: { ...ALL_OK, "eval/lr=1": "failed", "report/default": "failed" },
      options: { retryFailed: true, stages: ["eval"] },
      expected: states("cached", "excluded", "todo", "cached", "excluded"),
    },
    {
      name: "with --force=eval: forced trials and their dependents run",
      known: ALL_OK,
      options: { retryFailed: true, force: "eval" },
      expected: states("cached", "cached", "todo", "todo", "todo"),
    },
  ]);
});

Deno.test("selectTrials() blocks a trial whose dependency is left out and not ok", async () => {
  const full = await pipeline();
  // A plan missing one trial (as a caller that trims plans could make): its dependents cannot run.
  const missing = full.trials.find((t) => t.stage === "train" && t.name === "lr=1")!;
  const trials = full.trials.filter((t) => t !== missing);
  const plan: Plan = { ...full, trials, byKey: new Map(trials.map((t) => [t.key, t])) };
  const run = (state: string | undefined) => {
    const known = new Map<string, KnownTrial>();
    if (state !== undefined) known.set(missing.key, { state, attempt: 1 });
    const { states } = selectTrials(plan, known, { stages: [], force: false, retryFailed: false });
    return [...states].map(([key, s]) => `${idOf(plan, key)} ${s}`);
  };
  assert.deepEqual(run(undefined), [
    "train/lr=2 todo",
    "eval/lr=1 blocked",
    "eval/lr=2 todo",
    "report/default blocked",
  ]);
  assert.deepEqual(run("ok"), [
    "train/lr=2 todo",
    "eval/lr=1 todo",
    "eval/lr=2 todo",
    "report/default todo",
  ]);
});

Deno.test("selectTrials() rejects an unknown stage", async (t) => {
  const plan = await pipeline();
  const cases: [string, Partial<SelectOptions>, string][] = [
    ["in --stage", { stages: ["train", "evl"] }, 'Unknown stage "evl" in --stage'],
    ["in --force", { force: "nope" }, 'Unknown stage "nope" in --force'],
  ];
  for (const [name, options, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () =>
          selectTrials(plan, new Map(), {
            stages: [],
            force: false,
            retryFailed: false,
            ...options,
          }),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.equal(error.message, message);
          assert.equal(error.hint, "stages are: train, eval, report");
          return true;
        },
      );
    });
  }
});
