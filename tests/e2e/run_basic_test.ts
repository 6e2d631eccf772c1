/**
 * `xp run` end to end, the happy path: sweeps of command and TS trials, every file of the store,
 * caching by key, `${…}` substitution, the output modes (`--json`, `-s`, `--dry-run`, `--graph`)
 * and a two-stage DAG with a gather stage.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import {
  entries,
  exists,
  ndjson,
  type PlanRow,
  readJson,
  runRecords,
  storedTrial,
  storedTrials,
  writeFiles,
} from "./_run_helpers.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const RUN_ID = /^\d{8}T\d{9}Z-[0-9a-f]{4}$/;

/** The plan as `xp run --dry-run --json` prints it. */
async function plan(dir: string, ...args: string[]): Promise<PlanRow[]> {
  const { code, stdout, stderr } = await xp(["run", "--dry-run", "--json", "-q", ...args], {
    cwd: dir,
  });
  assert.equal(code, 0, stderr);
  return ndjson<PlanRow>(stdout);
}

const COMMAND_GRID = `name: grid
params: { lr: 0.1, depth: 2 }
sweep:
  lr: [0.1, 0.01]
  depth: [2, 4]
command: |
  echo "lr=\${lr} depth=\${depth}"
  echo '{"t":"metric","name":"width","value":'\${depth}'}' >> "$XP_EVENTS"
  echo done > \${out}/marker.txt
`;

Deno.test("xp run runs a 2-axis sweep of command trials and records every file", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": COMMAND_GRID });
    const before = await plan(dir);
    assert.deepEqual(before.map((r) => [r.name, r.state]), [
      ["lr=0.1,depth=2", "todo"],
      ["lr=0.1,depth=4", "todo"],
      ["lr=0.01,depth=2", "todo"],
      ["lr=0.01,depth=4", "todo"],
    ]);

    const { code, stdout, stderr } = await xp(["run", "-j", "2"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "", "human output goes to stderr");
    assert.match(stderr, /^xp run \S+: grid, 4 trials \(4 to run, 0 cached\), -j 2\n/);
    assert.equal(stderr.match(/^ {2}start {2}main /gm)?.length, 4);
    assert.equal(stderr.match(/^ {2}ok {5}main /gm)?.length, 4);
    const summary = /\nok: 4 ok in \S+ \(run (\S+)\)\n$/.exec(stderr);
    assert.ok(summary, stderr);
    const runId = summary[1]!;
    assert.match(runId, RUN_ID);

    const store = await entries(join(dir, ".xp"));
    for (const name of ["VERSION", "index.duckdb", "runs", "trials"]) {
      assert.ok(store.includes(name), `.xp/ has ${name}: ${store}`);
    }
    assert.equal(await Deno.readTextFile(join(dir, ".xp", "VERSION")), "1\n");
    const trials = await storedTrials(dir);
    assert.deepEqual(trials.map((t) => t.key).sort(), before.map((r) => r.key).sort());
    for (const row of before) {
      const trial = trials.find((t) => t.key === row.key)!;
      assert.deepEqual(await entries(trial.dir), [
        "config.json",
        "deps.json",
        "events.ndjson",
        "meta.json",
        "out",
        "status.json",
        "stderr.log",
        "stdout.log",
      ]);
      const { lr, depth } = row.params as { lr: number; depth: number };
      // config.json is canonical JSON: sorted keys, no spaces.
      assert.equal(
        await Deno.readTextFile(join(trial.dir, "config.json")),
        `{"depth":${depth},"lr":${lr}}\n`,
      );
      const { meta, status } = trial;
      assert.equal(meta.experiment, "grid");
      assert.equal(meta.stage, "main");
      assert.equal(meta.name, row.name);
      assert.equal(meta.key, trial.key);
      assert.match(meta.code_digest, /^[0-9a-f]{16,64}$/);
      assert.deepEqual(meta.deps, []);
      assert.deepEqual(Object.keys(meta.git).sort(), ["branch", "commit", "diff", "dirty"]);
      assert.equal(meta.os, `${Deno.build.os}/${Deno.build.arch}`);
      assert.equal(meta.cpus, navigator.hardwareConcurrency);
      assert.equal(meta.versions.deno, Deno.version.deno);
      assert.equal(typeof meta.versions.xp, "string");
      assert.equal(meta.host, Deno.hostname());
      assert.deepEqual(meta.swept, { lr, depth });
      assert.ok(status);
      assert.equal(status.state, "ok");
      assert.equal(status.exit_code, 0);
      assert.equal(status.signal, null);
      assert.equal(status.error, null);
      assert.equal(status.attempt, 1);
      assert.equal(status.run_id, runId);
      assert.match(status.started_at!, ISO);
      assert.match(status.finished_at!, ISO);
      assert.ok(status.started_at! <= status.finished_at!);
      assert.equal(status.pid, undefined, "a finished status names no owner process");
      assert.equal(
        await Deno.readTextFile(join(trial.dir, "stdout.log")),
        `lr=${lr} depth=${depth}\n`,
      );
      assert.equal(await Deno.readTextFile(join(trial.dir, "stderr.log")), "");
      assert.deepEqual(ndjson(await Deno.readTextFile(join(trial.dir, "events.ndjson"))), [
        { t: "metric", name: "width", value: depth },
      ]);
      assert.equal(await Deno.readTextFile(join(trial.dir, "out", "marker.txt")), "done\n");
    }

    const [record, ...more] = await runRecords(dir);
    assert.equal(more.length, 0);
    assert.ok(record);
    assert.equal(record.run_id, runId);
    assert.deepEqual(record.argv, ["run", "-j", "2"]);
    assert.equal(record.cwd, dir);
    assert.equal(record.experiment, "grid");
    assert.equal(record.experiment_file, join(dir, "xp.yaml"));
    assert.equal(record.status, "ok");
    assert.match(record.finished_at!, ISO);
    assert.deepEqual(record.plan, { trials: 4, cached: 0, todo: 4, blocked: 0, excluded: 0 });
    assert.deepEqual(record.counts, { ok: 4 });
    assert.deepEqual(
      Object.entries(record.trials).map(([key, t]) => [key, t.name, t.outcome]).sort(),
      before.map((r) => [r.key, r.name, "ok"]).sort(),
    );
  });
});

