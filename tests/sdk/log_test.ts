import assert from "node:assert/strict";
import { join } from "node:path";
import type { TrialLog } from "../../lib/sdk/experiment.ts";
import { createTrialLog } from "../../lib/sdk/log.ts";
import { FEW_POINTS, type HoldingSink } from "../../lib/sdk/scalar_batches.ts";
import { withTempDir } from "../_helpers.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const WEBP = new TextEncoder().encode("RIFF\x24\0\0\0WEBPVP8 ");
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';

type Event = Record<string, unknown>;

/** A sink that keeps lines; `flush()` releases what the log holds back, as the writer does. */
function memorySink(): { sink: HoldingSink; lines: string[]; flush: () => void } {
  const lines: string[] = [];
  let release = () => {};
  const sink = {
    write: (line: string) => lines.push(line),
    hold: (r: () => void) => release = r,
    touch() {},
  };
  return { sink, lines, flush: () => release() };
}

/** A log with out/ in a temp dir; `events()` flushes it and parses every line written so far. */
async function withLog(
  fn: (log: TrialLog, events: () => Event[], out: string) => Promise<void> | void,
): Promise<void> {
  await withTempDir(async (out) => {
    const { sink, lines, flush } = memorySink();
    const log = createTrialLog(sink, out);
    await fn(log, () => {
      flush();
      return lines.map((line) => JSON.parse(line));
    }, out);
  });
}

/** The points of `scalar` and `scalars` events: name, context, step, value. */
function points(events: Event[]): [unknown, unknown, unknown, unknown][] {
  return events.flatMap((e) => {
    if (e.t === "scalar") return [[e.name, e.context, e.step, e.value]];
    if (e.t !== "scalars") return [];
    return (e.value as unknown[]).map((
      value,
      i,
    ) => [e.name, e.context, (e.step as unknown[])[i], value]);
  }) as [unknown, unknown, unknown, unknown][];
}

Deno.test("ctx.log.scalar() numbers steps per series from 0, a context making its own series", async () => {
  await withLog((log, events) => {
    log.scalar("loss", 1);
    log.scalar("loss", 0.5);
    log.scalar("loss", 0.9, { context: { subset: "val" } });
    log.scalar("acc", 0.1);
    log.scalar("loss", 0.8, { context: { subset: "val" } });
    log.scalar("loss", 0.7, { context: { subset: "test" } });
    log.scalar("loss", 0.25);
    // Written series by series, in the order each series was first logged.
    assert.deepEqual(points(events()), [
      ["loss", undefined, 0, 1],
      ["loss", undefined, 1, 0.5],
      ["loss", undefined, 2, 0.25],
      ["loss", { subset: "val" }, 0, 0.9],
      ["loss", { subset: "val" }, 1, 0.8],
      ["acc", undefined, 0, 0.1],
      ["loss", { subset: "test" }, 0, 0.7],
    ]);
  });
});

Deno.test("ctx.log.scalar() continues one past an explicit step, across flushes", async () => {
  await withLog((log, events) => {
    log.scalar("loss", 1, { step: 10 });
    log.scalar("loss", 1);
    assert.deepEqual(points(events()).map((p) => p[2]), [10, 11]);
    log.scalar("loss", 1, { step: 5 });
    log.scalar("loss", 1);
    assert.deepEqual(points(events()).map((p) => p[2]), [10, 11, 5, 6]);
  });
});

Deno.test("ctx.log.scalar() treats contexts with the same entries in any order as one series", async () => {
  await withLog((log, events) => {
    log.scalar("loss", 1, { context: { subset: "val", fold: 1 } });
    log.scalar("loss", 1, { context: { fold: 1, subset: "val" } });
    log.scalar("loss", 1, { context: { fold: 1, subset: "val", gone: undefined } as never });
    const written = points(events());
    assert.deepEqual(written.map((p) => p[2]), [0, 1, 2]);
    for (const p of written) assert.deepEqual(p[1], { fold: 1, subset: "val" });
  });
});

Deno.test("ctx.log.scalar() writes a few points as the scalar events of section 7, time in epoch seconds", async () => {
  await withLog((log, events) => {
    const before = Date.now() / 1000;
    log.scalar("loss", 0.25, { step: 10, context: { subset: "val", best: true } });
    const after = Date.now() / 1000;
    const [{ time, ...rest }] = events() as [Event];
    assert.deepEqual(rest, {
      t: "scalar",
      name: "loss",
      value: 0.25,
      step: 10,
      context: { best: true, subset: "val" },
    });
    assert.ok(typeof time === "number" && time >= before && time <= after);
  });
});

Deno.test(`ctx.log.scalar() writes more than ${FEW_POINTS} points of a series as one scalars event`, async () => {
  await withLog((log, events) => {
    const before = Date.now() / 1000;
    for (let i = 0; i <= FEW_POINTS; i++) log.scalar("loss", i / 2, { context: { subset: "val" } });
    const after = Date.now() / 1000;
    const [{ time, ...rest }] = events() as [Event];
    const steps = Array.from({ length: FEW_POINTS + 1 }, (_, i) => i);
    assert.deepEqual(rest, {
      t: "scalars",
      name: "loss",
      context: { subset: "val" },
      step: steps,
      value: steps.map((i) => i / 2),
    });
    assert.ok(Array.isArray(time) && time.length === steps.length);
    for (const t of time) assert.ok(typeof t === "number" && t >= before && t <= after);
  });
});

