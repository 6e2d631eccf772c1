/** `xp tag` and `xp note`: kept beside the trial files, indexed, shown by ls and show. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import { openStore } from "../../lib/store/mod.ts";
import { FIXTURE_RUN, standardTrials, writeFixtureStore } from "../query/_fixtures.ts";
import { readJson } from "./_run_helpers.ts";

async function withStore(fn: (dir: string, keys: string[]) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const keys = await writeFixtureStore(join(dir, ".xp"), standardTrials());
    await (await openStore(join(dir, ".xp"))).close();
    await fn(dir, keys);
  });
}

Deno.test("xp tag sets and removes tags in tags.json, the tags view, ls and show", async () => {
  await withStore(async (dir, keys) => {
    const key = keys[0]!;
    const set = await xp(["tag", key.slice(0, 10), "keep=yes", "paper=fig 3"], { cwd: dir });
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, `${key.slice(0, 12)}  keep=yes paper=fig 3\n`);
    assert.deepEqual(await readJson(join(dir, ".xp", "trials", key, "tags.json")), {
      keep: "yes",
      paper: "fig 3",
    });
    const sql = await xp(["sql", "--csv", "select key, name, value from tags order by name"], {
      cwd: dir,
    });
    assert.equal(sql.stdout, `key,name,value\n${key},keep,yes\n${key},paper,fig 3\n`);
    const ls = await xp(["ls"], { cwd: dir });
    assert.match(ls.stdout.split("\n")[0]!, /status\s+duration\s+tags/);
    assert.match(ls.stdout, /keep=yes paper=fig 3/);
    const json = await xp(["ls", "--json"], { cwd: dir });
    const rows = json.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows.find((r) => r.key === key).tags, { keep: "yes", paper: "fig 3" });

    const removed = await xp(["tag", key.slice(0, 10), "paper="], { cwd: dir });
    assert.equal(removed.stdout, `${key.slice(0, 12)}  keep=yes\n`);
    const reindexed = await xp(["reindex"], { cwd: dir });
    assert.equal(reindexed.code, 0, reindexed.stderr);
    const after = await xp(["sql", "--csv", "select name, value from tags"], { cwd: dir });
    assert.equal(after.stdout, "name,value\nkeep,yes\n");
  });
});

Deno.test("xp tag RUN tags every trial of the run; bad pairs exit 2", async () => {
  await withStore(async (dir, keys) => {
    const run = await xp(["tag", FIXTURE_RUN, "batch=1"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const count = await xp(
      ["sql", "--csv", "select count(*) as n from tags where name = 'batch'"],
      {
        cwd: dir,
      },
    );
    assert.equal(count.stdout, `n\n${keys.length}\n`);
    const bad = await xp(["tag", keys[0]!, "novalue"], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: "novalue" is not NAME=VALUE\nhint: /);
    const none = await xp(["tag", "zzzz-no-such", "a=b"], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /error: No trial "zzzz-no-such"/);
  });
});

Deno.test("xp note writes notes.md, the notes view and xp show; no text prints it", async () => {
  await withStore(async (dir, keys) => {
    const key = keys[1]!;
    const wrote = await xp(["note", key.slice(0, 10), "diverged after step 800"], { cwd: dir });
    assert.equal(wrote.code, 0, wrote.stderr);
    assert.equal(
      await Deno.readTextFile(join(dir, ".xp", "trials", key, "notes.md")),
      "diverged after step 800\n",
    );
    const printed = await xp(["note", key.slice(0, 10)], { cwd: dir });
    assert.equal(printed.stdout, "diverged after step 800\n");
    const sql = await xp(["sql", "--csv", "select key, note from notes"], { cwd: dir });
    assert.equal(sql.stdout, `key,note\n${key},diverged after step 800\n`);
    await xp(["tag", key.slice(0, 10), "keep=yes"], { cwd: dir });
    const show = await xp(["show", key.slice(0, 10)], { cwd: dir });
    assert.match(show.stdout, /\ntags\n {2}keep {2}yes\n\nnote\n {2}diverged after step 800\n/);
    const json = JSON.parse((await xp(["show", "--json", key.slice(0, 10)], { cwd: dir })).stdout);
    assert.deepEqual([json.tags, json.note], [{ keep: "yes" }, "diverged after step 800"]);
  });
});
