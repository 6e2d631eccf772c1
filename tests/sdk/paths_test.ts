import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fileUrl, outRelativePath, safeFileName } from "../../lib/sdk/paths.ts";

Deno.test("outRelativePath() normalizes a path inside out/", () => {
  assert.equal(outRelativePath("model.bin", "artifact"), "model.bin");
  assert.equal(outRelativePath("./a//b/./c.png", "image"), "a/b/c.png");
  assert.equal(outRelativePath("a..b/..c", "image"), "a..b/..c");
});

Deno.test("outRelativePath() rejects a path that leaves out/ with a TypeError", async (t) => {
  const cases: [string, RegExp][] = [
    ["../secret", /leaves the trial's out\/ directory/],
    ["a/../../b", /leaves the trial's out\/ directory/],
    ["a\\..\\b", /leaves the trial's out\/ directory/],
    ["/etc/passwd", /is absolute/],
    ["\\\\server\\share", /is absolute/],
    ["C:/x", /is absolute/],
    ["", /names no file/],
    ["./", /names no file/],
  ];
  for (const [path, message] of cases) {
    await t.step(JSON.stringify(path), () => {
      assert.throws(() => outRelativePath(path, 'ctx.log.image("x")'), {
        name: "TypeError",
        message: new RegExp(`^ctx\\.log\\.image\\("x"\\): path .*${message.source}`),
      });
    });
  }
});

Deno.test("safeFileName() keeps [A-Za-z0-9._-] and nothing hidden", () => {
  assert.equal(safeFileName("loss/val curve"), "loss_val_curve");
  assert.equal(safeFileName(".hidden"), "hidden");
  assert.equal(safeFileName("ü"), "_");
  assert.equal(safeFileName("x".repeat(300)).length, 100);
});

Deno.test("fileUrl() gives a URL that names the same file as node:url's pathToFileURL", () => {
  const paths = [
    "/tmp/a b/c.ts",
    "/t/%20/x.ts",
    "/t/#?/x.ts",
    "/t/a\\b.ts",
    "/t/é/ü.ts",
    "/t/\n\t.ts",
  ];
  for (const path of paths) assert.equal(fileUrl(path).href, pathToFileURL(path).href, path);
  for (const path of [...paths, "/t/[x]{y};=.ts"]) assert.equal(fileURLToPath(fileUrl(path)), path);
});
