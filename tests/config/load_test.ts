import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { findExperimentFile, loadExperiment } from "../../lib/config/load.ts";
import type { Experiment } from "../../lib/config/model.ts";
import { rejected } from "../_helpers.ts";

const DENO = Deno.execPath();

/** Files to write, by path relative to the temp dir. */
type Files = Record<string, string>;

/** Runs `fn` in a fresh temp dir (its real path) holding `files`; removes it afterwards. */
async function withFiles(files: Files, fn: (dir: string) => Promise<void>): Promise<void> {
  const made = await Deno.makeTempDir({ prefix: "xp_test_" });
  try {
    const dir = await Deno.realPath(made);
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
      await Deno.writeTextFile(join(dir, path), text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(made, { recursive: true });
  }
}

/** Loads `target` with the temp dir as the current directory. */
function load(dir: string, target?: string): Promise<Experiment> {
  return loadExperiment(target, { cwd: dir, deno: DENO });
}

function configError(promise: Promise<unknown>): Promise<ConfigError> {
  return rejected(promise, ConfigError);
}

/** Lines joined into a file. */
const lines = (...text: string[]) => text.join("\n") + "\n";

const RUN = lines("command: echo");

Deno.test("findExperimentFile() finds the experiment file", async (t) => {
  const cases: [string, Files, string | undefined, string][] = [
    ["xp.yaml in the current directory", { "xp.yaml": RUN }, undefined, "xp.yaml"],
    ["xp.ts in the current directory", { "xp.ts": "" }, undefined, "xp.ts"],
    ["xp.yaml before xp.ts", { "xp.yaml": RUN, "xp.ts": "" }, undefined, "xp.yaml"],
    ["xp.yaml in a given directory", { "exp/xp.yaml": RUN }, "exp", "exp/xp.yaml"],
    ["xp.ts in a given directory", { "exp/xp.ts": "" }, "exp/", "exp/xp.ts"],
    [
      "a given .yaml file",
      { "exp/other.yaml": RUN, "xp.yaml": RUN },
      "exp/other.yaml",
      "exp/other.yaml",
    ],
    ["a given .yml file", { "a.yml": RUN }, "a.yml", "a.yml"],
    ["a given .ts file", { "plan.ts": "" }, "plan.ts", "plan.ts"],
  ];
  for (const [name, files, target, expected] of cases) {
    await t.step(name, async () => {
      await withFiles(files, async (dir) => {
        assert.equal(await findExperimentFile(target, dir), join(dir, expected));
      });
    });
  }
  await t.step("an absolute path", async () => {
    await withFiles({ "exp/xp.yaml": RUN }, async (dir) => {
      assert.equal(await findExperimentFile(join(dir, "exp"), "/"), join(dir, "exp/xp.yaml"));
    });
  });
  await t.step("the real path behind a symlink", async () => {
    await withFiles({ "real/xp.yaml": RUN }, async (dir) => {
      await Deno.symlink(join(dir, "real"), join(dir, "link"));
      assert.equal(await findExperimentFile("link", dir), join(dir, "real/xp.yaml"));
      const experiment = await load(dir, "link");
      assert.equal(experiment.dir, join(dir, "real"));
      assert.equal(experiment.name, "real");
    });
  });
});

Deno.test("findExperimentFile() says what is missing", async (t) => {
  const cases: [string, Files, string | undefined, string, RegExp | undefined][] = [
    [
      "a missing file",
      {},
      "nope.yaml",
      'Cannot find "nope.yaml"',
      /give the path of an xp\.yaml or xp\.ts, or a directory holding one/,
    ],
    [
      "a missing directory",
      {},
      "nope/",
      'Cannot find "nope/"',
      /a directory holding one/,
    ],
    [
      "a directory without an experiment file",
      { "exp/train.ts": "" },
      "exp",
      'Cannot find xp.yaml or xp.ts in "exp"',
      /xp init/,
    ],
    [
      "the current directory without an experiment file",
      { "README.md": "" },
      undefined,
      "Cannot find xp.yaml or xp.ts in the current directory",
      /give the file: xp run path\/to\/xp\.yaml/,
    ],
    [
      "a file of another kind",
      { "xp.json": "{}" },
      "xp.json",
      'Cannot load "xp.json": an experiment file ends in .yaml, .yml or .ts',
      undefined,
    ],
  ];
  for (const [name, files, target, message, hint] of cases) {
    await t.step(name, async () => {
      await withFiles(files, async (dir) => {
        const error = await configError(findExperimentFile(target, dir));
        assert.equal(error.message, message);
        if (hint) assert.match(error.hint ?? "", hint);
      });
    });
  }
});

Deno.test("loadExperiment() loads an xp.yaml", async (t) => {
  const files = {
    "mnist/xp.yaml": lines(
      "params:",
      "  lr: 0.01",
      "sweep:",
      "  lr: [0.1, 0.01]",
      "stages:",
      "  train:",
      "    script: train.ts",
      "    timeout: 10m",
      "  eval:",
      "    command: python3 eval.py",
      "    depends_on: [train]",
    ),
    "mnist/train.ts": "export default () => ({});\n",
  };
  await withFiles(files, async (dir) => {
    const experiment = await load(dir, "mnist");
    await t.step("with the file's real path and directory", () => {
      assert.equal(experiment.file, join(dir, "mnist/xp.yaml"));
      assert.equal(experiment.dir, join(dir, "mnist"));
    });
    await t.step("named after its directory", () => assert.equal(experiment.name, "mnist"));
    await t.step("with its params, sweep and stages", () => {
      assert.deepEqual(experiment.params, { lr: 0.01 });
      assert.deepEqual(experiment.sweep, { lr: [0.1, 0.01] });
      assert.deepEqual(experiment.stages.map((s) => [s.name, s.dependsOn]), [
        ["train", []],
        ["eval", ["train"]],
      ]);
      assert.equal(experiment.stages[0]!.timeoutMs, 600_000);
    });
    await t.step("locating keys by file, line and column", () => {
      assert.deepEqual(experiment.locate(["stages", "train", "timeout"]), {
        file: "mnist/xp.yaml",
        line: 8,
        column: 5,
      });
      // A path that was not written is located at its closest written parent.
      assert.deepEqual(experiment.locate(["stages", "eval", "retry"]), {
        file: "mnist/xp.yaml",
        line: 9,
        column: 3,
      });
    });
  });
});

Deno.test("loadExperiment() locates errors in the file", async (t) => {
  const cases: [string, Files, string, { file: string; line: number; column: number }][] = [
    [
      "a YAML syntax error",
      { "xp.yaml": lines("params:", "  lr: [1, 2", "command: echo") },
      "Cannot parse YAML",
      { file: "xp.yaml", line: 3, column: 1 },
    ],
    [
      "an unknown key",
      { "xp.yaml": lines("command: echo", "parmas: {}") },
      'Unknown key "parmas" in experiment',
      { file: "xp.yaml", line: 2, column: 1 },
    ],
    [
      "a stage script that does not exist",
      {
        "xp.yaml": lines(
          "stages:",
          "  prep:",
          "    command: echo",
          "  train:",
          "    script: train.ts",
        ),
      },
      'Cannot find script "train.ts" of stage "train"',
      { file: "xp.yaml", line: 5, column: 5 },
    ],
    [
      "a one-stage script that does not exist",
      { "xp.yaml": lines("name: x", "script: src/train.ts"), "train.ts": "" },
      'Cannot find script "src/train.ts" of stage "main"',
      { file: "xp.yaml", line: 2, column: 1 },
    ],
  ];
  for (const [name, files, message, at] of cases) {
    await t.step(name, async () => {
      await withFiles(files, async (dir) => {
        const error = await configError(load(dir));
        assert.match(error.message, new RegExp(`^${RegExp.escape(message)}`));
        assert.deepEqual(error.at, at);
      });
    });
  }
  await t.step("a script's hint names the experiment's directory", async () => {
    await withFiles({ "exp/xp.yaml": lines("script: nope.ts") }, async (dir) => {
      const error = await configError(load(dir, "exp"));
      assert.equal(error.hint, "scripts are relative to the experiment's directory (exp/)");
    });
  });
});

Deno.test("loadExperiment() follows imports", async (t) => {
  await t.step("a chain of three, each relative to the file that imports it", async () => {
    const files = {
      "exp/xp.yaml": lines(
        "imports: [configs/mid.yaml]",
        "params: { d: 4 }",
        "command: echo",
      ),
      "exp/configs/mid.yaml": lines("imports: [../shared/base.yaml]", "params: { c: 3, b: 30 }"),
      "exp/shared/base.yaml": lines("imports: deep.yaml", "params: { b: 2, a: 20 }"),
      "exp/shared/deep.yaml": lines("name: deep", "params: { a: 1, z: 0 }"),
    };
    await withFiles(files, async (dir) => {
      const experiment = await load(dir, "exp");
      assert.deepEqual(experiment.params, { a: 20, z: 0, b: 30, c: 3, d: 4 });
      assert.equal(experiment.name, "deep");
      assert.equal(experiment.file, join(dir, "exp/xp.yaml"));
    });
  });
  await t.step("several imports in order, later ones winning", async () => {
    const files = {
      "xp.yaml": lines("imports: [one.yaml, two.yaml]", "name: top", "command: echo"),
      "one.yaml": lines("name: one", "params: { a: 1, b: 1 }", "sweep: { a: [1, 2] }"),
      "two.yaml": lines("name: two", "params: { b: 2 }"),
    };
    await withFiles(files, async (dir) => {
      const experiment = await load(dir);
      assert.equal(experiment.name, "top");
      assert.deepEqual(experiment.params, { a: 1, b: 2 });
      assert.deepEqual(experiment.sweep, { a: [1, 2] });
    });
  });
  await t.step("an import shared by two imports is no cycle", async () => {
    const files = {
      "xp.yaml": lines("imports: [a.yaml, b.yaml]", "command: echo"),
      "a.yaml": lines("imports: [base.yaml]", "params: { a: 1 }"),
      "b.yaml": lines("imports: [base.yaml]", "params: { b: 1 }"),
      "base.yaml": lines("params: { base: 1 }"),
    };
    await withFiles(files, async (dir) => {
      assert.deepEqual((await load(dir)).params, { base: 1, a: 1, b: 1 });
    });
  });
});

Deno.test("loadExperiment() merges an importing file into its imports", async (t) => {
  const base = lines(
    "params:",
    "  lr: 0.01",
    "  model: { depth: 4, width: 128 }",
    "  opt: { name: sgd, momentum: 0.9 }",
    "sweep: { lr: [1, 2], model.depth: [1, 2] }",
    "stages:",
    "  train:",
    "    command: python3 train.py",
    "    timeout: 10m",
    "    params: { a: 1, b: 2 }",
    "    env: { A: 1 }",
    "  eval:",
    "    command: python3 eval.py",
    "    depends_on: [train]",
  );
  const cases: [string, string[], (experiment: Experiment) => void][] = [
    [
      "params key by key: a plain key replaces only its own value",
      ["params: { lr: 0.1 }"],
      (e) =>
        assert.deepEqual(e.params, {
          lr: 0.1,
          model: { depth: 4, width: 128 },
          opt: { name: "sgd", momentum: 0.9 },
        }),
    ],
    [
      "params: a plain map replaces the imported map",
      ["params: { model: { depth: 8 } }"],
      (e) => assert.deepEqual(e.params.model, { depth: 8 }),
    ],
    [
      "params: a **key merges the imported map",
      ["params: { '**opt': { name: adam } }"],
      (e) => assert.deepEqual(e.params.opt, { name: "adam", momentum: 0.9 }),
    ],
    [
      "params: a dotted key reaches one imported value",
      ["params:", "  model.depth: 8", "  opt.lr: 0.5"],
      (e) => {
        assert.deepEqual(e.params.model, { depth: 8, width: 128 });
        assert.deepEqual(e.params.opt, { name: "sgd", momentum: 0.9, lr: 0.5 });
      },
    ],
    [
      "the sweep is replaced as written",
      ["sweep: { model.width: [8] }"],
      (e) => assert.deepEqual(e.sweep, { "model.width": [8] }),
    ],
    [
      "a stage of the same name field by field, its params key by key",
      ["stages:", "  train:", "    retry: 2", "    params: { b: 3 }"],
      (e) => {
        const train = e.stages.find((s) => s.name === "train")!;
        assert.equal(train.command, "python3 train.py");
        assert.equal(train.timeoutMs, 600_000);
        assert.equal(train.retry, 2);
        assert.deepEqual(train.params, { a: 1, b: 3 });
        assert.deepEqual(train.env, { A: "1" });
      },
    ],
    [
      "a stage's map field replaced as a whole",
      ["stages:", "  train:", "    env: { B: 2 }"],
      (e) => assert.deepEqual(e.stages.find((s) => s.name === "train")!.env, { B: "2" }),
    ],
    [
      "a new stage added after the imported ones",
      ["stages:", "  report:", "    command: echo", "    depends_on: ['/^(train|eval)$/']"],
      (e) => {
        assert.deepEqual(e.stages.map((s) => s.name), ["train", "eval", "report"]);
        assert.deepEqual(e.stages[2]!.dependsOn, ["train", "eval"]);
      },
    ],
  ];
  for (const [name, own, check] of cases) {
    await t.step(name, async () => {
      const files = { "base.yaml": base, "xp.yaml": lines("imports: [base.yaml]", ...own) };
      await withFiles(files, async (dir) => check(await load(dir)));
    });
  }
});

Deno.test("loadExperiment() names the file of a problem in an import", async (t) => {
  const cases: [string, Files, string, { file: string; line?: number; column?: number }][] = [
    [
      "a missing import, at the import's line",
      {
        "xp.yaml": lines("name: x", "imports:", "  - base.yaml", "  - nope.yaml", "command: echo"),
        "base.yaml": "",
      },
      'Cannot import "nope.yaml": no such file',
      { file: "xp.yaml", line: 4, column: 5 },
    ],
    [
      "a missing import in an imported file",
      {
        "xp.yaml": lines("imports: [conf/mid.yaml]", "command: echo"),
        "conf/mid.yaml": lines("params: {}", "imports: [../base.yaml]"),
      },
      'Cannot import "../base.yaml": no such file',
      { file: "conf/mid.yaml", line: 2, column: 11 },
    ],
    [
      "an import cycle",
      {
        "xp.yaml": lines("imports: [a.yaml]", "command: echo"),
        "a.yaml": lines("imports: [b.yaml]"),
        "b.yaml": lines("params: {}", "imports: [a.yaml]"),
      },
      'Cannot import "a.yaml": imports form a cycle a.yaml → b.yaml → a.yaml',
      { file: "b.yaml", line: 2, column: 11 },
    ],
    [
      "a file importing itself",
      { "xp.yaml": lines("imports: xp.yaml", "command: echo") },
      'Cannot import "xp.yaml": imports form a cycle xp.yaml → xp.yaml',
      { file: "xp.yaml", line: 1, column: 1 },
    ],
    [
      "a syntax error in an imported file",
      {
        "xp.yaml": lines("imports: [conf/base.yaml]", "command: echo"),
        "conf/base.yaml": lines("params:", "  lr: 1", "  bad: [1,", "name: x"),
      },
      "Cannot parse YAML",
      { file: "conf/base.yaml", line: 4, column: 1 },
    ],
    [
      "a bad value written in an imported file",
      {
        "xp.yaml": lines("imports: [base.yaml]", "stages:", "  train:", "    retry: 1"),
        "base.yaml": lines("stages:", "  train:", "    command: echo", "    timeout: soon"),
      },
      'Cannot load "stages.train.timeout": expected a duration, got "soon"',
      { file: "base.yaml", line: 4, column: 5 },
    ],
    [
      "a bad value written over an import, in the importing file",
      {
        "xp.yaml": lines("imports: [base.yaml]", "stages:", "  train:", "    timeout: never"),
        "base.yaml": lines("stages:", "  train:", "    command: echo", "    timeout: 10m"),
      },
      'Cannot load "stages.train.timeout": expected a duration, got "never"',
      { file: "xp.yaml", line: 4, column: 5 },
    ],
    [
      "imports that are not file names",
      { "xp.yaml": lines("command: echo", "imports: { a: 1 }") },
      'Cannot load "imports": expected a file name or a list of file names',
      { file: "xp.yaml", line: 2, column: 1 },
    ],
  ];
  for (const [name, files, message, at] of cases) {
    await t.step(name, async () => {
      await withFiles(files, async (dir) => {
        const error = await configError(load(dir));
        assert.match(error.message, new RegExp(`^${RegExp.escape(message)}`));
        assert.deepEqual(error.at, at);
      });
    });
  }
  await t.step("a missing import's hint names the importing file's directory", async () => {
    const files = { "exp/xp.yaml": lines("imports: [nope.yaml]", "command: echo") };
    await withFiles(files, async (dir) => {
      const error = await configError(load(dir, "exp"));
      assert.equal(error.hint, "imports are relative to exp/");
    });
  });
});

/** An xp.ts that imports the SDK as a user would. */
const ts = (...body: string[]) => lines('import { experiment } from "xp";', ...body);

Deno.test("loadExperiment() evaluates an xp.ts in a planner", async (t) => {
  await t.step("a one-stage experiment with run", async () => {
    const files = {
      "mnist/xp.ts": ts(
        "export default experiment({",
        "  params: { lr: 0.01, model: { depth: 4 } },",
        '  sweep: { lr: [0.1, 0.01], "model.depth": [2, 4] },',
        "  timeout: '90s',",
        "  async run(cfg, ctx) {",
        '    ctx.log.scalar("loss", cfg.lr, { step: 0 });',
        "    return { accuracy: 0.9 };",
        "  },",
        "});",
      ),
    };
    await withFiles(files, async (dir) => {
      const experiment = await load(dir, "mnist");
      assert.equal(experiment.name, "mnist");
      assert.equal(experiment.file, join(dir, "mnist/xp.ts"));
      assert.equal(experiment.dir, join(dir, "mnist"));
      assert.deepEqual(experiment.params, { lr: 0.01, model: { depth: 4 } });
      assert.deepEqual(experiment.sweep, { lr: [0.1, 0.01], "model.depth": [2, 4] });
      assert.equal(experiment.stages.length, 1);
      const [main] = experiment.stages;
      assert.equal(main!.name, "main");
      assert.equal(main!.inline, true);
      assert.equal(main!.timeoutMs, 90_000);
    });
  });
  await t.step("a multi-stage experiment with dependsOn", async () => {
    const files = {
      "xp.ts": ts(
        "export default experiment({",
        '  name: "pipeline",',
        "  params: { lr: 0.01 },",
        "  stages: {",
        '    eval: { dependsOn: ["train"], run: (_cfg, ctx) => ctx.deps.train!.result },',
        "    train: { params: { lr: 0.1 }, sweep: { seed: [1, 2] }, run: () => ({ loss: 1 }) },",
        '    prep: { command: "python3 prep.py" },',
        '    report: { dependsOn: ["/^(train|eval)$/"], gather: true, run() {} },',
        "  },",
        "});",
      ),
    };
    await withFiles(files, async (dir) => {
      const experiment = await load(dir);
      assert.equal(experiment.name, "pipeline");
      assert.deepEqual(
        experiment.stages.map((s) => [s.name, s.dependsOn, s.inline ?? false, s.gather]),
        [
          ["eval", ["train"], true, false],
          ["train", [], true, false],
          ["prep", [], false, false],
          ["report", ["eval", "train"], true, true],
        ],
      );
      const train = experiment.stages.find((s) => s.name === "train")!;
      assert.deepEqual(train.params, { lr: 0.1 });
      assert.deepEqual(train.sweep, { seed: [1, 2] });
      assert.equal(experiment.stages.find((s) => s.name === "prep")!.command, "python3 prep.py");
    });
  });
  await t.step("reading a file in its own directory", async () => {
    const files = {
      "xp.ts": ts(
        'const params = JSON.parse(Deno.readTextFileSync(new URL("./params.json", import.meta.url)));',
        "export default experiment({ params, run() {} });",
      ),
      "params.json": '{ "lr": 0.5 }',
    };
    await withFiles(files, async (dir) => {
      assert.deepEqual((await load(dir)).params, { lr: 0.5 });
    });
  });
  await t.step("in a directory whose name needs escaping in a URL", async () => {
    const files = { "my exp #1 100%/xp.ts": ts("export default experiment({ run() {} });") };
    await withFiles(files, async (dir) => {
      assert.equal((await load(dir, "my exp #1 100%")).name, "my exp #1 100%");
    });
  });
});

Deno.test("loadExperiment() rejects an xp.ts that cannot be planned", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "one that throws at import",
      ts('throw new Error("no data found for mnist");'),
      /^Cannot evaluate the experiment file:\n[\s\S]*no data found for mnist/,
    ],
    [
      "one with a syntax error",
      ts("export default experiment({ run() { }"),
      /^Cannot evaluate the experiment file:\n/,
    ],
    [
      "one without a default export",
      ts("export const plan = experiment({ run() {} });"),
      /the file has no default export; write export default experiment/,
    ],
    [
      "one whose default export is not an object",
      "export default 42;\n",
      /^Cannot load experiment: the default export must be an object$/,
    ],
    [
      "a function in params",
      ts("export default experiment({ params: { lr: 0.1, sched: { fn: () => 1 } }, run() {} });"),
      /^Cannot load "params\.sched\.fn": a function is not JSON$/,
    ],
    [
      "a function as a stage setting",
      ts('export default experiment({ stages: { a: { run() {}, command: () => "x" } } });'),
      /^Cannot load "stages\.a\.command": a function is not JSON$/,
    ],
    [
      "a value JSON cannot hold",
      ts("export default experiment({ params: { when: new Date(0) }, run() {} });"),
      /"params\.when" is an instance of Date, which JSON cannot hold/,
    ],
    [
      "a number JSON cannot hold",
      ts("export default experiment({ params: { lr: NaN }, run() {} });"),
      /"params\.lr" is NaN, not a JSON number/,
    ],
    [
      "both dependsOn and depends_on",
      ts(
        "export default experiment({ stages: {",
        "  a: { run() {} },",
        '  b: { run() {}, dependsOn: ["a"], depends_on: ["a"] } as never,',
        "} });",
      ),
      /"stages\.b" has both dependsOn and depends_on/,
    ],
    [
      "a model error, like an unknown stage",
      ts('export default experiment({ stages: { b: { run() {}, dependsOn: ["a"] } } });'),
      /^Cannot depend on "a": there is no such stage$/,
    ],
  ];
  for (const [name, text, message] of cases) {
    await t.step(name, async () => {
      await withFiles({ "xp.ts": text }, async (dir) => {
        const error = await configError(load(dir));
        assert.match(error.message, message);
        assert.equal(error.at?.file.endsWith("xp.ts"), true);
      });
    });
  }
  await t.step("the planner's own frames are left out", async () => {
    await withFiles({ "xp.ts": ts('throw new Error("boom");') }, async (dir) => {
      const error = await configError(load(dir));
      assert.doesNotMatch(error.message, /ts_planner\.ts/);
      assert.equal(error.message.includes("\x1b["), false);
    });
  });
});

