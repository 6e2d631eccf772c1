/** Merging staged trials by key: ok is kept, missing added, not-ok replaced only by ok. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../_helpers.ts";
import { storeLayout } from "../../lib/store/layout.ts";
import { mergeStaged } from "../../lib/store/merge.ts";

async function trial(root: string, key: string, state: string, note: string): Promise<void> {
  await Deno.mkdir(join(root, "trials", key), { recursive: true });
  await Deno.writeTextFile(join(root, "trials", key, "status.json"), JSON.stringify({ state }));
  await Deno.writeTextFile(join(root, "trials", key, "from.txt"), note);
}

Deno.test("mergeStaged keeps ok trials, adds missing ones, replaces failed ones by ok ones", async () => {
  await withTempDir(async (dir) => {
    const store = join(dir, "store");
    const staging = join(dir, "staging");
    await trial(store, "a", "ok", "store");
    await trial(store, "b", "failed", "store");
    await trial(store, "c", "failed", "store");
    await trial(staging, "a", "ok", "staging");
    await trial(staging, "b", "ok", "staging");
    await trial(staging, "c", "failed", "staging");
    await trial(staging, "d", "failed", "staging");
    await Deno.mkdir(join(staging, "runs", "r1"), { recursive: true });
    await Deno.writeTextFile(join(staging, "runs", "r1", "run.json"), "{}");
    const layout = storeLayout(store);
    const report = await mergeStaged(layout, staging);
    assert.deepEqual(report, { added: ["d"], replaced: ["b"], kept: 2, runs: ["r1"], blobs: 0 });
    const from = (key: string) => Deno.readTextFile(join(store, "trials", key, "from.txt"));
    assert.deepEqual(
      await Promise.all(["a", "b", "c", "d"].map(from)),
      ["store", "staging", "store", "staging"],
    );
  });
});
