import assert from "node:assert/strict";
import { caretLines } from "../../lib/query/caret.ts";

Deno.test("caretLines() marks the position on its line", async (t) => {
  const long = "select " + "x, ".repeat(60) + "oops from trials";
  const cases: [string, number, [string, string]][] = [
    ["select 1", 0, ["select 1", "^"]],
    ["select 1", 7, ["select 1", "       ^"]],
    ["select 1", 99, ["select 1", "        ^"]],
    ["select\n\tnope\nfrom x", 8, ["line 2:  nope", "         ^"]],
    ["select 1\n", 7, ["select 1", "       ^"]],
  ];
  for (const [sql, position, expected] of cases) {
    await t.step(JSON.stringify([sql, position]), () => {
      assert.deepEqual(caretLines(sql, position), expected);
    });
  }
  await t.step("a long line is cut around the position", () => {
    const position = long.indexOf("oops");
    const [line, caret] = caretLines(long, position);
    assert.ok(line.length <= 102, line);
    assert.match(line, /^…/);
    assert.equal(line.slice(caret.length - 1, caret.length + 3), "oops");
  });
});
