import assert from "node:assert/strict";
import { withFixtureProject, xpRun } from "./_query_helpers.ts";

Deno.test("xp reindex rebuilds the index and says what it did", async () => {
  await withFixtureProject(async ({ dir }) => {
    const { code, stdout, stderr } = await xpRun(["reindex"], { cwd: dir });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, "");
    assert.match(stderr, /reindexed 5 trials, \d+ rows in \d+\.\d\d s\n$/);
    const after = await xpRun(["sql", "select count(*) as n from trials", "--csv"], { cwd: dir });
    assert.equal(after.stdout, "n\n5\n");
  });
});

Deno.test("xp reindex warns about lines it skipped", async () => {
  await withFixtureProject(async ({ dir, store, keys }) => {
    await Deno.writeTextFile(`${store}/trials/${keys[0]}/events.ndjson`, "{not json\n", {
      append: true,
    });
    const { code, stderr } = await xpRun(["reindex"], { cwd: dir });
    assert.equal(code, 0);
    assert.match(stderr, /^warning: .*events\.ndjson:\d+/m);
    assert.match(stderr, /, 1 warnings?\n$/);
  });
});