const TS_GRID = {
  "xp.yaml": `name: tsgrid
params: { lr: 0.1, depth: 2 }
sweep:
  lr: [0.5, 0.25]
  depth: [2, 4]
script: train.ts
`,
  "train.ts": `import type { TrialContext } from "xp";

type Cfg = { lr: number; depth: number };

export default function train(cfg: Cfg, ctx: TrialContext<Cfg>) {
  for (let step = 0; step < 3; step++) ctx.log.scalar("loss", cfg.lr / (step + 1), { step });
  Deno.writeTextFileSync(\`\${ctx.out}/model.txt\`, \`depth \${cfg.depth}\`);
  console.log(\`trained \${ctx.name}\`);
  return { score: cfg.lr * cfg.depth };
}
`,
};

Deno.test("xp run runs a 2-axis sweep of TS trials; the result lands as a result event", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, TS_GRID);
    const { code, stdout, stderr } = await xp(["run", "-j", "4"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, /\nok: 4 ok in /);
    const trials = await storedTrials(dir);
    assert.equal(trials.length, 4);
    for (const trial of trials) {
      const { lr, depth } = trial.meta.swept as { lr: number; depth: number };
      assert.equal(trial.status?.state, "ok");
      assert.equal(trial.status?.attempt, 1);
      for (const file of ["config.json", "meta.json", "stdout.log", "stderr.log", "deps.json"]) {
        assert.ok(await exists(join(trial.dir, file)), `${trial.meta.name}: ${file}`);
      }
      assert.equal(
        await Deno.readTextFile(join(trial.dir, "stdout.log")),
        `trained ${trial.meta.name}\n`,
      );
      assert.equal(await Deno.readTextFile(join(trial.dir, "out", "model.txt")), `depth ${depth}`);
      const events = ndjson(await Deno.readTextFile(join(trial.dir, "events.ndjson")));
      assert.deepEqual(events.map((e) => [e.t, e.name, e.step]), [
        ["scalar", "loss", 0],
        ["scalar", "loss", 1],
        ["scalar", "loss", 2],
        ["result", undefined, undefined],
      ]);
      assert.deepEqual(events.at(-1), { t: "result", value: { score: lr * depth } });
    }
  });
});

