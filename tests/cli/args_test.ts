import assert from "node:assert/strict";
import { type OptionSpec, parseArgs } from "../../lib/cli/args.ts";
import { UsageError } from "../../lib/errors.ts";

const SPECS: OptionSpec[] = [
  { name: "jobs", short: "j", kind: "integer", value: "N", summary: "parallel" },
  { name: "dry-run", kind: "boolean", summary: "plan only" },
  { name: "force", kind: "optional", value: "STAGE", summary: "rerun" },
  { name: "stage", kind: "string", value: "S", summary: "stage", multiple: true },
  { name: "stream", short: "s", kind: "boolean", summary: "stream" },
  { name: "verbose", short: "v", kind: "boolean", summary: "verbose" },
];

function parse(argv: string[]) {
  return parseArgs(argv, SPECS, { command: "xp run" });
}

Deno.test("parseArgs() reads every value form", async (t) => {
  const cases: [string, string[], Record<string, unknown>, string[]][] = [
    ["long with space", ["--jobs", "4"], { jobs: 4 }, []],
    ["long with =", ["--jobs=4"], { jobs: 4 }, []],
    ["short with space", ["-j", "4"], { jobs: 4 }, []],
    ["short attached", ["-j4"], { jobs: 4 }, []],
    ["bundled booleans", ["-sv"], { stream: true, verbose: true }, []],
    ["optional bare", ["--force"], { force: true }, []],
    ["optional with value", ["--force=train"], { force: "train" }, []],
    ["repeated collects", ["--stage", "a", "--stage=b"], { stage: ["a", "b"] }, []],
    ["positionals kept in order", ["lr=1", "--dry-run", "x.yaml"], { "dry-run": true }, [
      "lr=1",
      "x.yaml",
    ]],
    ["-- ends options", ["--", "--dry-run"], {}, ["--dry-run"]],
    ["negative number is positional", ["-3"], {}, ["-3"]],
  ];
  for (const [name, argv, options, positionals] of cases) {
    await t.step(name, () => {
      const parsed = parse(argv);
      assert.deepEqual(Object.fromEntries(parsed.options), options);
      assert.deepEqual(parsed.positionals, positionals);
    });
  }
});

Deno.test("parseArgs() rejects mistakes with a message and a hint", async (t) => {
  const cases: [string, string[], RegExp, RegExp][] = [
    ["unknown long", ["--dryrun"], /Unknown option "--dryrun" for "xp run"/, /--dry-run/],
    ["unknown short", ["-x"], /Unknown option "-x"/, /xp run --help/],
    ["missing value", ["--jobs"], /"--jobs" needs a value/, /--jobs N/],
    ["value looks like a flag", ["-j", "--dry-run"], /"-j" needs a value/, /-j N/],
    ["not a number", ["-j", "four"], /needs a whole number, got "four"/, /-j 4/],
    ["boolean with value", ["--dry-run=yes"], /takes no value, got "yes"/, /--help/],
  ];
  for (const [name, argv, message, hint] of cases) {
    await t.step(name, () => {
      assert.throws(() => parse(argv), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, message);
        assert.match(error.hint ?? "", hint);
        return true;
      });
    });
  }
});
