import assert from "node:assert/strict";
import { join } from "node:path";
import type { Experiment, JsonObject } from "../../lib/config/model.ts";
import { ConfigError } from "../../lib/errors.ts";
import { stageDigest } from "../../lib/plan/digest.ts";
import { DENO, experimentOf, load, writeFiles } from "./_experiment.ts";

/** Runs `fn` in a fresh temp dir holding `files`, removed afterwards. */
async function withFiles(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "xp_test_" });
  try {
    await writeFiles(dir, files);
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The digest of the experiment's only (or named) stage. */
async function digestOf(experiment: Experiment, stage = experiment.stages[0]!.name) {
  const found = experiment.stages.find((s) => s.name === stage);
  assert.ok(found, `no stage ${stage}`);
  return await stageDigest(experiment, found, { deno: DENO });
}

async function digestError(experiment: Experiment): Promise<ConfigError> {
  try {
    await digestOf(experiment);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error;
  }
  assert.fail("expected a ConfigError");
}

const SCRIPT_FILES = {
  "xp.yaml": "script: train.ts\n",
  "train.ts": 'import { helper } from "./lib/helper.ts";\nexport default () => helper();\n',
  "lib/helper.ts": 'import { deep } from "./deep.ts";\nexport const helper = () => deep;\n',
  "lib/deep.ts": "export const deep = 1;\n",
  "notes.txt": "not imported\n",
};

Deno.test("stageDigest() of a script follows its local imports", async (t) => {
  const cases: [string, string, string, boolean][] = [
    ["the script itself", "train.ts", "export default () => 2;\n", true],
    ["a module it imports", "lib/helper.ts", "export const helper = () => 3;\n", true],
    ["a module imported transitively", "lib/deep.ts", "export const deep = 2;\n", true],
    ["a file it does not import", "notes.txt", "edited\n", false],
    ["a module nothing imports", "lib/unused.ts", "export const x = 1;\n", false],
  ];
  for (const [name, file, text, changes] of cases) {
    await t.step(`editing ${name} ${changes ? "changes" : "keeps"} the digest`, async () => {
      await withFiles(SCRIPT_FILES, async (dir) => {
        const before = await digestOf(await load(dir));
        assert.equal(await digestOf(await load(dir)), before, "a digest is stable");
        await writeFiles(dir, { [file]: text });
        const after = await digestOf(await load(dir));
        assert.equal(after !== before, changes);
      });
    });
  }
});

Deno.test("stageDigest() leaves the SDK's files out", async () => {
  const files = {
    "xp.yaml": "script: train.ts\n",
    "train.ts": 'import { experiment } from "xp";\nexport default () => experiment;\n',
    "sdk/import_map.json": '{ "imports": { "xp": "./mod.ts" } }\n',
    "sdk/mod.ts": "export const experiment = 1;\n",
  };
  await withFiles(files, async (dir) => {
    const experiment = await load(dir);
    const stage = experiment.stages[0]!;
    const importMap = join(dir, "sdk/import_map.json");
    const before = await stageDigest(experiment, stage, { deno: DENO, importMap });
    await writeFiles(dir, { "sdk/mod.ts": "export const experiment = 2; // an xp upgrade\n" });
    assert.equal(await stageDigest(experiment, stage, { deno: DENO, importMap }), before);
  });
});

Deno.test("stageDigest() of an xp.ts stage digests the experiment file", async () => {
  const source = (n: number) =>
    'import { experiment } from "xp";\n' +
    `export default experiment({ run: () => ({ n: ${n} }) });\n`;
  await withFiles({ "xp.ts": source(1) }, async (dir) => {
    const experiment = await load(dir, "xp.ts");
    assert.equal(experiment.stages[0]!.inline, true);
    const before = await digestOf(experiment);
    await writeFiles(dir, { "xp.ts": source(2) });
    assert.notEqual(await digestOf(experiment), before);
  });
});

Deno.test("stageDigest() names a script that does not load", async (t) => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ["a syntax error", { "train.ts": "export default (x => ;\n" }, /SyntaxError/],
    ["a missing import", { "train.ts": 'import "./gone.ts";\n' }, /Module not found.*gone\.ts/],
    ["an unmapped bare import", { "train.ts": 'import "lodash";\n' }, /"lodash"/],
  ];
  for (const [name, files, pattern] of cases) {
    await t.step(name, async () => {
      await withFiles({ "xp.yaml": "script: train.ts\n", ...files }, async (dir) => {
        const error = await digestError(await load(dir));
        assert.match(error.message, /^Cannot load script "train\.ts" of stage "main": /);
        assert.match(error.message, pattern);
        assert.equal(error.at?.file, "xp.yaml");
        assert.equal(error.at?.line, 1);
      });
    });
  }
});

Deno.test("stageDigest() reports a deno that cannot be started", async () => {
  await withFiles(
    { "xp.yaml": "script: train.ts\n", "train.ts": "export default 1;\n" },
    async (dir) => {
      const experiment = await load(dir);
      await assert.rejects(
        () => stageDigest(experiment, experiment.stages[0]!, { deno: join(dir, "no-deno") }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(
            error.message,
            /^Cannot load script "train\.ts" of stage "main": cannot run /,
          );
          return true;
        },
      );
    },
  );
});

