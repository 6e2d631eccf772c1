/**
 * `xp run --from RUN_OR_TRIAL` as a user runs it: forked trials record their parent, start from
 * its checkpoint, are trials of their own (cached as such), share unchanged artifacts as blobs,
 * and their lineage survives `xp reindex` and an archive imported elsewhere.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type CliResult, withTempDir, xp } from "../_helpers.ts";
import type { TrialMeta } from "../../lib/store/mod.ts";
import {
  ndjson,
  type PlanRow,
  readJson,
  runRecords,
  type StoredTrial,
  storedTrials,
  writeFiles,
} from "./_run_helpers.ts";

/** A TS stage that resumes from its checkpoint, and a command stage that reports its parent. */
const FILES = {
  "xp.yaml": [
    "name: fork",
    "params: { lr: 0.1, epochs: 2 }",
    "sweep: { lr: [0.1, 0.01] }",
    "stages:",
    "  train:",
    "    script: train.ts",
    "  eval:",
    '    command: echo "$XP_PARENT_KEY $XP_PARENT_DIR" > ${out}/parent.txt',
    "    depends_on: [train]",
    "",
  ].join("\n"),
  "train.ts": `
export default (cfg: { lr: number; epochs: number }, ctx: any) => {
  const state = ctx.restore() ?? { epoch: 0 };
  state.epoch += cfg.epochs;
  ctx.checkpoint(state);
  // The same bytes in every trial of an lr: a fork's copy must not add a blob.
  Deno.writeTextFileSync(\`\${ctx.out}/model.bin\`, \`weights for lr \${cfg.lr}\`);
  ctx.log.artifact("model", "model.bin");
  return { epoch: state.epoch, parent_epoch: ctx.parent?.result?.epoch ?? -1, parent: ctx.parent?.key ?? null };
};
`,
};

async function withProject(fn: (dir: string, run: Run) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    await writeFiles(dir, FILES);
    await fn(dir, async (...args) => await xp(args, { cwd: dir }));
  });
}

type Run = (...args: string[]) => Promise<CliResult>;

async function ok(result: Promise<CliResult>): Promise<CliResult> {
  const done = await result;
  assert.equal(done.code, 0, done.stderr);
  return done;
}

/** `stage name` → the stored trial, among those `keep` accepts. */
async function byName(dir: string, keep: (t: StoredTrial) => boolean = () => true) {
  const found = new Map<string, StoredTrial>();
  for (const t of await storedTrials(dir)) {
    if (keep(t)) found.set(`${t.meta.stage} ${t.meta.name}`, t);
  }
  return found;
}

async function blobCount(dir: string): Promise<number> {
  let n = 0;
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isDirectory) await walk(join(path, entry.name));
      else n++;
    }
  };
  await walk(join(dir, ".xp", "blobs"));
  return n;
}

function result(trial: StoredTrial): Promise<Record<string, unknown>> {
  return Deno.readTextFile(join(trial.dir, "events.ndjson")).then((text) =>
    ndjson(text).find((e) => e.t === "result")!.value as Record<string, unknown>
  );
}

Deno.test("xp run --from RUN: each trial forks from the run's trial of its name, resumes its checkpoint, shares blobs, is cached as itself", async () => {
  await withProject(async (dir, run) => {
    await ok(run("run", "-q"));
    const [first] = await runRecords(dir);
    const plain = await byName(dir);
    const blobs = await blobCount(dir);

    const plan = ndjson<PlanRow & { parent: string | null }>(
      (await ok(run("run", "--dry-run", "--json", "--from", first!.run_id))).stdout,
    );
    assert.equal(plan.length, 4);
    for (const row of plan) {
      const parent = plain.get(`${row.stage} ${row.name}`)!;
      assert.equal(row.parent, parent.key, `${row.stage} ${row.name} forks from its namesake`);
      assert.notEqual(row.key, parent.key, "a forked trial is a trial of its own");
      assert.equal(row.state, "todo", "not answered from the plain run's cache");
    }

    await ok(run("run", "-q", "--from", first!.run_id));
    const forked = await byName(dir, (t) => t.meta.parent !== undefined);
    assert.equal(forked.size, 4);
    const train = forked.get("train lr=0.1")!;
    assert.equal(train.meta.parent, plain.get("train lr=0.1")!.key);
    assert.deepEqual(await result(train), {
      epoch: 4,
      parent_epoch: 2,
      parent: plain.get("train lr=0.1")!.key,
    });
    const evalParent = plain.get("eval lr=0.01")!;
    assert.equal(
      await Deno.readTextFile(join(forked.get("eval lr=0.01")!.dir, "out", "parent.txt")),
      `${evalParent.key} ${evalParent.dir}\n`,
    );
    assert.deepEqual(await readJson(join(train.dir, "parent.json")), {
      stage: "train",
      name: "lr=0.1",
      key: plain.get("train lr=0.1")!.key,
      result: { epoch: 2, parent_epoch: -1, parent: null },
      out: join(plain.get("train lr=0.1")!.dir, "out"),
    });
    assert.equal(await blobCount(dir), blobs, "unchanged model.bin files are the same blobs");
    const models = await ok(run(
      "sql",
      "--csv",
      "select count(distinct sha256) as n, count(*) as m from artifacts where name = 'model'",
    ));
    assert.equal(models.stdout, "n,m\n2,4\n");

    await ok(run("run", "-q", "--from", first!.run_id));
    await ok(run("run", "-q"));
    const records = await runRecords(dir);
    assert.equal(records.length, 4);
    assert.equal(records[1]!.from, first!.run_id);
    assert.deepEqual(records[2]!.plan, { trials: 4, cached: 4, todo: 0, blocked: 0, excluded: 0 });
    assert.deepEqual(records[3]!.plan.cached, 4, "the plain trials are still cached");
    assert.equal((await storedTrials(dir)).length, 8);
  });
});

