import assert from "node:assert/strict";
import { describeFailure } from "../../lib/sdk/failure.ts";

Deno.test("describeFailure() names the error class unless it is plain Error", () => {
  assert.equal(describeFailure(new Error("boom")).error, "boom");
  assert.equal(describeFailure(new SyntaxError("bad")).error, "SyntaxError: bad");
  assert.equal(describeFailure(42).error, "the trial threw a non-Error value: 42");
});

Deno.test("describeFailure() drops the stack frames of hidden files", () => {
  const error = new Error("x");
  error.stack = [
    "Error: x",
    "    at run (file:///e/train.ts:3:9)",
    "    at runTrial (file:///repo/lib/sdk/trial.ts:80:5)",
    "    at Object.readTextFileSync (ext:deno_fs/30_fs.js:1:1)",
    "    at file:///repo/lib/sdk/trial_main.ts:40:3",
  ].join("\n");
  assert.deepEqual(describeFailure(error, ["file:///repo/lib/sdk/", "(ext:"]), {
    error: "x",
    stack: "    at run (file:///e/train.ts:3:9)",
  });
});

Deno.test("describeFailure() tells how to grant a permission the sandbox denied", () => {
  const denied = new Deno.errors.NotCapable(
    'Requires net access to "example.com:443", run again with the --allow-net flag',
  );
  const { error, hint } = describeFailure(denied);
  assert.equal(error, 'NotCapable: Requires net access to "example.com:443"');
  assert.equal(
    hint,
    `the trial's sandbox denied it; grant it in the experiment file: permissions: { net: ["example.com:443"] }`,
  );
});
