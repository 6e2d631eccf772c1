import assert from "node:assert/strict";
import { COMMANDS } from "../../lib/cli/mod.ts";
import { VERSION } from "../../lib/version.ts";
import { xpInProcess } from "../_helpers.ts";

Deno.test("xp --help lists every command of the architecture", async () => {
  const { code, stdout, stderr } = await xpInProcess(["--help"]);
  assert.equal(code, 0);
  assert.equal(stderr, "");
  for (
    const name of [
      "init",
      "run",
      "ls",
      "show",
      "logs",
      "sql",
      "compare",
      "export",
      "reindex",
      "serve",
    ]
  ) {
    assert.match(stdout, new RegExp(`^  ${name} `, "m"), name);
  }
});

Deno.test("xp CMD --help prints usage, options and an example for every command", async (t) => {
  for (const entry of COMMANDS) {
    await t.step(entry.name, async () => {
      const { code, stdout } = await xpInProcess([entry.name, "--help"]);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`^Usage: xp ${entry.name}`));
      assert.match(stdout, /Global options:/);
      assert.match(stdout, /Examples:\n {2}xp /);
    });
  }
});

Deno.test("xp --version prints the version", async () => {
  const { code, stdout } = await xpInProcess(["--version"]);
  assert.equal(code, 0);
  assert.match(stdout, new RegExp(`^xp ${VERSION.replaceAll(".", "\\.")} \\(deno `));
});

Deno.test("xp with a mistyped command suggests the right one and exits 2", async () => {
  const { code, stdout, stderr } = await xpInProcess(["rnu"]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(stderr, 'error: Unknown command "rnu"\nhint: did you mean "run"?\n');
});

Deno.test("a command that is not built yet says so and exits 2, after parsing its flags", async () => {
  const { notBuilt } = await import("../../lib/cli/_not_built.ts");
  const command = notBuilt({
    name: "later",
    usage: "later",
    description: "Not yet.",
    options: [{ name: "port", kind: "integer", value: "N", summary: "a port" }],
    examples: [],
  });
  assert.throws(() => command.parse(["--port", "abc"]), /needs a whole number, got "abc"/);
  const args = command.parse(["--port", "9000"]);
  await assert.rejects(command.run(args, {} as never), /"xp later" is not built yet/);
});

Deno.test("the version matches deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.equal(config.version, VERSION);
});
