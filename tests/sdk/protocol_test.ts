import assert from "node:assert/strict";
import {
  decodeNumber,
  encodeEvent,
  encodeNumber,
  isLineTooLong,
  MAX_LINE_BYTES,
  type TrialEvent,
} from "../../lib/sdk/protocol.ts";

Deno.test("encodeEvent() writes each event type as one JSON line", () => {
  const cases: [TrialEvent, string][] = [
    [
      {
        t: "scalar",
        name: "loss",
        value: 0.25,
        step: 10,
        time: 1763900000.5,
        context: { subset: "val" },
      },
      '{"t":"scalar","name":"loss","value":0.25,"step":10,"time":1763900000.5,"context":{"subset":"val"}}',
    ],
    [
      { t: "metric", name: "accuracy", value: 0.93 },
      '{"t":"metric","name":"accuracy","value":0.93}',
    ],
    [
      { t: "param", name: "n", value: { a: [1, "x"] } },
      '{"t":"param","name":"n","value":{"a":[1,"x"]}}',
    ],
    [
      { t: "text", name: "s", value: "a\nb", step: 3 },
      '{"t":"text","name":"s","value":"a\\nb","step":3}',
    ],
    [
      { t: "artifact", name: "m", path: "model.bin" },
      '{"t":"artifact","name":"m","path":"model.bin"}',
    ],
    [
      { t: "image", name: "p", path: "p_3.png", step: 3 },
      '{"t":"image","name":"p","path":"p_3.png","step":3}',
    ],
    [
      { t: "figure", name: "roc", format: "plotly", spec: { data: [] } },
      '{"t":"figure","name":"roc","format":"plotly","spec":{"data":[]}}',
    ],
    [
      { t: "figure", name: "roc", format: "svg", path: "figures/roc.svg" },
      '{"t":"figure","name":"roc","format":"svg","path":"figures/roc.svg"}',
    ],
    [{ t: "result", value: null }, '{"t":"result","value":null}'],
  ];
  for (const [event, line] of cases) assert.equal(encodeEvent(event), line);
});

Deno.test("encodeEvent() writes non-finite numbers anywhere as strings", () => {
  assert.equal(
    encodeEvent({ t: "scalar", name: "loss", value: -Infinity, step: 0, time: 1 }),
    '{"t":"scalar","name":"loss","value":"-Infinity","step":0,"time":1}',
  );
  assert.equal(
    encodeEvent({ t: "result", value: { a: [NaN, 1, Infinity], b: { c: -Infinity } } }),
    '{"t":"result","value":{"a":["NaN",1,"Infinity"],"b":{"c":"-Infinity"}}}',
  );
});

Deno.test("encodeNumber() and decodeNumber() round-trip every number", () => {
  for (const value of [0, -0.5, 1e21, 5e-324, NaN, Infinity, -Infinity]) {
    assert.equal(decodeNumber(JSON.parse(encodeNumber(value))), value);
  }
  assert.equal(decodeNumber("nan"), undefined);
  assert.equal(decodeNumber(null), undefined);
});

Deno.test("isLineTooLong() counts UTF-8 bytes", () => {
  assert.equal(isLineTooLong("a".repeat(MAX_LINE_BYTES)), false);
  assert.equal(isLineTooLong("a".repeat(MAX_LINE_BYTES + 1)), true);
  assert.equal(isLineTooLong("é".repeat(MAX_LINE_BYTES / 2)), false);
  assert.equal(isLineTooLong("é".repeat(MAX_LINE_BYTES / 2 + 1)), true);
});
