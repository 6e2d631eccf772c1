import assert from "node:assert/strict";
import { encodeEvent, type TrialEvent } from "../../lib/sdk/protocol.ts";
import { type ParsedEvents, parseEvents } from "../../lib/store/events_reader.ts";
import { ScalarLineScanner } from "../../lib/store/scalar_scan.ts";

/** What `parsed` holds, as plain values (typed columns as arrays). */
function plain(parsed: ParsedEvents) {
  return {
    series: parsed.series,
    points: Array.from(
      { length: parsed.values.length },
      (_, i) => [
        parsed.pointSeries.at(i),
        parsed.steps.at(i),
        parsed.values.at(i),
        parsed.times.at(i),
      ],
    ),
    lastValues: parsed.lastValues,
    metrics: [...parsed.metrics],
    params: [...parsed.params],
    texts: parsed.texts,
    files: parsed.files,
    result: parsed.result,
    warnings: parsed.warnings,
  };
}

/** The same event, re-encoded so that only the general path can read it (keys reordered). */
function slowForm(line: string): string {
  const event = JSON.parse(line);
  return JSON.stringify(Object.fromEntries(Object.entries(event).reverse()));
}

Deno.test("parseEvents() reads SDK-shaped scalar lines exactly as JSON.parse would", () => {
  // -0 is left out: JSON writes it as 0.
  const values = [
    0,
    0.1,
    0.1 + 0.2,
    1 / 3,
    2.509069476951845,
    0.03497327809544426,
    123456789012345680000,
    1e-7,
    5e-324,
    1.7976931348623157e308,
    -42,
    NaN,
    Infinity,
    -Infinity,
    9007199254740993,
    0.000001234,
  ];
  const events: TrialEvent[] = values.flatMap((value, i) => [
    { t: "scalar", name: "loss", value, step: i, time: 1763900000.5 + i / 1000 },
    { t: "scalar", name: "loss", value, step: i, time: 1, context: { subset: "val", k: 1 } },
    { t: "scalar", name: "é ünï", value, step: 1e21 + i, time: 2 },
  ]);
  const lines = events.map(encodeEvent);
  const fast = parseEvents(lines.join("\n") + "\n", "f");
  const slow = parseEvents(lines.map(slowForm).join("\n") + "\n", "f");
  assert.deepEqual(plain(fast), plain(slow));
  assert.equal(fast.values.length, values.length * 3);
  for (let i = 0; i < values.length; i++) {
    assert.ok(Object.is(fast.values.at(3 * i), values[i]), `value ${values[i]}`);
  }
  assert.deepEqual(fast.series.map((s) => s.context), [null, '{"k":1,"subset":"val"}', null]);
  // Every line of the first file took the fast path.
  const text = lines.join("\n");
  const scanner = new ScalarLineScanner(text);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    assert.ok(scanner.scan(at), lines[i]);
    at = scanner.next;
  }
});

Deno.test("parseEvents() leaves every other line to the general path, with the same result", async (t) => {
  const cases: Record<string, string> = {
    "leading zero": '{"t":"scalar","name":"a","value":01,"step":0,"time":1}',
    "bare dot": '{"t":"scalar","name":"a","value":1.,"step":0,"time":1}',
    "huge step": '{"t":"scalar","name":"a","value":1,"step":1e999,"time":1}',
    "escaped name": '{"t":"scalar","name":"a\\"b","value":1,"step":0,"time":1}',
    "spaces": '{"t": "scalar", "name": "a", "value": 1, "step": 0, "time": 1}',
    "nested context":
      '{"t":"scalar","name":"a","value":1,"step":0,"time":1,"context":{"x":{"y":1}}}',
    "context brace": '{"t":"scalar","name":"a","value":1,"step":0,"time":1,"context":{"x":"}"}}',
    "bad context json": '{"t":"scalar","name":"a","value":1,"step":0,"time":1,"context":{"x":tru}}',
    "trailing junk": '{"t":"scalar","name":"a","value":1,"step":0,"time":1}x',
    "string value": '{"t":"scalar","name":"a","value":"1","step":0,"time":1}',
    "no time": '{"t":"scalar","name":"a","value":1,"step":0}',
    "long name": `{"t":"scalar","name":"${"n".repeat(257)}","value":1,"step":0,"time":1}`,
    "crlf": '{"t":"scalar","name":"a","value":1,"step":0,"time":1}\r',
  };
  for (const [what, line] of Object.entries(cases)) {
    await t.step(what, () => {
      let reference: ParsedEvents | undefined;
      try {
        JSON.parse(line);
        reference = parseEvents(slowForm(line) + "\n", "f");
      } catch {
        // Not JSON: both must warn.
      }
      const parsed = parseEvents(line + "\n", "f");
      if (reference) assert.deepEqual(plain(parsed), plain(reference));
      else {
        assert.equal(parsed.values.length, 0);
        assert.equal(parsed.warnings.length, 1);
      }
    });
  }
});

Deno.test("parseEvents() warns about a truncated last line, not a complete one", () => {
  const good = '{"t":"metric","name":"m","value":1}';
  assert.deepEqual(parseEvents(good, "f").warnings, []);
  assert.deepEqual(parseEvents(`${good}\n{"t":"met`, "f").warnings, [
    "f:2: truncated last line (the trial was stopped while writing it); skipped",
  ]);
  assert.deepEqual(parseEvents(`{"t":"met\n${good}\n`, "f").warnings, [
    "f:1: not valid JSON; line skipped",
  ]);
});

