import assert from "node:assert/strict";
import { csvRows, parseCsv } from "../../lib/query/csv_parse.ts";
import { renderCsv } from "../../lib/query/format.ts";

Deno.test("csvRows() reads RFC 4180", async (t) => {
  const cases: [string, string[][]][] = [
    ["a,b\n1,2\n", [["a", "b"], ["1", "2"]]],
    ["a,b\r\n1,2", [["a", "b"], ["1", "2"]]],
    ['"x,y","say ""hi"""\n', [["x,y", 'say "hi"']]],
    ['"two\nlines",z\n', [["two\nlines", "z"]]],
    ["a,,\n", [["a", "", ""]]],
    ["", []],
  ];
  for (const [text, rows] of cases) {
    await t.step(JSON.stringify(text), () => assert.deepEqual(csvRows(text), rows));
  }
});

Deno.test("parseCsv() converts numbers and empties, and reads what renderCsv writes", () => {
  const columns = ["step", "loss", "note"];
  const rows = [[1, 0.5, "a, b"], [2, null, 'q"uote'], [3, 1e-7, "multi\nline"]];
  assert.deepEqual(parseCsv(renderCsv(columns, rows)), [
    { step: 1, loss: 0.5, note: "a, b" },
    { step: 2, loss: null, note: 'q"uote' },
    { step: 3, loss: 1e-7, note: "multi\nline" },
  ]);
  assert.deepEqual(parseCsv("a\tb\n1\tx\n", { separator: "\t", convert: false }), [{
    a: "1",
    b: "x",
  }]);
  assert.ok(Number.isNaN(parseCsv("v\nnan\n")[0]!.v));
});