Deno.test("a second xp run starts nothing and reports every trial cached", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, TS_GRID);
    assert.equal((await xp(["run", "-q"], { cwd: dir })).code, 0);
    const first = await storedTrials(dir);

    const { code, stdout, stderr } = await xp(["run"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, /^xp run \S+: tsgrid, 4 trials \(0 to run, 4 cached\), -j \d+\n/);
    assert.doesNotMatch(stderr, /start/);
    assert.match(stderr, /\nok: 4 cached in \S+ \(run \S+\)\n$/);
    assert.deepEqual(await storedTrials(dir), first, "no trial file changed");
    assert.deepEqual((await plan(dir)).map((r) => r.state), [
      "cached",
      "cached",
      "cached",
      "cached",
    ]);
    const records = await runRecords(dir);
    assert.equal(records.length, 2);
    assert.equal(records[1]!.status, "ok");
    assert.deepEqual(records[1]!.counts, { cached: 4 });
    assert.deepEqual(records[1]!.plan, { trials: 4, cached: 4, todo: 0, blocked: 0, excluded: 0 });
  });
});

Deno.test("editing a stage's code re-runs exactly that stage and its dependents", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: edit
params: { lr: 0.1 }
sweep: { lr: [0.1, 0.2] }
stages:
  prep:
    command: echo prep
  train:
    script: train.ts
  eval:
    command: echo eval \${lr}
    depends_on: [train]
`,
      "train.ts": `import { scale } from "./helper.ts";
export default (cfg: { lr: number }) => ({ score: scale(cfg.lr) });
`,
      "helper.ts": "export const scale = (x: number) => x * 10;\n",
    });
    assert.equal((await xp(["run", "-q"], { cwd: dir })).code, 0);
    const first = await plan(dir);
    assert.ok(first.every((r) => r.state === "cached"));

    // The script itself changes: train and eval get new keys; prep stays cached.
    await Deno.writeTextFile(
      join(dir, "train.ts"),
      (await Deno.readTextFile(join(dir, "train.ts"))) + "// tuned\n",
    );
    const second = await plan(dir);
    assert.deepEqual(second.map((r) => [r.stage, r.state]), [
      ["prep", "cached"],
      ["prep", "cached"],
      ["train", "todo"],
      ["train", "todo"],
      ["eval", "todo"],
      ["eval", "todo"],
    ]);
    assert.deepEqual(second.slice(0, 2), first.slice(0, 2));
    for (let i = 2; i < 6; i++) assert.notEqual(second[i]!.key, first[i]!.key);

    const { code, stdout, stderr } = await xp(["run", "--json"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const events = ndjson(stdout);
    assert.deepEqual(events[0]!.plan, { trials: 6, cached: 2, todo: 4, blocked: 0 });
    const started = events.filter((e) => e.type === "trial_started").map((e) => e.stage).sort();
    assert.deepEqual(started, ["eval", "eval", "train", "train"]);
    assert.equal((await storedTrials(dir)).length, 6 + 4, "the old trials stay in the store");

    // A local module the script imports is part of its code too.
    await Deno.writeTextFile(
      join(dir, "helper.ts"),
      "export const scale = (x: number) => x * 100;\n",
    );
    assert.deepEqual((await plan(dir)).map((r) => `${r.stage} ${r.state}`), [
      "prep cached",
      "prep cached",
      "train todo",
      "train todo",
      "eval todo",
      "eval todo",
    ]);
  });
});

Deno.test("command placeholders are substituted with shell quoting", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: subst
params:
  lr: 0.5
  model: { depth: 3 }
  msg: plain
sweep:
  msg: ["it's a \\"test\\"  two  spaces"]
stages:
  train:
    command: echo weights > \${out}/w.txt
  eval:
    depends_on: [train]
    command: >-
      printf '<%s>\\n' \${lr} \${model.depth} \${msg} \${trial.name} \${trial.key}
      \${out} \${deps.train.out} \${experiment.dir};
      cat \${deps.train.out}/w.txt;
      test \${out} = "$XP_OUT" && echo same-out
`,
    });
    const { code, stderr } = await xp(["run", "-j", "2"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const msg = `it's a "test"  two  spaces`;
    // A string value in a trial name is JSON-quoted.
    const name = `msg=${JSON.stringify(msg)}`;
    const train = await storedTrial(dir, "train", name);
    const evaluate = await storedTrial(dir, "eval", name);
    assert.equal(
      await Deno.readTextFile(join(evaluate.dir, "stdout.log")),
      [
        "<0.5>",
        "<3>",
        `<${msg}>`,
        `<${name}>`,
        `<${evaluate.key}>`,
        `<${join(evaluate.dir, "out")}>`,
        `<${join(train.dir, "out")}>`,
        `<${dir}>`,
        "weights",
        "same-out",
        "",
      ].join("\n"),
    );
  });
});

