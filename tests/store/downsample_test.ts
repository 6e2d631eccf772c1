import assert from "node:assert/strict";
import { downsampleMinMax } from "../../lib/store/downsample.ts";

function series(values: number[]) {
  return { step: values.map((_, i) => i), value: values, time: values.map((_, i) => i / 10) };
}

Deno.test("downsampleMinMax() leaves a short series as it is", () => {
  const s = series([3, 1, 2]);
  assert.equal(downsampleMinMax(s, 10), s);
});

Deno.test("downsampleMinMax() keeps each bucket's min and max in step order", () => {
  const values = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 1000));
  values[31_337] = 99;
  values[77_777] = -99;
  const out = downsampleMinMax(series(values), 2000);
  assert.ok(out.step.length <= 2000);
  assert.ok(out.step.length >= 1000);
  assert.ok(out.value.includes(99) && out.value.includes(-99));
  assert.ok(out.step.every((s, i) => i === 0 || s > out.step[i - 1]!));
  assert.equal(out.time[out.step.indexOf(31_337)], 3133.7);
  assert.equal(out.step[0], 0);
  assert.equal(out.step.at(-1), 99_999);
});
