/** The tar subset of archives: long paths through pax records, framing errors. */
import assert from "node:assert/strict";
import { endOfArchive, fileHeader, padding, readTar, TarError } from "../../lib/store/tar.ts";
import { isSafeEntry } from "../../lib/store/archive_read.ts";

function tarOf(files: Record<string, Uint8Array<ArrayBuffer>>): Blob {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (const [path, data] of Object.entries(files)) {
    parts.push(fileHeader(path, data.length), data, padding(data.length));
  }
  parts.push(endOfArchive());
  return new Blob(parts);
}

Deno.test("readTar reads back files with long paths, in chunks of any size", async () => {
  const long = `trials/${"k".repeat(64)}/out/${"deep/".repeat(30)}file.bin`;
  const big = new Uint8Array(70_000).map((_, i) => i % 251);
  const files = { "a.txt": new TextEncoder().encode("hello"), [long]: big };
  const got: Record<string, number[]> = {};
  for await (const entry of readTar(tarOf(files).stream())) {
    const bytes: number[] = [];
    for await (const chunk of entry.data()) bytes.push(...chunk);
    got[entry.path] = bytes;
  }
  assert.deepEqual(Object.keys(got), ["a.txt", long]);
  assert.deepEqual(got[long], [...big]);
});

Deno.test("readTar refuses a stream cut short", async () => {
  const whole = new Uint8Array(await tarOf({ "a.txt": new Uint8Array(1000) }).arrayBuffer());
  await assert.rejects(async () => {
    for await (const entry of readTar(new Blob([whole.subarray(0, 1100)]).stream())) {
      for await (const _ of entry.data());
    }
  }, TarError);
});

Deno.test("isSafeEntry accepts store paths and refuses climbing or absolute ones", () => {
  assert.equal(isSafeEntry("trials/abc/status.json"), true);
  assert.equal(isSafeEntry(`blobs/sha256/ab/ab${"0".repeat(62)}`), true);
  for (
    const bad of ["../x", "/etc/passwd", "trials/a/../../x", "trials/a/./x", "other/x", "trials/a"]
  ) {
    assert.equal(isSafeEntry(bad), false, bad);
  }
});