Deno.test("an unknown ${name} in a command exits 2 before any trial runs", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: typo
params: { lr: 0.1 }
sweep: { lr: [0.1, 0.2] }
stages:
  first:
    command: touch ran-first
  second:
    command: echo \${lr} \${x}
`,
    });
    const { code, stdout, stderr } = await xp(["run"], { cwd: dir });
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      /^error: xp\.yaml:\d+:\d+: Cannot substitute "\$\{x\}" in the command of stage "second": no such param\nhint: /,
    );
    assert.deepEqual(await entries(dir), ["xp.yaml"], "no store, and the first stage did not run");
  });
});

Deno.test("xp run --json prints NDJSON events on stdout and nothing on stderr", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": "name: events\nparams: { n: 1 }\nsweep: { n: [1, 2] }\ncommand: echo ${n}\n",
    });
    const { code, stdout, stderr } = await xp(["run", "--json", "-j", "2"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    const events = ndjson(stdout);
    assert.equal(events[0]!.type, "run_started");
    assert.equal(events[0]!.experiment, "events");
    assert.equal(events[0]!.jobs, 2);
    assert.equal(events[0]!.store, join(dir, ".xp"));
    assert.deepEqual(events[0]!.plan, { trials: 2, cached: 0, todo: 2, blocked: 0 });
    const last = events.at(-1)!;
    assert.equal(last.type, "run_finished");
    assert.equal(last.run_id, events[0]!.run_id);
    assert.equal(last.status, "ok");
    assert.deepEqual(last.counts, { ok: 2 });
    assert.equal(typeof last.duration_s, "number");
    const types = events.slice(1, -1).map((e) => e.type).sort();
    assert.deepEqual(types, ["trial_finished", "trial_finished", "trial_started", "trial_started"]);
    for (const finished of events.filter((e) => e.type === "trial_finished")) {
      assert.equal(finished.state, "ok");
      assert.equal(finished.stage, "main");
      assert.equal(finished.attempt, 1);
      assert.deepEqual(finished.stderr_tail, []);
    }
  });
});

Deno.test("xp run -s streams each trial's output prefixed by its name", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: stream
params: { n: 1 }
sweep: { n: [1, 2] }
command: echo "hello \${n}"; echo "careful \${n}" >&2
`,
    });
    const { code, stdout, stderr } = await xp(["run", "-s", "-j", "1"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "");
    for (const n of [1, 2]) {
      assert.match(stderr, new RegExp(`^\\[n=${n}\\] hello ${n}$`, "m"));
      assert.match(stderr, new RegExp(`^\\[n=${n}\\] careful ${n}$`, "m"));
    }
    // The logs are written all the same.
    const trial = await storedTrial(dir, "main", "n=2");
    assert.equal(await Deno.readTextFile(join(trial.dir, "stdout.log")), "hello 2\n");
    assert.equal(await Deno.readTextFile(join(trial.dir, "stderr.log")), "careful 2\n");

    const forced = await xp(["run", "-s", "--force"], { cwd: dir });
    assert.equal(forced.code, 0);
    assert.match(forced.stderr, /^\[n=1\] hello 1$/m);
    const plain = await xp(["run", "--force"], { cwd: dir });
    assert.equal(plain.code, 0);
    assert.doesNotMatch(plain.stderr, /hello/, "without -s trial output stays in the logs");
  });
});