Deno.test("xp run --from TRIAL forks its stage; lineage is a chain in SQL and xp show, kept by reindex and archives", async () => {
  await withProject(async (dir, run) => {
    await ok(run("run", "-q"));
    await ok(run("run", "-q", "--from", "latest"));
    const second = await byName(dir, (t) => t.meta.parent !== undefined);
    const middle = second.get("train lr=0.1")!;
    const root = middle.meta.parent!;

    const dry = await ok(run("run", "--dry-run", "--from", middle.key.slice(0, 10), "epochs=1"));
    const rows = dry.stdout.trim().split("\n").slice(1).map((l) => l.split(/\s{2,}/));
    const parentCell = `lr=0.1 (${middle.key.slice(0, 8)})`;
    assert.deepEqual(rows.map((r) => [r[1], r[2], r[4]]), [
      ["train", "lr=0.1", parentCell],
      ["train", "lr=0.01", parentCell],
      ["eval", "lr=0.1", "-"],
      ["eval", "lr=0.01", "-"],
    ]);
    assert.match(
      dry.stderr,
      new RegExp(
        `note: 2 trials of stage "eval" fork from nothing: trial lr=0.1 \\(${
          middle.key.slice(0, 8)
        }\\) is of stage "train"`,
      ),
    );

    await ok(run("run", "-q", "--from", middle.key.slice(0, 10), "epochs=1", "--stage", "train"));
    const third = (await storedTrials(dir)).filter((t) => t.meta.parent === middle.key);
    assert.equal(third.length, 2);
    const leaf = third.find((t) => t.meta.name === "lr=0.1")!;
    assert.equal((await result(leaf)).epoch, 5, "2 + 2 epochs restored, then 1 more");

    const query = "select key, ancestor, depth, name, ancestor_name from lineage " +
      `where key = '${leaf.key}' order by depth`;
    const expected = `key,ancestor,depth,name,ancestor_name\n` +
      `${leaf.key},${middle.key},1,lr=0.1,lr=0.1\n${leaf.key},${root},2,lr=0.1,lr=0.1\n`;
    assert.equal((await ok(run("sql", "--csv", query))).stdout, expected);
    const parents = await ok(
      run("sql", "--csv", "select count(*) as n from trials where parent is not null"),
    );
    assert.equal(parents.stdout, "n\n6\n");

    const show = await ok(run("show", leaf.key.slice(0, 10)));
    assert.match(
      show.stdout,
      new RegExp(
        `\\n {2}lineage {5}lr=0\\.1 \\(${leaf.key.slice(0, 8)}\\) ← lr=0\\.1 \\(${
          middle.key.slice(0, 8)
        }\\) ← lr=0\\.1 \\(${root.slice(0, 8)}\\)\\n`,
      ),
    );
    const json = JSON.parse((await ok(run("show", "--json", leaf.key.slice(0, 10)))).stdout);
    assert.deepEqual(json.lineage.map((a: { key: string; depth: number }) => [a.key, a.depth]), [
      [middle.key, 1],
      [root, 2],
    ]);

    await Deno.remove(join(dir, ".xp", "index.duckdb"));
    await ok(run("reindex"));
    assert.equal((await ok(run("sql", "--csv", query))).stdout, expected);

    await ok(run("archive", "-o", "all.xpa"));
    // --store: from below the project, the project's own store would be found first.
    const other = join(dir, "other.xp");
    await ok(run("import", "--store", other, "all.xpa"));
    assert.equal((await ok(run("sql", "--store", other, "--csv", query))).stdout, expected);
    const meta = await readJson<TrialMeta>(join(other, "trials", leaf.key, "meta.json"));
    assert.equal(meta.parent, middle.key);
  });
});

Deno.test("xp run --from: unknown names exit 2 with a suggestion; a stage the run lacks forks from nothing", async () => {
  await withProject(async (dir, run) => {
    const none = await run("run", "--from", "latest");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^error: --from latest: the store .* has no trials to fork from\n/);

    await ok(run("run", "-q", "--stage", "train"));
    const [first] = await runRecords(dir);
    for (
      const [ref, hint] of [
        ["latset", /hint: did you mean "latest"\?/],
        ["lr=0.2", /hint: did you mean "lr=0\.1" or "lr=0\.01"\?/],
        ["zzzzzzzzzzzz", /hint: give a run id \("xp ls --runs"\), latest, a trial key prefix/],
      ] as const
    ) {
      const bad = await run("run", "--dry-run", "--from", ref);
      assert.equal(bad.code, 2, ref);
      assert.match(bad.stderr, new RegExp(`^error: --from ${ref}: no run or trial "${ref}" in `));
      assert.match(bad.stderr, hint);
    }
    const named = await run("run", "--dry-run", "--from", "train/lr=0.1");
    assert.equal(named.code, 0, `STAGE/NAME names one trial: ${named.stderr}`);

    const dry = await ok(run("run", "--dry-run", "--json", "--from", first!.run_id));
    const plan = ndjson<PlanRow & { parent: string | null }>(dry.stdout);
    assert.deepEqual(plan.map((r) => [r.stage, r.parent === null]), [
      ["train", false],
      ["train", false],
      ["eval", true],
      ["eval", true],
    ]);
    assert.match(
      dry.stderr,
      new RegExp(
        `note: 2 trials of stage "eval" fork from nothing: run ${
          first!.run_id
        } has no trial of stage "eval"`,
      ),
    );
  });
});
