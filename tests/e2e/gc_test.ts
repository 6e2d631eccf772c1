/** `xp gc`: reports unreferenced blobs and stale attempts, and deletes them only with --delete. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import { openStore } from "../../lib/store/mod.ts";
import { standardTrials, writeFixtureStore } from "../query/_fixtures.ts";
import { entries, exists, writeFiles } from "./_run_helpers.ts";

Deno.test("xp gc reports garbage, keeps it without --delete, and deletes only garbage", async () => {
  await withTempDir(async (dir) => {
    const store = join(dir, ".xp");
    const keys = await writeFixtureStore(store, standardTrials());
    await (await openStore(store)).close();
    const orphan = `ff${"0".repeat(62)}`;
    await writeFiles(store, {
      [`blobs/sha256/ff/${orphan}`]: "nobody points here",
      [`trials/${keys[0]}/attempts/1/stderr.log`]: "first try failed\n",
    });
    const prefixes = await entries(join(store, "blobs", "sha256"));
    assert.ok(prefixes.length > 1, "the fixtures store blobs of their own");

    const report = await xp(["gc", "-v"], { cwd: dir });
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /^1 unreferenced blobs, 18 B$/m);
    assert.match(report.stdout, /^1 stale attempts, 17 B$/m);
    assert.match(report.stdout, new RegExp(`blobs/sha256/ff/${orphan}`));
    assert.match(report.stderr, /nothing deleted/);
    assert.ok(await exists(join(store, "blobs", "sha256", "ff", orphan)));

    const deleted = await xp(["gc", "--delete"], { cwd: dir });
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stderr, /deleted 35 B/);
    assert.ok(!(await exists(join(store, "blobs", "sha256", "ff", orphan))));
    assert.ok(!(await exists(join(store, "trials", keys[0]!, "attempts", "1"))));
    // The referenced blobs stay; the emptied prefix directory goes.
    assert.deepEqual(
      await entries(join(store, "blobs", "sha256")),
      prefixes.filter((p) => p !== "ff"),
    );

    const again = await xp(["gc"], { cwd: dir });
    assert.match(again.stdout, /^0 unreferenced blobs, 0 B\n0 stale attempts, 0 B\n$/);
  });
});