Deno.test("xp run --dry-run shows which trials are todo and which cached", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml":
        "name: dry\nparams: { lr: 0.1 }\nsweep: { lr: [0.1, 0.01] }\ncommand: echo ${lr}\n",
    });
    assert.equal((await xp(["run", "-q", "lr=0.1"], { cwd: dir })).code, 0);
    const { code, stdout, stderr } = await xp(["run", "--dry-run"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^state\s+stage\s+name\s+key\s+params$/);
    assert.match(lines[1]!, /^cached\s+main\s+lr=0\.1\s+[0-9a-f]{8}\s+lr=0\.1$/);
    assert.match(lines[2]!, /^todo\s+main\s+lr=0\.01\s+[0-9a-f]{8}\s+lr=0\.01$/);
    assert.equal(lines.length, 3);
    assert.equal(stderr, "dry run: 2 trials of dry (main 2): 1 to run, 1 cached; nothing ran\n");
    assert.equal((await storedTrials(dir)).length, 1, "nothing ran");
  });
});

const DAG = `name: dag
params: { lr: 0.1 }
sweep: { lr: [0.1, 0.2] }
stages:
  train:
    command: echo train
  eval:
    command: echo eval
    depends_on: [train]
`;

Deno.test("xp run --graph draws the trial DAG as text, --graph=dot as Graphviz", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": DAG });
    const text = await xp(["run", "--graph"], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      [
        "train: 2 trials",
        "  lr=0.1  todo",
        "  lr=0.2  todo",
        "eval: 2 trials ← train (one-to-one)",
        "  lr=0.1  todo  ← train/lr=0.1",
        "  lr=0.2  todo  ← train/lr=0.2",
        "",
      ].join("\n"),
    );
    assert.equal(text.stderr, "");

    const rows = await plan(dir);
    const dot = await xp(["run", "--graph=dot"], { cwd: dir });
    assert.equal(dot.code, 0, dot.stderr);
    assert.match(dot.stdout, /^digraph xp \{\n/);
    assert.match(dot.stdout, /\}\n$/);
    for (const row of rows) {
      assert.ok(dot.stdout.includes(`"${row.key}" [label="${row.stage}\\n${row.name}"`), row.name);
      for (const dep of row.deps) assert.ok(dot.stdout.includes(`"${dep}" -> "${row.key}";`));
    }
    assert.equal(dot.stdout.match(/ -> /g)?.length, 2);
    assert.deepEqual(await entries(dir), ["xp.yaml"], "drawing runs nothing");
  });
});

Deno.test("a gather stage runs once and sees every trial of the stage it gathers", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: gather
params: { lr: 0.1 }
sweep: { lr: [0.1, 0.2, 0.3] }
stages:
  train:
    script: train.ts
  summary:
    command: cp "$XP_DEPS" \${out}/deps.json
    depends_on: [train]
    gather: true
  best:
    script: best.ts
    depends_on: [train]
    gather: true
`,
      "train.ts": "export default (cfg: { lr: number }) => ({ acc: 1 - cfg.lr });\n",
      "best.ts": `import type { Dependency, TrialContext } from "xp";
export default (_cfg: unknown, ctx: TrialContext<unknown>) => {
  const train = ctx.deps.train as Dependency[];
  return { n: train.length, best: Math.max(...train.map((d) => (d.result as { acc: number }).acc)) };
};
`,
    });
    const { code, stderr } = await xp(["run", "-j", "3"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.match(stderr, /\nok: 5 ok in /);
    const trials = await storedTrials(dir);
    const train = trials.filter((t) => t.meta.stage === "train");
    const summary = trials.filter((t) => t.meta.stage === "summary");
    assert.equal(train.length, 3);
    assert.equal(summary.length, 1, "a gather stage is one trial");
    assert.deepEqual([...summary[0]!.meta.deps].sort(), train.map((t) => t.key).sort());

    const deps = await readJson<Record<string, unknown>[]>(
      join(summary[0]!.dir, "out", "deps.json"),
    );
    assert.deepEqual(
      deps.map(({ stage, name, key, result, out }) => ({ stage, name, key, result, out })),
      train.map((t) => ({
        stage: "train",
        name: t.meta.name,
        key: t.key,
        result: { acc: 1 - (t.meta.swept.lr as number) },
        out: join(t.dir, "out"),
      })),
    );

    const best = await storedTrial(dir, "best", summary[0]!.meta.name);
    const events = ndjson(await Deno.readTextFile(join(best.dir, "events.ndjson")));
    assert.deepEqual(events.at(-1), { t: "result", value: { n: 3, best: 0.9 } });
  });
});
