import assert from "node:assert/strict";
import { join } from "node:path";
import { withFixtureProject, xpRun } from "./_query_helpers.ts";

const COUNT = ["sql", "select count(*) as n from trials", "--csv"];

Deno.test("the query commands find the store: --store, XP_STORE, ./.xp, a parent's .xp", async (t) => {
  await withFixtureProject(async ({ dir, store }) => {
    const sub = join(dir, "a", "b");
    await Deno.mkdir(sub, { recursive: true });
    const elsewhere = await Deno.makeTempDir();
    try {
      const cases: [string, string[], Record<string, string>][] = [
        [dir, [], {}],
        [sub, [], {}],
        [elsewhere, ["--store", store], {}],
        [elsewhere, [], { XP_STORE: store }],
        [dir, ["--store", ".xp"], {}],
      ];
      for (const [cwd, extra, env] of cases) {
        await t.step(
          `${cwd === sub ? "subdir" : cwd === dir ? "project" : "elsewhere"} ${extra.join(" ")} ${
            Object.keys(env).join("")
          }`,
          async () => {
            const { code, stdout, stderr } = await xpRun([...extra, ...COUNT], { cwd, env });
            assert.equal(code, 0, stderr);
            assert.equal(stdout, "n\n5\n");
          },
        );
      }
      await t.step("none found", async () => {
        const { code, stderr } = await xpRun(COUNT, { cwd: elsewhere });
        assert.equal(code, 2);
        assert.match(
          stderr,
          /^error: No store \(\.xp\/\) in .* or any parent directory\nhint: run "xp run" first/,
        );
      });
      await t.step("--store names nothing", async () => {
        const { code, stderr } = await xpRun(["--store", "nope", ...COUNT], { cwd: elsewhere });
        assert.equal(code, 2);
        assert.match(stderr, /^error: No store at .*nope\nhint: run "xp run" to create one/);
      });
    } finally {
      await Deno.remove(elsewhere, { recursive: true });
    }
  });
});

Deno.test("a missing index is rebuilt with a note", async () => {
  await withFixtureProject(
    async ({ dir }) => {
      const { code, stderr } = await xpRun(COUNT, { cwd: dir });
      assert.equal(code, 0);
      assert.match(stderr, /^note: the index .* was missing: rebuilt from 5 trials\n/);
      const again = await xpRun(COUNT, { cwd: dir });
      assert.equal(again.stderr, "");
    },
    undefined,
    { noIndex: true },
  );
});

Deno.test("-q leaves the note out", async () => {
  await withFixtureProject(
    async ({ dir }) => {
      const quiet = await xpRun(["-q", ...COUNT], { cwd: dir });
      assert.equal(quiet.code, 0);
      assert.equal(quiet.stderr, "");
    },
    undefined,
    { noIndex: true },
  );
});
