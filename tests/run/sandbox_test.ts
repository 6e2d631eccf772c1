/** How a trial's process writes its own log files (real `sh` processes). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { toLogFiles } from "../../lib/run/sandbox.ts";
import { withTempDir } from "../_helpers.ts";

async function spawn(program: string, args: string[]): Promise<number> {
  const { code } = await new Deno.Command(program, { args, stdout: "null", stderr: "null" })
    .output();
  return code;
}

Deno.test("a command trial's script writes its output to the logs, its line numbers kept", async () => {
  await withTempDir(async (dir) => {
    const logs = { stdout: join(dir, "stdout.log"), stderr: join(dir, "stderr.log") };
    const script = 'echo "out $# args"\nno_such_command_here\nexit 3';
    const spec = toLogFiles({ program: "sh", args: ["-c", script] }, logs);
    assert.equal(spec.program, "sh");
    assert.equal(await spawn(spec.program, spec.args), 3);
    // No positional parameters are left over for the script, as with a plain `sh -c`.
    assert.equal(await Deno.readTextFile(logs.stdout), "out 0 args\n");
    assert.match(await Deno.readTextFile(logs.stderr), /^sh: 2: no_such_command_here: not found/);
  });
});

Deno.test("any other program is exec'd with its output in the logs", async () => {
  await withTempDir(async (dir) => {
    const logs = { stdout: join(dir, "stdout.log"), stderr: join(dir, "stderr.log") };
    const spec = toLogFiles({ program: "sh", args: ["-c", "echo $$ && echo e >&2", "x"] }, logs);
    const child = new Deno.Command(spec.program, { args: spec.args, stdout: "null" }).spawn();
    assert.equal((await child.status).code, 0);
    // exec: the program is the process xp started, with its pid.
    assert.equal(await Deno.readTextFile(logs.stdout), `${child.pid}\n`);
    assert.equal(await Deno.readTextFile(logs.stderr), "e\n");
  });
});

Deno.test("a program that is not on PATH is named by the wrapper", async () => {
  await withTempDir(async (dir) => {
    const logs = { stdout: join(dir, "stdout.log"), stderr: join(dir, "stderr.log") };
    const spec = toLogFiles({ program: "no-such-program-xp", args: [] }, logs);
    assert.equal(await spawn(spec.program, spec.args), 127);
    assert.match(
      await Deno.readTextFile(logs.stderr),
      /^xp: \d+: exec: no-such-program-xp: not found/,
    );
  });
});
