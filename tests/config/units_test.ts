import assert from "node:assert/strict";
import { parseDuration, parseSize } from "../../lib/config/units.ts";

Deno.test("parseDuration() converts a duration to milliseconds", async (t) => {
  const cases: [string, unknown, number][] = [
    ["a number of seconds", 90, 90_000],
    ["a fraction of a second", 2.5, 2500],
    ["a string of seconds without a unit", "90", 90_000],
    ["milliseconds", "500ms", 500],
    ["seconds", "90s", 90_000],
    ["minutes", "10m", 600_000],
    ["hours", "2h", 7_200_000],
    ["hours and minutes", "1h30m", 5_400_000],
    ["minutes, seconds and milliseconds", "1m30s250ms", 90_250],
    ["a decimal amount", "1.5s", 1500],
    ["surrounding spaces", " 10m ", 600_000],
    ["a zero part beside a positive one", "0h5m", 300_000],
  ];
  for (const [name, value, expected] of cases) {
    await t.step(name, () => assert.equal(parseDuration(value), expected));
  }
});

Deno.test("parseDuration() returns undefined for what is not a positive duration", async (t) => {
  const cases: [string, unknown][] = [
    ["a word", "soon"],
    ["an unknown unit", "10d"],
    ["an upper-case unit", "10M"],
    ["a space inside", "10 m"],
    ["a unit without a number", "ms"],
    ["a trailing number", "1h30"],
    ["an empty string", ""],
    ["zero", 0],
    ["zero with a unit", "0s"],
    ["zero as a string", "0"],
    ["a negative number", -5],
    ["a negative string", "-5s"],
    ["infinity", Infinity],
    ["NaN", NaN],
    ["null", null],
    ["a boolean", true],
    ["a list", ["10m"]],
  ];
  for (const [name, value] of cases) {
    await t.step(name, () => assert.equal(parseDuration(value), undefined));
  }
});

Deno.test("parseSize() converts a size to bytes", async (t) => {
  const cases: [string, unknown, number][] = [
    ["a number of megabytes", 512, 512 * 2 ** 20],
    ["a fraction of a megabyte", 0.5, 2 ** 19],
    ["kilobytes", "4K", 4 * 2 ** 10],
    ["megabytes", "512M", 512 * 2 ** 20],
    ["gigabytes", "4G", 4 * 2 ** 30],
    ["terabytes", "1T", 2 ** 40],
    ["a lower-case unit", "4g", 4 * 2 ** 30],
    ["a B suffix", "4GB", 4 * 2 ** 30],
    ["an iB suffix", "4GiB", 4 * 2 ** 30],
    ["a decimal amount", "1.5G", 1.5 * 2 ** 30],
    ["a space before the unit", "4 G", 4 * 2 ** 30],
  ];
  for (const [name, value, expected] of cases) {
    await t.step(name, () => assert.equal(parseSize(value), expected));
  }
});

Deno.test("parseSize() returns undefined for what is not a positive size", async (t) => {
  const cases: [string, unknown][] = [
    ["a word", "lots"],
    ["a string without a unit", "512"],
    ["an unknown unit", "4X"],
    ["an i without B", "4Gi"],
    ["zero", 0],
    ["zero with a unit", "0G"],
    ["a negative number", -1],
    ["a negative string", "-1G"],
    ["infinity", Infinity],
    ["null", null],
    ["a boolean", false],
  ];
  for (const [name, value] of cases) {
    await t.step(name, () => assert.equal(parseSize(value), undefined));
  }
});
