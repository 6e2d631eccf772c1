import assert from "node:assert/strict";
import { downsampleMinMax } from "../../lib/store/downsample.ts";

function series(values: number[]) {
  return { step: values.map((_, i) => i), value: values, time: values.map((_, i) => i / 10) };
}

Deno.test("downsampleMinMax() leaves a short series as it is", () => {
  const s = series([3, 1, 2]);
  assert.deepEqual(downsampleMinMax(s, 10), s);
});

Deno.test("downsampleMinMax() takes a range of typed columns and leaves out non-finite values", () => {
  const step = Float64Array.from({ length: 6 }, (_, i) => i);
  const value = Float64Array.from([9, NaN, 1, Infinity, 2, 9]);
  const time = Float64Array.from([0, 1, NaN, 3, 4, 5]);
  assert.deepEqual(downsampleMinMax({ step, value, time }, 10, 1, 5), {
    step: [2, 4],
    value: [1, 2],
    time: [null, 4],
  });
  // Four finite points into one bucket: its first max (step 0) and its min (step 2), in step order.
  assert.deepEqual(downsampleMinMax({ step, value, time }, 2).step, [0, 2]);
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
