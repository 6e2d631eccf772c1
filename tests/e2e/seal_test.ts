/** `xp seal` and `xp verify`: a sealed run's changed, missing and added files are reported. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import { FIXTURE_RUN, standardTrials, writeFixtureStore } from "../query/_fixtures.ts";

Deno.test("xp verify passes after xp seal and reports each change since", async () => {
  await withTempDir(async (dir) => {
    const keys = await writeFixtureStore(join(dir, ".xp"), standardTrials());
    const none = await xp(["verify"], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /error: No run is sealed\nhint: /);
    const sealed = await xp(["seal", FIXTURE_RUN], { cwd: dir });
    assert.equal(sealed.code, 0, sealed.stderr);
    assert.match(sealed.stderr, new RegExp(`sealed ${FIXTURE_RUN}: 5 trials, \\d+ files`));
    const clean = await xp(["verify"], { cwd: dir });
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stderr, /files match the seal/);

    // Tags and notes stay editable; a change to a result does not.
    assert.equal((await xp(["tag", keys[0]!, "keep=yes"], { cwd: dir })).code, 0);
    const trial = join(dir, ".xp", "trials", keys[0]!);
    await Deno.writeTextFile(join(trial, "events.ndjson"), "\n", { append: true });
    await Deno.remove(join(dir, ".xp", "trials", keys[1]!, "stdout.log"));
    await Deno.writeTextFile(join(trial, "extra.txt"), "x");
    const changed = await xp(["verify", FIXTURE_RUN], { cwd: dir });
    assert.equal(changed.code, 1);
    assert.equal(
      changed.stdout,
      `changed  trials/${keys[0]}/events.ndjson\n` +
        `missing  trials/${keys[1]}/stdout.log\n` +
        `added    trials/${keys[0]}/extra.txt\n`,
    );
    assert.match(changed.stderr, /3 files differ from the seal/);
    const unknown = await xp(["seal", "nope"], { cwd: dir });
    assert.equal(unknown.code, 2);
  });
});
