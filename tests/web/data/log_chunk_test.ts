import assert from "node:assert/strict";
import { join } from "node:path";
import { readLogChunk } from "../../../web/data/log_chunk.ts";
import { withTempDir } from "../../_helpers.ts";

Deno.test("readLogChunk() tails, follows and never cuts a character", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "stdout.log");
    assert.deepEqual(await readLogChunk(path, {}), { size: 0, offset: 0, text: "", next: 0 });
    await Deno.writeTextFile(path, "héllo\nwörld\n");
    const whole = await readLogChunk(path, {});
    assert.equal(whole.text, "héllo\nwörld\n");
    assert.equal(whole.next, whole.size);
    // 3 bytes from the end start inside "ö"'s neighbours: the tail starts at a character.
    const tail = await readLogChunk(path, { tail: 6 });
    assert.equal(tail.text, "örld\n".slice(-tail.text.length));
    assert.ok(!tail.text.includes("\ufffd"));
    // A read that ends inside "ö" leaves it for the next one.
    const first = await readLogChunk(path, { offset: 0, max: 9 });
    assert.equal(first.text, "héllo\nw");
    const rest = await readLogChunk(path, { offset: first.next });
    assert.equal(first.text + rest.text, "héllo\nwörld\n");
    // A log that shrank (a new attempt) is read from the start.
    await Deno.writeTextFile(path, "new\n");
    assert.equal((await readLogChunk(path, { offset: 100 })).text, "new\n");
  });
});