Deno.test("stageDigest() of a command tracks the files its words name", async (t) => {
  const files = {
    "train.py": "print(1)\n",
    "data/x.csv": "a,b\n",
    "other.py": "print(2)\n",
  };
  const command = "python3 train.py --data=data/x.csv --out ${out} '${lr}'";
  const cases: [string, Record<string, string>, boolean][] = [
    ["the script it runs", { "train.py": "print(3)\n" }, true],
    ["a file passed as --flag=value", { "data/x.csv": "a,b\n1,2\n" }, true],
    ["a file it does not name", { "other.py": "print(4)\n" }, false],
  ];
  for (const [name, edit, changes] of cases) {
    await t.step(`editing ${name} ${changes ? "changes" : "keeps"} the digest`, async () => {
      await withFiles(files, async (dir) => {
        const experiment = experimentOf({ command }, dir);
        const before = await digestOf(experiment);
        await writeFiles(dir, edit);
        assert.equal((await digestOf(experiment)) !== before, changes);
      });
    });
  }
  await t.step("editing the command changes the digest", async () => {
    await withFiles(files, async (dir) => {
      const before = await digestOf(experimentOf({ command }, dir));
      const after = await digestOf(experimentOf({ command: command + " -v" }, dir));
      assert.notEqual(after, before);
    });
  });
});

Deno.test("stageDigest() includes inputs: files, directories and globs", async (t) => {
  const files = {
    "data/train.csv": "1\n",
    "data/nested/deep.csv": "2\n",
    "data/readme.txt": "about\n",
    "config/a.json": "{}\n",
    "top.csv": "3\n",
  };
  const cases: [string, string, Record<string, string>, boolean][] = [
    ["a file input", "config/a.json", { "config/a.json": "{ }\n" }, true],
    ["a directory input, nested file", "data", { "data/nested/deep.csv": "22\n" }, true],
    ["a directory input, new file", "data/", { "data/new.bin": "x" }, true],
    ["a ** glob, nested match", "data/**/*.csv", { "data/nested/deep.csv": "22\n" }, true],
    ["a ** glob, new match", "data/**/*.csv", { "data/more/m.csv": "4\n" }, true],
    ["a ** glob, non-matching file", "data/**/*.csv", { "data/readme.txt": "edit\n" }, false],
    ["a * glob stays in its directory", "*.csv", { "data/train.csv": "9\n" }, false],
    ["a * glob, match", "*.csv", { "top.csv": "9\n" }, true],
    ["a glob that matches a directory", "dat*", { "data/nested/deep.csv": "22\n" }, true],
    ["a file outside the inputs", "config/a.json", { "top.csv": "9\n" }, false],
  ];
  for (const [name, input, edit, changes] of cases) {
    await t.step(`${name} ${changes ? "changes" : "keeps"} the digest`, async () => {
      await withFiles(files, async (dir) => {
        const experiment = experimentOf({ command: "echo", inputs: [input] }, dir);
        const before = await digestOf(experiment);
        await writeFiles(dir, edit);
        assert.equal((await digestOf(experiment)) !== before, changes);
      });
    });
  }
  await t.step("the store and .git are not part of a directory input", async () => {
    await withFiles(files, async (dir) => {
      const experiment = experimentOf({ command: "echo", inputs: ["."] }, dir);
      const before = await digestOf(experiment);
      await writeFiles(dir, { ".xp/trials/k/status.json": "{}", ".git/HEAD": "ref" });
      assert.equal(await digestOf(experiment), before);
    });
  });
});

Deno.test("stageDigest() reports a missing input at its place", async (t) => {
  const cases: [string, string, RegExp, RegExp][] = [
    ["a missing file", "data/gone.csv", /no such file or directory/, /relative to the/],
    ["a glob without matches", "data/*.parquet", /the glob matches no file/, /\*\* across/],
  ];
  for (const [name, input, message, hint] of cases) {
    await t.step(name, async () => {
      await withFiles({ "data/a.csv": "1\n" }, async (dir) => {
        const experiment = experimentOf({
          stages: { train: { command: "echo", inputs: ["data/a.csv", input] } },
        }, dir);
        const error = await digestError(experiment);
        assert.match(
          error.message,
          new RegExp(`^Cannot find input "${input.replace("*", "\\*")}"`),
        );
        assert.match(error.message, message);
        assert.match(error.hint ?? "", hint);
        assert.deepEqual(error.at, { file: "xp.yaml#stages.train.inputs.1" });
      });
    });
  }
});

Deno.test("stageDigest() includes the settings that change what runs", async (t) => {
  const base = { command: "echo" };
  const cases: [string, JsonObject, boolean][] = [
    ["env", { env: { A: "1" } }, true],
    ["permissions", { permissions: { net: ["example.com"] } }, true],
    ["sandbox", { sandbox: "bwrap" }, true],
    ["memory", { memory: "1G" }, true],
    ["timeout", { timeout: "10m" }, false],
    ["retry", { retry: 2 }, false],
  ];
  await withFiles({}, async (dir) => {
    const before = await digestOf(experimentOf(base, dir));
    for (const [name, settings, changes] of cases) {
      await t.step(`${name} ${changes ? "changes" : "keeps"} the digest`, async () => {
        const after = await digestOf(experimentOf({ ...base, ...settings }, dir));
        assert.equal(after !== before, changes);
      });
    }
  });
});
