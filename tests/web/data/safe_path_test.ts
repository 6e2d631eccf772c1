import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveInside, safeSegments } from "../../../web/data/safe_path.ts";
import { HttpError } from "../../../web/http_error.ts";
import { withTempDir } from "../../_helpers.ts";

Deno.test("safeSegments() decodes the segments of a path", () => {
  assert.deepEqual(safeSegments("out/a%20b/c.png"), ["out", "a b", "c.png"]);
});

Deno.test("safeSegments() refuses every way out of a directory", async (t) => {
  for (
    const path of [
      "",
      "..",
      "out/../../x",
      "%2e%2e/x",
      ".%2E/x",
      "..%2fx",
      "..%2Fx",
      "..%5cx",
      "/etc/passwd",
      "out//x",
      "x%00.png",
      "%E0%A4%A",
      "./x",
    ]
  ) {
    await t.step(JSON.stringify(path), () => {
      assert.throws(
        () => safeSegments(path),
        (e: unknown) => e instanceof HttpError && e.status === 400,
      );
    });
  }
});

Deno.test("resolveInside() follows symlinks only when they stay inside", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "trial");
    await Deno.mkdir(join(root, "out"), { recursive: true });
    await Deno.writeTextFile(join(root, "out", "a.txt"), "a");
    await Deno.writeTextFile(join(dir, "outside.txt"), "secret");
    await Deno.symlink(join(root, "out", "a.txt"), join(root, "out", "inner"));
    await Deno.symlink(join(dir, "outside.txt"), join(root, "out", "outer"));
    assert.equal(
      await resolveInside(root, ["out", "inner"]),
      await Deno.realPath(join(root, "out", "a.txt")),
    );
    await assert.rejects(
      () => resolveInside(root, ["out", "outer"]),
      (e: HttpError) => e.status === 403,
    );
    await assert.rejects(() => resolveInside(root, ["out"]), (e: HttpError) => e.status === 404);
    await assert.rejects(() => resolveInside(root, ["nope"]), (e: HttpError) => e.status === 404);
  });
});