Deno.test("ctx.log.scalar() keeps NaN and ±Infinity, as strings on the wire", () => {
  const { sink, lines, flush } = memorySink();
  const log = createTrialLog(sink, "/nonexistent");
  const special = [NaN, Infinity, -Infinity, 1];
  for (const value of special) log.scalar("few", value);
  for (let i = 0; i <= FEW_POINTS; i++) log.scalar("many", special[i % 4]!);
  log.metric("best", NaN);
  flush();
  const events = lines.map((l) => JSON.parse(l));
  assert.deepEqual(events[0].value, "NaN");
  assert.deepEqual(events.slice(1, 5).map((e) => e.value), ["NaN", "Infinity", "-Infinity", 1]);
  assert.deepEqual(events[5].value.slice(0, 4), ["NaN", "Infinity", "-Infinity", 1]);
});

Deno.test("ctx.log.scalar() writes its held points once 4,096 are held, without waiting for a flush", () => {
  const { sink, lines } = memorySink();
  const log = createTrialLog(sink, "/nonexistent");
  for (let i = 0; i < 4095; i++) log.scalar(i % 2 ? "a" : "b", i);
  assert.equal(lines.length, 0);
  log.scalar("c", 0);
  const events = lines.map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => [e.t, e.name, e.step.length ?? 1]), [
    ["scalars", "b", 2048],
    ["scalars", "a", 2047],
    ["scalar", "c", 1],
  ]);
});

Deno.test("ctx.log rejects bad names and values with TypeErrors that say what and how", async (t) => {
  const log = createTrialLog(memorySink().sink, "/nonexistent");
  const cases: [string, () => void, RegExp][] = [
    [
      "an empty name",
      () => log.scalar("", 1),
      /^ctx\.log\.scalar: the name must be a non-empty string, got string ""$/,
    ],
    [
      "a name that is not a string",
      () => log.metric(3 as never, 1),
      /^ctx\.log\.metric: the name must be a non-empty string, got number 3$/,
    ],
    [
      "a name over 256 characters",
      () => log.text("x".repeat(257), ""),
      /has 257 characters; the limit is 256/,
    ],
    [
      "a string value",
      () => log.scalar("loss", "0.5" as never),
      /^ctx\.log\.scalar\("loss"\): the value must be a number, got string "0\.5" \(convert it with Number\(\)\)$/,
    ],
    [
      "an undefined value",
      () => log.metric("acc", undefined as never),
      /^ctx\.log\.metric\("acc"\): the value must be a number, got undefined$/,
    ],
    [
      "a fractional step",
      () => log.scalar("loss", 1, { step: 1.5 }),
      /step must be an integer, got number 1\.5/,
    ],
    [
      "a NaN step",
      () => log.text("s", "x", { step: NaN }),
      /step must be an integer, got number NaN/,
    ],
    [
      "a context that is not an object",
      () => log.scalar("loss", 1, { context: "val" as never }),
      /context must be an object such as \{ subset: "val" \}, got string "val"/,
    ],
    [
      "a context value that is an object",
      () => log.scalar("loss", 1, { context: { a: {} } as never }),
      /context\.a must be a string, a finite number or a boolean, got an object/,
    ],
    [
      "a param that is not JSON",
      () => log.param("p", { f: () => 1 } as never),
      /^ctx\.log\.param\("p"\): value\.f is a function/,
    ],
    [
      "a text that is not a string",
      () => log.text("s", 42 as never),
      /the text must be a string, got number 42/,
    ],
    [
      "an image that is neither bytes nor a path",
      () => log.image("i", [1, 2] as never),
      /Uint8Array of PNG\/JPEG\/WebP\/SVG bytes or a path relative to out\/, got an array/,
    ],
    [
      "image bytes of another format",
      () => log.image("i", new Uint8Array([1, 2, 3])),
      /not a PNG, JPEG, WebP or SVG image; log other files with ctx\.log\.artifact\(\)/,
    ],
    [
      "a figure string that is not SVG",
      () => log.figure("f", "roc.png"),
      /a string figure must be an SVG document/,
    ],
    [
      "a figure array",
      () => log.figure("f", [] as never),
      /Plotly spec object \(\{ data, layout \}\) or an SVG string, got an array/,
    ],
    [
      "a figure spec that is not JSON",
      () => log.figure("f", { data: [1n] }),
      /^ctx\.log\.figure\("f"\): spec\.data\[0\] is a BigInt/,
    ],
    [
      "an artifact that is a number",
      () => log.artifact("a", 1 as never),
      /Uint8Array or a path relative to out\/, got number 1/,
    ],
    [
      "a text over 1 MB",
      () => log.text("s", "x".repeat(1_000_001)),
      /over 1 MB as JSON; log it as an artifact instead/,
    ],
  ];
  for (const [name, call, message] of cases) {
    await t.step(name, () => assert.throws(call, { name: "TypeError", message }));
  }
});

