import assert from "node:assert/strict";
import { detectMediaType } from "../../lib/store/media.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("detectMediaType() tells every stored media type apart", async (t) => {
  const cases: [string, Uint8Array, string, boolean, string][] = [
    ["png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0]), "x", true, "image/png"],
    ["jpeg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0]), "x.bin", true, "image/jpeg"],
    ["webp", text("RIFF\0\0\0\0WEBPVP8 "), "x", true, "image/webp"],
    ["svg", text('<?xml version="1.0"?><svg xmlns="x"/>'), "plot", true, "image/svg+xml"],
    ["json by content", text(' {"a": [1, 2]}'), "data", true, "application/json"],
    ["json by extension", text("not json"), "a.JSON", true, "application/json"],
    ["json head", text('{"a": [1, 2, '), "data", false, "application/json"],
    ["broken json", text("{oops"), "data", true, "text/plain"],
    ["csv by content", text("a,b,c\n1,2,3\n4,5,6\n"), "table", true, "text/csv"],
    ["csv by extension", text("x"), "t.tsv", true, "text/csv"],
    ["text", text("hello\nworld"), "notes", true, "text/plain"],
    ["utf-8 cut by the window", text("é".repeat(10)).subarray(0, 7), "n", false, "text/plain"],
    ["binary", new Uint8Array([1, 2, 0, 4]), "model.txt", true, "application/octet-stream"],
    ["invalid utf-8", new Uint8Array([0xc3, 0x28, 0x41]), "x", true, "application/octet-stream"],
  ];
  for (const [what, bytes, name, whole, expected] of cases) {
    await t.step(what, () => assert.equal(detectMediaType(bytes, name, whole), expected));
  }
});