Deno.test("loadExperiment() plans an xp.ts in a sandbox", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "no read access outside its directory",
      ts(
        'const host = Deno.readTextFileSync("/etc/hostname");',
        "export default experiment({ name: host, run() {} });",
      ),
      /Requires read access to "\/etc\/hostname"/,
    ],
    [
      "no read access to its parent directory",
      ts('Deno.readDirSync("..");', "export default experiment({ run() {} });"),
      /Requires read access to "\.\."/,
    ],
    [
      "no env access",
      ts(
        'const home = Deno.env.get("HOME");',
        "export default experiment({ name: home, run() {} });",
      ),
      /Requires env access to "HOME"/,
    ],
    [
      "no write access, even to its directory",
      ts('Deno.writeTextFileSync("x.txt", "x");', "export default experiment({ run() {} });"),
      /Requires write access to "x\.txt"/,
    ],
    [
      "no run access",
      ts('new Deno.Command("true").outputSync();', "export default experiment({ run() {} });"),
      /Requires run access to "true"/,
    ],
    [
      "no net access",
      ts('await fetch("http://xp.invalid/");', "export default experiment({ run() {} });"),
      /Requires net access to "xp\.invalid:80"/,
    ],
  ];
  for (const [name, text, message] of cases) {
    await t.step(name, async () => {
      await withFiles({ "exp/xp.ts": text }, async (dir) => {
        const error = await configError(load(dir, "exp"));
        assert.match(error.message, /^Cannot evaluate the experiment file:\n/);
        assert.match(error.message, message);
        assert.match(error.hint ?? "", /read access to its directory only/);
      });
    });
  }
});

Deno.test("loadExperiment() keeps an xp.ts's console.log out of the plan", async () => {
  const files = {
    "exp/xp.ts": ts(
      'console.log("planning…");',
      "export default experiment({ params: { lr: 1 }, run() {} });",
    ),
  };
  await withFiles(files, async (dir) => {
    const experiment = await load(dir, "exp");
    assert.deepEqual(experiment.params, { lr: 1 });
  });
});

Deno.test("loadExperiment() refuses an xp.ts directory whose path has a comma", async () => {
  const files = { "a,b/xp.ts": ts("export default experiment({ run() {} });") };
  await withFiles(files, async (dir) => {
    const error = await configError(load(dir, "a,b"));
    assert.match(error.message, /path has a comma/);
  });
});