Deno.test("parseEvents() skips blank lines but counts them", () => {
  const parsed = parseEvents('\n\n  \n{"t":"bogus"}\n', "f");
  assert.deepEqual(parsed.warnings, ['f:4: unknown event type "bogus"; line skipped']);
});

Deno.test("parseEvents() keeps the last metric, param and result", () => {
  const parsed = parseEvents(
    [
      { t: "metric", name: "m", value: 1 },
      { t: "metric", name: "m", value: 2 },
      { t: "param", name: "p", value: { a: 1 } },
      { t: "param", name: "p", value: [1] },
      { t: "result", value: 1 },
      { t: "result", value: { acc: 2 } },
    ].map((e) => JSON.stringify(e)).join("\n"),
    "f",
  );
  assert.deepEqual([...parsed.metrics], [["m", 2]]);
  assert.deepEqual([...parsed.params], [["p", { value: [1], line: 4 }]]);
  assert.deepEqual(parsed.result, { value: { acc: 2 } });
});

Deno.test("parseEvents() checks figure, image and text fields", () => {
  const parsed = parseEvents(
    [
      { t: "figure", name: "f", format: "png", path: "a.png" },
      { t: "figure", name: "f", format: "plotly" },
      { t: "figure", name: "f", format: "svg" },
      { t: "image", name: "i" },
      { t: "text", name: "x", value: "v", step: "NaN" },
      { t: "figure", name: "ok", format: "svg", path: "a.svg", step: 2 },
    ].map((e) => JSON.stringify(e)).join("\n"),
    "f",
  );
  assert.deepEqual(parsed.warnings.map((w) => w.slice(0, 4)), [
    "f:1:",
    "f:2:",
    "f:3:",
    "f:4:",
    "f:5:",
  ]);
  assert.deepEqual(parsed.files, [
    { kind: "figure", name: "ok", path: "a.svg", step: 2, line: 6 },
  ]);
});

Deno.test("parseEvents() tells many series apart on the fast path", () => {
  const lines: string[] = [];
  for (let step = 0; step < 3; step++) {
    for (let s = 0; s < 40; s++) {
      const context = s % 2 ? { layer: s } : undefined;
      lines.push(
        encodeEvent({
          t: "scalar",
          name: `g${s % 20}`,
          value: s + step,
          step,
          time: 1,
          ...(context ? { context } : {}),
        }),
      );
    }
  }
  const fast = parseEvents(lines.join("\n"), "f");
  const slow = parseEvents(lines.map(slowForm).join("\n"), "f");
  assert.deepEqual(plain(fast), plain(slow));
  assert.equal(fast.series.length, 30);
});

Deno.test("parseEvents() reads a scalars line as the scalar lines of its points", () => {
  const batch = parseEvents(
    [
      '{"t":"scalars","name":"loss","step":[0,1,2],"value":[0.5,"NaN",0.25],"time":[1,2,3]}',
      '{"t":"scalars","name":"loss","context":{"s":"v"},"value":[1,2]}',
      '{"t":"scalars","name":"loss","value":[0.125]}',
    ].join("\n"),
    "f",
  );
  const single = parseEvents(
    [
      '{"t":"scalar","name":"loss","value":0.5,"step":0,"time":1}',
      '{"t":"scalar","name":"loss","value":"NaN","step":1,"time":2}',
      '{"t":"scalar","name":"loss","value":0.25,"step":2,"time":3}',
      '{"t":"scalar","name":"loss","value":1,"context":{"s":"v"}}',
      '{"t":"scalar","name":"loss","value":2,"context":{"s":"v"}}',
      '{"t":"scalar","name":"loss","value":0.125}',
    ].join("\n"),
    "f",
  );
  assert.deepEqual(plain(batch), plain(single));
  assert.deepEqual(plain(batch).points.at(-1), [0, 3, 0.125, NaN]);
});

Deno.test("parseEvents() skips a bad scalars line, or only the bad points of a good one", () => {
  const parsed = parseEvents(
    [
      '{"t":"scalars","name":"a","step":[0,1],"value":[1]}',
      '{"t":"scalars","name":"a","value":1}',
      '{"t":"scalars","name":"a"}',
      '{"t":"scalars","name":"a","value":[1],"time":"now"}',
      '{"t":"scalars","name":"a","value":[1],"context":[1]}',
      '{"t":"scalars","name":"a","step":[0,1,2,3],"value":[1,"x",3,null]}',
      '{"t":"scalars","name":"a","step":[4,"5"],"value":[4,5]}',
    ].join("\n"),
    "f",
  );
  assert.deepEqual(parsed.warnings, [
    'f:1: scalars "a": step must be an array as long as value; line skipped',
    'f:2: scalars "a": value must be an array; line skipped',
    'f:3: scalars "a": missing field "value"; line skipped',
    'f:4: scalars "a": time must be an array as long as value; line skipped',
    'f:5: scalars "a": context must be an object of strings, numbers and booleans; line skipped',
    'f:6: scalars "a": 2 points skipped (point 1: value must be a number, "NaN", "Infinity" or "-Infinity", got "x"); the line\'s other points kept',
    'f:7: scalars "a": 1 point skipped (point 1: step must be a finite number); the line\'s other points kept',
  ]);
  assert.deepEqual(plain(parsed).points.map((p) => p.slice(1, 3)), [[0, 1], [2, 3], [4, 4]]);
});