Deno.test("ctx.log rejects paths that leave out/", () => {
  const sink = { ...memorySink().sink, write: () => assert.fail("nothing is written") };
  const log = createTrialLog(sink, "/nonexistent");
  assert.throws(() => log.image("i", "../x.png"), {
    name: "TypeError",
    message: /^ctx\.log\.image\("i"\): path "\.\.\/x\.png" leaves the trial's out\/ directory/,
  });
  assert.throws(() => log.artifact("a", "/etc/passwd"), {
    name: "TypeError",
    message: /is absolute/,
  });
  assert.throws(() => log.image("i", "a/../../x.png"), TypeError);
});

Deno.test("ctx.log.image() writes bytes under images/ with the extension of their format", async () => {
  await withLog(async (log, events, out) => {
    log.image("pred", PNG, { step: 3 });
    log.image("pred", JPEG);
    log.image("val/pred", WEBP, { step: 3 });
    log.image("chart", new TextEncoder().encode(SVG));
    log.image("pred", PNG, { step: 3 });
    log.image("given", "plots/./given.png", { step: 1 });
    assert.deepEqual(events(), [
      { t: "image", name: "pred", path: "images/pred_3.png", step: 3 },
      { t: "image", name: "pred", path: "images/pred.jpeg" },
      { t: "image", name: "val/pred", path: "images/val_pred_3.webp", step: 3 },
      { t: "image", name: "chart", path: "images/chart.svg" },
      { t: "image", name: "pred", path: "images/pred_3_1.png", step: 3 },
      { t: "image", name: "given", path: "plots/given.png", step: 1 },
    ]);
    assert.deepEqual(await Deno.readFile(join(out, "images/pred_3.png")), PNG);
    assert.deepEqual(await Deno.readFile(join(out, "images/pred.jpeg")), JPEG);
    assert.deepEqual(await Deno.readFile(join(out, "images/pred_3_1.png")), PNG);
  });
});

Deno.test("ctx.log.figure() keeps a Plotly spec in the event and an SVG in a file", async () => {
  await withLog(async (log, events, out) => {
    const spec = { data: [{ x: [1, 2], y: [0.5, NaN] }], layout: { title: "roc" } };
    log.figure("roc", spec, { step: 2 });
    log.figure("roc", SVG, { step: 2 });
    log.figure("curve", SVG);
    assert.deepEqual(events(), [
      {
        t: "figure",
        name: "roc",
        format: "plotly",
        spec: { ...spec, data: [{ x: [1, 2], y: [0.5, "NaN"] }] },
        step: 2,
      },
      { t: "figure", name: "roc", format: "svg", path: "figures/roc_2.svg", step: 2 },
      { t: "figure", name: "curve", format: "svg", path: "figures/curve.svg" },
    ]);
    assert.equal(await Deno.readTextFile(join(out, "figures/roc_2.svg")), SVG);
  });
});

Deno.test("ctx.log.artifact() writes bytes under artifacts/ or takes a path in out/", async () => {
  await withLog(async (log, events, out) => {
    const bytes = new Uint8Array([0, 1, 2]);
    log.artifact("model.bin", bytes);
    log.artifact("model.bin", bytes);
    log.artifact("weights", "ckpt/weights.bin");
    log.artifact("notes", bytes);
    log.artifact("notes", bytes);
    assert.deepEqual(events(), [
      { t: "artifact", name: "model.bin", path: "artifacts/model.bin" },
      { t: "artifact", name: "model.bin", path: "artifacts/model_1.bin" },
      { t: "artifact", name: "weights", path: "ckpt/weights.bin" },
      { t: "artifact", name: "notes", path: "artifacts/notes" },
      { t: "artifact", name: "notes", path: "artifacts/notes_1" },
    ]);
    assert.deepEqual(await Deno.readFile(join(out, "artifacts/model.bin")), bytes);
  });
});

Deno.test("ctx.log.metric(), param() and text() write their events", async () => {
  await withLog((log, events) => {
    log.metric("accuracy", 0.93);
    log.param("n_params", 12345);
    log.param("layers", [{ width: 64 }]);
    log.text("sample", "héllo\n", { step: 3 });
    log.text("note", "plain");
    assert.deepEqual(events(), [
      { t: "metric", name: "accuracy", value: 0.93 },
      { t: "param", name: "n_params", value: 12345 },
      { t: "param", name: "layers", value: [{ width: 64 }] },
      { t: "text", name: "sample", value: "héllo\n", step: 3 },
      { t: "text", name: "note", value: "plain" },
    ]);
  });
});

Deno.test("ctx.log methods work detached from the object", async () => {
  await withLog((log, events) => {
    const { scalar, metric } = log;
    scalar("loss", 1);
    metric("acc", 1);
    assert.equal(events().length, 2);
  });
});
