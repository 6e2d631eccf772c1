import assert from "node:assert/strict";
import {
  renderCsv,
  renderMarkdown,
  renderNdjson,
  renderTable,
  uniqueNames,
} from "../../lib/query/format.ts";

Deno.test("renderTable() aligns columns and shows NULL", () => {
  const text = renderTable(["a", "bb"], [["x", null], ["longer", 3]]);
  assert.equal(text, "a       bb\nx       NULL\nlonger  3");
});

Deno.test("renderTable() shrinks the widest column to fit the width", () => {
  const text = renderTable(["k", "params"], [["t", "x".repeat(100)]], { maxWidth: 30 });
  for (const line of text.split("\n")) assert.ok(line.length <= 30, line);
  assert.match(text, /x…$/);
});

Deno.test("renderTable() right-aligns number columns when asked", () => {
  const text = renderTable(["name", "acc"], [["a", 0.5], ["b", "NaN"], ["c", null]], {
    alignNumbers: true,
  });
  assert.equal(text, "name   acc\na      0.5\nb      NaN\nc     NULL");
});

Deno.test("renderTable() puts values on one line and objects as JSON", () => {
  const text = renderTable(["v"], [["two\nlines"], [{ a: [1, 2] }], [true]]);
  assert.equal(text, 'v\ntwo lines\n{"a":[1,2]}\ntrue');
});

Deno.test("renderNdjson() writes one object per row", async (t) => {
  const cases: [string[], unknown[][], string][] = [
    [["a"], [], ""],
    [["a", "b"], [[1, null]], '{"a":1,"b":null}\n'],
    [["a", "a", "a_1"], [[1, 2, 3]], '{"a":1,"a_1":2,"a_1_1":3}\n'],
    [["x"], [["NaN"], [{ s: [1] }]], '{"x":"NaN"}\n{"x":{"s":[1]}}\n'],
  ];
  for (const [columns, rows, expected] of cases) {
    await t.step(JSON.stringify(rows), () => assert.equal(renderNdjson(columns, rows), expected));
  }
});

Deno.test("uniqueNames() suffixes repeated names", () => {
  assert.deepEqual(uniqueNames(["a", "b", "a", "a"]), ["a", "b", "a_1", "a_2"]);
});

Deno.test("renderCsv() quotes as RFC 4180 says", async (t) => {
  const cases: [unknown, string][] = [
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
    [null, ""],
    [1.5, "1.5"],
    [false, "false"],
    [{ a: 1, b: "x" }, '"{""a"":1,""b"":""x""}"'],
    [" spaced ", " spaced "],
  ];
  for (const [value, field] of cases) {
    await t.step(JSON.stringify(value), () => {
      assert.equal(renderCsv(["v"], [[value]]), `v\n${field}\n`);
    });
  }
  await t.step("header fields are quoted too", () => {
    assert.equal(renderCsv(["a,b", "c"], []), '"a,b",c\n');
  });
});

Deno.test("renderMarkdown() escapes pipes and right-aligns numbers", () => {
  const text = renderMarkdown(["name", "acc", "note"], [["a|b", 0.5, null], ["c", 1, "x\ny"]]);
  assert.equal(
    text,
    "| name | acc | note |\n| --- | ---: | --- |\n| a\\|b | 0.5 | NULL |\n| c | 1 | x y |\n",
  );
});
