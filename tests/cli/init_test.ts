import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xpInProcess } from "../_helpers.ts";

Deno.test("xp init writes a YAML experiment that plans 12 trials", async () => {
  await withTempDir(async (dir) => {
    const init = await xpInProcess(["init", "demo"], { cwd: dir });
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /wrote xp\.yaml, train\.ts, eval\.ts in demo\//);
    const plan = await xpInProcess(["run", "--dry-run", "--json"], { cwd: join(dir, "demo") });
    assert.equal(plan.code, 0, plan.stderr);
    const trials = plan.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(trials.length, 12);
    assert.deepEqual([...new Set(trials.map((t) => t.stage))], ["train", "eval"]);
  });
});

Deno.test("xp init --ts writes an xp.ts experiment that plans the same trials", async () => {
  await withTempDir(async (dir) => {
    assert.equal((await xpInProcess(["init", "--ts"], { cwd: dir })).code, 0);
    const plan = await xpInProcess(["run", "--dry-run", "--json"], { cwd: dir });
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal(plan.stdout.trim().split("\n").length, 12);
  });
});

Deno.test("xp init refuses to overwrite, and --force overwrites", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "xp.yaml"), "mine");
    const refused = await xpInProcess(["init"], { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Cannot write xp\.yaml in \.: already there/);
    assert.equal(await Deno.readTextFile(join(dir, "xp.yaml")), "mine");
    assert.equal((await xpInProcess(["init", "--force"], { cwd: dir })).code, 0);
    assert.match(await Deno.readTextFile(join(dir, "xp.yaml")), /^# An example xp experiment/);
  });
});
