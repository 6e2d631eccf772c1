import assert from "node:assert/strict";
import { renderTable } from "../../lib/query/format.ts";

Deno.test("renderTable() aligns columns and shows NULL", () => {
  const text = renderTable(["a", "bb"], [["x", null], ["longer", 3]]);
  assert.equal(text, "a       bb\nx       NULL\nlonger  3");
});

Deno.test("renderTable() shrinks the widest column to fit the width", () => {
  const text = renderTable(["k", "params"], [["t", "x".repeat(100)]], { maxWidth: 30 });
  for (const line of text.split("\n")) assert.ok(line.length <= 30, line);
  assert.match(text, /x…$/);
});
