import assert from "node:assert/strict";
import { join } from "node:path";
import { createCheckpoints } from "../../lib/sdk/checkpoint.ts";
import { withTempDir } from "../_helpers.ts";

Deno.test("ctx.restore() is undefined before any checkpoint", async () => {
  await withTempDir((dir) => {
    assert.equal(createCheckpoints(dir).restore(), undefined);
    return Promise.resolve();
  });
});

Deno.test("ctx.restore() of a forked trial gives its parent's checkpoint until it saves its own", async () => {
  await withTempDir(async (dir) => {
    const [own, parent] = [join(dir, "own"), join(dir, "parent")];
    await Deno.mkdir(own);
    await Deno.mkdir(parent);
    assert.equal(createCheckpoints(own, parent).restore(), undefined, "neither has one");
    createCheckpoints(parent).checkpoint({ epoch: 3, best: -Infinity });
    const forked = createCheckpoints(own, parent);
    assert.deepEqual(forked.restore(), { epoch: 3, best: -Infinity });
    forked.checkpoint({ epoch: 4 });
    assert.deepEqual(forked.restore(), { epoch: 4 });
    assert.deepEqual(createCheckpoints(parent).restore(), { epoch: 3, best: -Infinity });
    await Deno.writeTextFile(join(own, "checkpoint.json"), "{oops");
    assert.throws(() => forked.restore(), { message: new RegExp(`${own}/checkpoint\\.json`) });
  });
});

Deno.test("ctx.checkpoint() and ctx.restore() round-trip a state exactly, NaN and ±Infinity included", async () => {
  await withTempDir((dir) => {
    const state = {
      epoch: 3,
      best: Infinity,
      history: [1, NaN, -Infinity, "NaN"],
      nested: { deep: [{ x: NaN }] },
      when: new Date(0),
    };
    createCheckpoints(dir).checkpoint(state);
    // A new process (a retry) reads it back.
    assert.deepEqual(createCheckpoints(dir).restore(), {
      ...state,
      when: "1970-01-01T00:00:00.000Z",
    });
    createCheckpoints(dir).checkpoint(NaN);
    assert.ok(Number.isNaN(createCheckpoints(dir).restore()));
    return Promise.resolve();
  });
});

Deno.test("ctx.checkpoint() replaces checkpoint.json by a rename, leaving no temp file", async () => {
  await withTempDir(async (dir) => {
    const { checkpoint, restore } = createCheckpoints(dir);
    checkpoint({ epoch: 1 });
    const before = await Deno.stat(join(dir, "checkpoint.json"));
    checkpoint({ epoch: 2 });
    const after = await Deno.stat(join(dir, "checkpoint.json"));
    assert.notEqual(
      before.ino,
      after.ino,
      "a new file renamed over the old one, not rewritten in place",
    );
    assert.deepEqual(restore(), { epoch: 2 });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(dir, "checkpoint.json"))), {
      state: { epoch: 2 },
    });
    await assert.rejects(Deno.stat(join(dir, "checkpoint.json.tmp")), Deno.errors.NotFound);
  });
});

Deno.test("ctx.checkpoint() of a non-JSON state names the path and the file, and keeps the old one", async () => {
  await withTempDir((dir) => {
    const { checkpoint, restore } = createCheckpoints(dir);
    checkpoint({ epoch: 1 });
    assert.throws(() => checkpoint({ model: { forward: () => 0 } }), {
      name: "TypeError",
      message: new RegExp(
        `^ctx\\.checkpoint: the state must be JSON to be saved in ${dir}/checkpoint\\.json: state\\.model\\.forward is a function`,
      ),
    });
    assert.deepEqual(restore(), { epoch: 1 });
    return Promise.resolve();
  });
});

Deno.test("ctx.restore() of a file that is not a checkpoint says so", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "checkpoint.json"), "{oops");
    assert.throws(() => createCheckpoints(dir).restore(), {
      name: "SyntaxError",
      message: /checkpoint\.json is not valid JSON/,
    });
    await Deno.writeTextFile(join(dir, "checkpoint.json"), "[1]");
    assert.throws(
      () => createCheckpoints(dir).restore(),
      /not a checkpoint written by ctx\.checkpoint\(\)/,
    );
  });
});
