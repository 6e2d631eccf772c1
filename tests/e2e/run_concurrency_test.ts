/**
 * `xp run` end to end, two runs of one experiment at once in one store: each trial runs exactly
 * once (the trial lock), and both runs end well.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../_helpers.ts";
import { exists, runRecords, spawnXp, storedTrials, waitFor, writeFiles } from "./_run_helpers.ts";

Deno.test("two xp run of the same experiment at once run every trial exactly once", async () => {
  await withTempDir(async (dir) => {
    // ran.txt is named through $XP_EXPERIMENT_DIR: a file named by a bare word of a command is
    // hashed into the key, and the two runs must plan the same keys.
    await writeFiles(dir, {
      "xp.yaml": `name: shared
params: { i: 1 }
sweep: { i: [1, 2, 3, 4, 5, 6] }
command: echo \${trial.name} >> "$XP_EXPERIMENT_DIR/ran.txt"; sleep 0.2
`,
    });
    const first = spawnXp(["run", "-j", "2"], dir);
    const second = spawnXp(["run", "-j", "2"], dir);
    const results = await Promise.all([first.done(), second.done()]);
    for (const { code, stdout, stderr } of results) {
      assert.equal(code, 0, stderr);
      assert.equal(stdout, "");
      assert.match(stderr, /\nok: /);
    }
    const lines = (await Deno.readTextFile(join(dir, "ran.txt"))).trim().split("\n").sort();
    assert.deepEqual(lines, ["i=1", "i=2", "i=3", "i=4", "i=5", "i=6"]);
    const trials = await storedTrials(dir);
    assert.deepEqual(trials.map((t) => [t.status?.state, t.status?.attempt]), [
      ["ok", 1],
      ["ok", 1],
      ["ok", 1],
      ["ok", 1],
      ["ok", 1],
      ["ok", 1],
    ]);
    const records = await runRecords(dir);
    assert.equal(records.length, 2);
    for (const record of records) {
      assert.equal(record.status, "ok");
      assert.equal(Object.keys(record.trials).length, 6, "each run accounts for every trial");
    }
  });
});

Deno.test("a run started while another is running the same trials does not run them again", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": `name: overlap
params: { i: 1 }
sweep: { i: [1, 2, 3, 4, 5, 6] }
command: echo \${trial.name} >> "$XP_EXPERIMENT_DIR/ran.txt"; sleep 0.3
`,
    });
    const first = spawnXp(["run", "-j", "3"], dir);
    // The second run plans while the first is busy, then walks the trials one at a time behind
    // it: each trial it reaches is running or already finished there.
    await waitFor("the first run to start trials", () => exists(join(dir, "ran.txt")));
    const second = spawnXp(["run", "-j", "1"], dir);
    const results = await Promise.all([first.done(), second.done()]);
    for (const { code, stderr } of results) assert.equal(code, 0, stderr);
    const lines = (await Deno.readTextFile(join(dir, "ran.txt"))).trim().split("\n").sort();
    assert.deepEqual(lines, ["i=1", "i=2", "i=3", "i=4", "i=5", "i=6"]);
    for (const trial of await storedTrials(dir)) {
      assert.equal(trial.status?.attempt, 1, trial.meta.name);
    }
  });
});
