import assert from "node:assert/strict";
import { splitGlobal } from "../../lib/cli/global.ts";

Deno.test("splitGlobal() takes global options before or after the command", async (t) => {
  const cases: [string, string[], string | undefined, Record<string, unknown>, string[]][] = [
    ["before", ["--store", "s", "run", "-j", "2"], "run", { store: "s" }, ["-j", "2"]],
    ["after", ["run", "-j", "2", "--store=s", "-v"], "run", { store: "s", verbose: true }, [
      "-j",
      "2",
    ]],
    ["bundled -vq", ["-vq", "ls"], "ls", { verbose: true, quiet: true }, []],
    ["mixed bundle stays", ["run", "-sv"], "run", {}, ["-sv"]],
    ["no command", ["--version"], undefined, { version: true }, []],
    ["after --", ["sql", "--", "-v"], "sql", {}, ["--", "-v"]],
    ["--store without value is left", ["run", "--store"], "run", {}, ["--store"]],
  ];
  for (const [name, argv, command, global, rest] of cases) {
    await t.step(name, () => {
      const split = splitGlobal(argv);
      assert.equal(split.command, command);
      assert.deepEqual(Object.fromEntries(split.global), global);
      assert.deepEqual(split.rest, rest);
    });
  }
});
