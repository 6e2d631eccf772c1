/**
 * Provenance of a run in a git repository with uncommitted changes: meta.json records OS, CPUs,
 * user and the diff of tracked files as a blob (kept by xp gc, carried by xp archive), and
 * `xp show` prints them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import { exists, storedTrials, writeFiles } from "./_run_helpers.ts";

async function git(dir: string, ...args: string[]): Promise<void> {
  const { success, stderr } = await new Deno.Command("git", {
    args: ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
}

Deno.test("a dirty tree's diff is stored once as a blob and shown by xp show", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": "name: prov\ncapture_env: [XP_TEST_GPU, XP_TEST_UNSET]\n" +
        "sweep: { n: [1, 2] }\ncommand: echo ${n}\n",
      "train.py": "print('v1')\n",
      ".gitignore": ".xp/\n",
    });
    await git(dir, "init", "-q");
    await git(dir, "add", ".");
    await git(dir, "commit", "-q", "-m", "first");
    await Deno.writeTextFile(join(dir, "train.py"), "print('v2')\n");
    const run = await xp(["run", "-q"], {
      cwd: dir,
      env: { USER: "ada", XP_TEST_GPU: "0,1", XP_TEST_SECRET: "no" },
    });
    assert.equal(run.code, 0, run.stderr);
    const trials = await storedTrials(dir);
    assert.equal(trials.length, 2);
    const diff = trials[0]!.meta.git.diff!;
    assert.match(diff, /^[0-9a-f]{64}$/);
    assert.equal(trials[1]!.meta.git.diff, diff);
    assert.equal(trials[0]!.meta.git.dirty, true);
    assert.equal(trials[0]!.meta.user, "ada");
    // Only the variables named, never the whole environment.
    assert.deepEqual(trials[0]!.meta.env, { XP_TEST_GPU: "0,1", XP_TEST_UNSET: null });
    const blob = join(dir, ".xp", "blobs", "sha256", diff.slice(0, 2), diff);
    assert.match(await Deno.readTextFile(blob), /^-print\('v1'\)\n\+print\('v2'\)$/m);

    const show = await xp(["show", trials[0]!.key.slice(0, 10)], { cwd: dir });
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`\\n  diff +sha256:${diff}\\n`));
    assert.match(show.stdout, /\n {2}user +ada\n/);
    assert.match(show.stdout, /\n {2}env +XP_TEST_GPU=0,1 XP_TEST_UNSET=\(unset\)\n/);
    assert.match(show.stdout, /\n {2}cpus +\d+\n/);

    const gc = await xp(["gc", "--delete"], { cwd: dir });
    assert.equal(gc.code, 0, gc.stderr);
    assert.ok(await exists(blob), "xp gc keeps the diff blob meta.json points at");
    const archive = await xp(["archive", "-o", "all.xpa"], { cwd: dir });
    assert.match(archive.stderr, /archived 2 trials, 1 run, 1 blob /);
  });
});
