import assert from "node:assert/strict";
import { ConfigError, type SourcePosition } from "../../lib/errors.ts";
import { FN_MARKER } from "../../lib/config/fn_marker.ts";
import type { Experiment, JsonObject, Locate } from "../../lib/config/model.ts";
import { type Dialect, validateExperiment } from "../../lib/config/validate.ts";
import { parseYamlSource } from "../../lib/config/yaml_source.ts";
import { thrown } from "../_helpers.ts";

const FILE = "/work/exp/mnist/xp.yaml";
const DIR = "/work/exp/mnist";

/** A locate over one parsed YAML file: the closest written prefix of the path. */
function yamlLocate(text: string): { value: JsonObject; locate: Locate } {
  const doc = parseYamlSource(text, "xp.yaml");
  const locate: Locate = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const position = doc.position(path.slice(0, n));
      if (position) return position;
    }
    return { file: doc.file };
  };
  return { value: doc.value, locate };
}

/** Validates YAML text as the file {@linkcode FILE}. */
function validateYaml(text: string): Experiment {
  const { value, locate } = yamlLocate(text);
  return validateExperiment(value, { file: FILE, dir: DIR, locate, dialect: "yaml" });
}

function configError(fn: () => unknown): ConfigError {
  return thrown(fn, ConfigError);
}

/** Lines joined into a file. */
const yaml = (...lines: string[]) => lines.join("\n") + "\n";

/** One failing document: its text, the message, where (line, column) and the hint. */
interface ErrorCase {
  name: string;
  text: string;
  message: string | RegExp;
  at: [line: number, column: number] | SourcePosition;
  hint?: string | RegExp;
}

function checkError(error: ConfigError, expected: ErrorCase): void {
  if (typeof expected.message === "string") assert.equal(error.message, expected.message);
  else assert.match(error.message, expected.message);
  const at = Array.isArray(expected.at)
    ? { file: "xp.yaml", line: expected.at[0], column: expected.at[1] }
    : expected.at;
  assert.deepEqual(error.at, at);
  if (typeof expected.hint === "string") assert.equal(error.hint, expected.hint);
  else if (expected.hint) assert.match(error.hint ?? "", expected.hint);
}

async function runErrorCases(t: Deno.TestContext, cases: ErrorCase[]): Promise<void> {
  for (const expected of cases) {
    await t.step(expected.name, () => {
      checkError(configError(() => validateYaml(expected.text)), expected);
    });
  }
}

Deno.test("validateExperiment() rejects unknown keys", async (t) => {
  await runErrorCases(t, [
    {
      name: "a misspelled top-level key, with a suggestion",
      text: yaml("nmae: mnist", "command: echo"),
      message: 'Unknown key "nmae" in experiment',
      at: [1, 1],
      hint: 'did you mean "name"?',
    },
    {
      name: "an unrelated top-level key, listing the known ones",
      text: yaml("command: echo", "xyzzy_plugh: 1"),
      message: 'Unknown key "xyzzy_plugh" in experiment',
      at: [2, 1],
      hint:
        /^known keys: name, description, imports, params, sweep, stages, executor, slurm, .*\bscript, /,
    },
    {
      name: "a stage-only key at top level",
      text: yaml("command: echo", "depends_on: [x]"),
      message: 'Unknown key "depends_on" in experiment',
      at: [2, 1],
    },
    {
      name: "run in a YAML file",
      text: yaml("run: echo"),
      message: 'Unknown key "run" in experiment',
      at: [1, 1],
    },
    {
      name: "a misspelled stage key",
      text: yaml("stages:", "  train:", "    command: echo", "    timout: 10m"),
      message: 'Unknown key "timout" in stage "train"',
      at: [4, 5],
      hint: 'did you mean "timeout"?',
    },
    {
      name: "an unknown permission",
      text: yaml("command: echo", "permissions:", "  read: [data]", "  disk: true"),
      message: 'Unknown key "disk" in permissions',
      at: [4, 3],
      hint: /^known keys: read, write, net, env, run, ffi, sys$/,
    },
  ]);
});

Deno.test("validateExperiment() rejects values of the wrong type", async (t) => {
  const stage = (...lines: string[]) =>
    yaml("stages:", "  train:", "    command: echo", ...lines.map((l) => `    ${l}`));
  await runErrorCases(t, [
    {
      name: "a name that is not a string",
      text: yaml("name: 5", "command: echo"),
      message: 'Cannot load "name": expected a non-empty string, got 5',
      at: [1, 1],
    },
    {
      name: "params that are not a map",
      text: yaml("command: echo", "params: [1, 2]"),
      message: 'Cannot load "params": expected a map, got [1,2]',
      at: [2, 1],
    },
    {
      name: "stage params that are not a map",
      text: stage("params: 3"),
      message: 'Cannot load "stages.train.params": expected a map, got 3',
      at: [4, 5],
    },
    {
      name: "stages that are not a map",
      text: yaml("stages: [train]"),
      message: 'Cannot load "stages": expected a map, got ["train"]',
      at: [1, 1],
    },
    {
      name: "a stage that is not a map",
      text: yaml("stages:", "  train: python3 train.py"),
      message: 'Cannot load "stages.train": expected a map, got "python3 train.py"',
      at: [2, 3],
    },
    {
      name: "a negative retry",
      text: stage("retry: -1"),
      message: 'Cannot load "stages.train.retry": expected a whole number ≥ 0, got -1',
      at: [4, 5],
    },
    {
      name: "a fractional retry at top level",
      text: yaml("command: echo", "retry: 1.5"),
      message: 'Cannot load "retry": expected a whole number ≥ 0, got 1.5',
      at: [2, 1],
    },
    {
      name: "a timeout that is not a duration",
      text: stage("timeout: soon"),
      message: 'Cannot load "stages.train.timeout": expected a duration, got "soon"',
      at: [4, 5],
      hint: "write seconds (90) or a number with a unit: 500ms, 90s, 10m, 2h",
    },
    {
      name: "a zero timeout",
      text: yaml("command: echo", "timeout: 0"),
      message: 'Cannot load "timeout": expected a duration, got 0',
      at: [2, 1],
    },
    {
      name: "a memory that is not a size",
      text: stage("memory: lots"),
      message: 'Cannot load "stages.train.memory": expected a size, got "lots"',
      at: [4, 5],
      hint: "write megabytes (512) or a number with a unit: 512M, 4G",
    },
    {
      name: "gather that is not a boolean",
      text: yaml(
        "stages:",
        "  a:",
        "    command: echo",
        "  b:",
        "    command: echo",
        "    depends_on: [a]",
        "    gather: yes",
      ),
      message: 'Cannot load "stages.b.gather": expected true or false, got "yes"',
      at: [7, 5],
    },
    {
      name: "an env value that is a list",
      text: stage("env:", "  OK: 1", "  BAD: [1]"),
      message: 'Cannot load "stages.train.env.BAD": expected a string, number or boolean, got [1]',
      at: [6, 7],
    },
    {
      name: "an env value that is a map",
      text: yaml("command: echo", "env: { A: { b: 1 } }"),
      message: 'Cannot load "env.A": expected a string, number or boolean, got {"b":1}',
      at: [2, 8],
    },
    {
      name: "an env value that is null",
      text: yaml("command: echo", "env:", "  A:"),
      message: 'Cannot load "env.A": expected a string, number or boolean, got null',
      at: [3, 3],
    },
    {
      name: "an env name that is not a variable name",
      text: yaml("command: echo", "env:", "  1A: x"),
      message: 'Cannot set environment variable "1A": invalid name',
      at: [3, 3],
    },
    {
      name: "a permission grant that is a number",
      text: stage("permissions:", "  read: 5"),
      message: 'Cannot load "stages.train.permissions.read": expected a string or a list of ' +
        "strings, got 5",
      at: [5, 7],
    },
    {
      name: "a permission grant holding an empty string",
      text: stage("permissions:", "  net: [example.com, '']"),
      message: 'Cannot load "stages.train.permissions.net.1": expected a non-empty string, got ""',
      at: [5, 26],
    },
    {
      name: "a sandbox that is not bwrap",
      text: stage("sandbox: docker"),
      message: 'Cannot load "stages.train.sandbox": expected "bwrap", got "docker"',
      at: [4, 5],
      hint: "the only sandbox for command trials is bubblewrap: sandbox: bwrap",
    },
    {
      name: "a command that is empty",
      text: yaml("command: '  '"),
      message: 'Cannot load "command": expected a non-empty string, got "  "',
      at: [1, 1],
    },
    {
      name: "a script that is a list",
      text: yaml("script: [a.ts]"),
      message: 'Cannot load "script": expected a non-empty string, got ["a.ts"]',
      at: [1, 1],
    },
    {
      name: "inputs that are a map",
      text: stage("inputs: { a: 1 }"),
      message: 'Cannot load "stages.train.inputs": expected a string or a list of strings, ' +
        'got {"a":1}',
      at: [4, 5],
    },
    {
      name: "a depends_on item that is a number",
      text: yaml("stages:", "  a:", "    command: echo", "    depends_on: [b, 2]"),
      message: 'Cannot load "stages.a.depends_on.1": expected a non-empty string, got 2',
      at: [4, 21],
    },
    {
      name: "a sweep that is a number",
      text: yaml("command: echo", "sweep: 3"),
      message: 'Cannot load "sweep": expected a map of axes or a list of such maps, got 3',
      at: [2, 1],
    },
    {
      name: "a sweep list holding a list",
      text: yaml("command: echo", "sweep:", "  - { lr: [1] }", "  - [1]"),
      message: 'Cannot load "sweep.1": expected a map of axes, got [1]',
      at: [4, 5],
    },
    {
      name: "an empty sweep list",
      text: yaml("command: echo", "sweep: []"),
      message: 'Cannot expand sweep "sweep": the list is empty',
      at: [2, 1],
      hint: /remove sweep:/,
    },
  ]);
});

Deno.test("validateExperiment() rejects what cannot run", async (t) => {
  await runErrorCases(t, [
    {
      name: "a stage with both script and command",
      text: yaml("stages:", "  train:", "    script: train.ts", "    command: echo"),
      message: 'Cannot load stage "train": it has both script and command',
      at: [4, 5],
      hint: /either a TS module \(script:\) or a shell command \(command:\)/,
    },
    {
      name: "a one-stage file with both script and command",
      text: yaml("name: x", "script: train.ts", "command: echo"),
      message: 'Cannot load stage "main": it has both script and command',
      at: [3, 1],
    },
    {
      name: "a stage with neither script nor command",
      text: yaml("stages:", "  train:", "    timeout: 10m"),
      message: 'Cannot load stage "train": it needs script or command',
      at: [2, 3],
    },
    {
      name: "a stage that is empty",
      text: yaml("stages:", "  train:"),
      message: 'Cannot load stage "train": it needs script or command',
      at: [2, 3],
    },
    {
      name: "a top-level command together with stages",
      text: yaml("params: {}", "command: echo", "stages:", "  train:", "    command: echo"),
      message: 'Cannot use top-level "command" together with "stages"',
      at: [2, 1],
      hint: 'move "command" into a stage under "stages:"',
    },
    {
      name: "a top-level timeout together with stages",
      text: yaml("stages:", "  train:", "    command: echo", "timeout: 10m"),
      message: 'Cannot use top-level "timeout" together with "stages"',
      at: [4, 1],
    },
    {
      name: "empty stages",
      text: yaml("stages: {}"),
      message: 'Cannot load "stages": it is empty',
      at: [1, 1],
    },
    {
      name: "nothing to run",
      text: yaml("name: mnist", "params: { lr: 0.1 }"),
      message: "Cannot load experiment: there is nothing to run",
      at: { file: "xp.yaml" },
      hint: "add script: train.ts or command: …, or stages:",
    },
    {
      name: "an empty file",
      text: "",
      message: "Cannot load experiment: there is nothing to run",
      at: { file: "xp.yaml" },
    },
    {
      name: "a stage name that starts with a digit",
      text: yaml("stages:", "  1st:", "    command: echo"),
      message: 'Cannot use "1st" as a stage name',
      at: [2, 3],
      hint: /start with a letter or _/,
    },
  ]);
});

Deno.test("validateExperiment() rejects bad dependencies", async (t) => {
  const stages = (...lines: string[]) =>
    yaml(
      "stages:",
      "  train:",
      "    command: echo",
      "  eval:",
      "    command: echo",
      ...lines.map((l) => `    ${l}`),
    );
  await runErrorCases(t, [
    {
      name: "gather without depends_on",
      text: stages("gather: true"),
      message: 'Cannot gather in stage "eval": it depends on nothing',
      at: [6, 5],
      hint: "add depends_on: [STAGE] or remove gather: true",
    },
    {
      name: "an unknown stage, with a suggestion",
      text: stages("depends_on: [trian]"),
      message: 'Cannot depend on "trian": there is no such stage',
      at: [6, 18],
      hint: 'did you mean "train"?',
    },
    {
      name: "an unknown stage, listing the stages",
      text: stages("depends_on:", "  - train", "  - preprocess"),
      message: 'Cannot depend on "preprocess": there is no such stage',
      at: [8, 9],
      hint: "stages are: train, eval",
    },
    {
      name: "itself",
      text: stages("depends_on: eval"),
      message: 'Cannot make stage "eval" depend on itself',
      // A single string has no item 0 to point at: the key is named instead.
      at: [6, 5],
    },
    {
      name: "a regex that matches no stage",
      text: stages("depends_on: ['/^prep/']"),
      message: 'Cannot use "/^prep/" in depends_on: it matches no stage',
      at: [6, 18],
      hint: "stages are: train, eval",
    },
    {
      name: "a regex that matches only the stage itself",
      text: stages("depends_on: ['/^ev/']"),
      message: 'Cannot use "/^ev/" in depends_on: it matches no stage',
      at: [6, 18],
    },
    {
      name: "an invalid regex",
      text: stages("depends_on: ['/(train/']"),
      message: 'Cannot use "/(train/" in depends_on: invalid regex',
      at: [6, 18],
    },
    {
      name: "a cycle of two",
      text: yaml(
        "stages:",
        "  a:",
        "    command: echo",
        "    depends_on: [b]",
        "  b:",
        "    command: echo",
        "    depends_on: [a]",
      ),
      message: "Cannot order stages: depends_on has a cycle a → b → a",
      at: [2, 3],
      hint: "remove one of these dependencies",
    },
    {
      name: "a cycle of three behind a free stage",
      text: yaml(
        "stages:",
        "  prep:",
        "    command: echo",
        "  x:",
        "    command: echo",
        "    depends_on: [prep, z]",
        "  y:",
        "    command: echo",
        "    depends_on: [x]",
        "  z:",
        "    command: echo",
        "    depends_on: ['/^y$/']",
      ),
      message: "Cannot order stages: depends_on has a cycle x → z → y → x",
      at: [4, 3],
    },
  ]);
  await t.step("the cause of an invalid regex is the SyntaxError", () => {
    const error = configError(() => validateYaml(stages("depends_on: ['/(train/']")));
    assert.ok(error.cause instanceof SyntaxError);
  });
});

Deno.test("validateExperiment() builds a one-stage experiment", async (t) => {
  const experiment = validateYaml(yaml(
    "params:",
    "  lr: 0.01",
    "sweep:",
    "  lr: [0.1, 0.01]",
    "command: python3 train.py --lr ${lr}",
    "timeout: 90",
    "memory: 512",
  ));
  await t.step("its stage is main, at path []", () => {
    assert.equal(experiment.stages.length, 1);
    const stage = experiment.stages[0]!;
    assert.equal(stage.name, "main");
    assert.deepEqual(stage.path, []);
    assert.equal(stage.command, "python3 train.py --lr ${lr}");
    assert.equal(stage.script, undefined);
    assert.equal("script" in stage, false);
  });
  await t.step("params and sweep stay the experiment's", () => {
    assert.deepEqual(experiment.params, { lr: 0.01 });
    assert.deepEqual(experiment.sweep, { lr: [0.1, 0.01] });
    assert.deepEqual(experiment.stages[0]!.params, {});
    assert.equal(experiment.stages[0]!.sweep, undefined);
  });
  await t.step("durations and sizes are converted", () => {
    assert.equal(experiment.stages[0]!.timeoutMs, 90_000);
    assert.equal(experiment.stages[0]!.memoryBytes, 512 * 2 ** 20);
  });
  await t.step("the name defaults to the directory's name", () => {
    assert.equal(experiment.name, "mnist");
    assert.equal(experiment.file, FILE);
    assert.equal(experiment.dir, DIR);
  });
  await t.step("the name defaults to the last part of a Windows path too", () => {
    const { value, locate } = yamlLocate("command: echo\n");
    const named = validateExperiment(value, {
      file: "C:\\exp\\cifar\\xp.yaml",
      dir: "C:\\exp\\cifar\\",
      locate,
      dialect: "yaml",
    });
    assert.equal(named.name, "cifar");
  });
  await t.step("a written name wins", () => {
    assert.equal(validateYaml(yaml("name: other", "script: t.ts")).name, "other");
  });
  await t.step("a script stage", () => {
    const stage = validateYaml(yaml("script: train.ts")).stages[0]!;
    assert.equal(stage.script, "train.ts");
    assert.equal("command" in stage, false);
  });
});

Deno.test("validateExperiment() builds stages with their settings", async (t) => {
  const experiment = validateYaml(yaml(
    "name: pipeline",
    "description: three stages",
    "params: { lr: 0.01 }",
    "stages:",
    "  prep_a:",
    "    command: echo a",
    "  prep_b:",
    "    command: echo b",
    "  train:",
    "    script: train.ts",
    "    params: { lr: 0.1, '**model': { depth: 2 } }",
    "    sweep: { seed: [1, 2] }",
    "    depends_on: [prep_a, '/^prep_/']",
    "    timeout: 1h30m",
    "    memory: 4G",
    "    retry: 2",
    "    env: { N: 1, FLAG: true, NAME: x }",
    "    permissions: { read: data/, net: true, write: [out/, tmp/] }",
    "    inputs: data/*.csv",
    "  report:",
    "    command: echo done",
    "    depends_on: train",
    "    gather: true",
    "    sandbox: bwrap",
  ));
  const byName = (name: string) => experiment.stages.find((s) => s.name === name)!;
  await t.step("the stages in written order, with their paths", () => {
    assert.deepEqual(experiment.stages.map((s) => s.name), ["prep_a", "prep_b", "train", "report"]);
    assert.deepEqual(byName("train").path, ["stages", "train"]);
  });
  await t.step("a /regex/ resolves to the stage names it matches, without duplicates", () => {
    assert.deepEqual(byName("train").dependsOn, ["prep_a", "prep_b"]);
  });
  await t.step("a single depends_on string is a list of one", () => {
    assert.deepEqual(byName("report").dependsOn, ["train"]);
  });
  await t.step("the settings are converted", () => {
    const train = byName("train");
    assert.equal(train.timeoutMs, 5_400_000);
    assert.equal(train.memoryBytes, 4 * 2 ** 30);
    assert.equal(train.retry, 2);
    assert.deepEqual(train.env, { N: "1", FLAG: "true", NAME: "x" });
    assert.deepEqual(train.permissions, { read: ["data/"], write: ["out/", "tmp/"], net: true });
    assert.deepEqual(train.inputs, ["data/*.csv"]);
    assert.deepEqual(train.params, { lr: 0.1, "**model": { depth: 2 } });
    assert.deepEqual(train.sweep, { seed: [1, 2] });
    assert.equal(train.gather, false);
    assert.equal(train.sandbox, undefined);
  });
  await t.step("gather and sandbox", () => {
    assert.equal(byName("report").gather, true);
    assert.equal(byName("report").sandbox, "bwrap");
  });
  await t.step("the defaults of a bare stage", () => {
    const prep = byName("prep_a");
    assert.deepEqual(prep.params, {});
    assert.equal(prep.sweep, undefined);
    assert.deepEqual(prep.dependsOn, []);
    assert.equal(prep.gather, false);
    assert.deepEqual(prep.permissions, {});
    assert.equal(prep.timeoutMs, undefined);
    assert.equal(prep.retry, 0);
    assert.equal(prep.memoryBytes, undefined);
    assert.deepEqual(prep.env, {});
    assert.deepEqual(prep.inputs, []);
  });
  await t.step("the experiment keeps its name, params and locate", () => {
    assert.equal(experiment.name, "pipeline");
    assert.deepEqual(experiment.params, { lr: 0.01 });
    assert.deepEqual(experiment.locate(["stages", "train", "timeout"]), {
      file: "xp.yaml",
      line: 14,
      column: 5,
    });
  });
});

Deno.test("validateExperiment() reads the TS dialect", async (t) => {
  const fn = { [FN_MARKER]: true };
  const asked: (string | number)[][] = [];
  const locate: Locate = (path) => {
    asked.push([...path]);
    return { file: "xp.ts" };
  };
  const validateTs = (doc: JsonObject, dialect: Dialect = "ts") =>
    validateExperiment(doc, { file: "/x/exp/xp.ts", dir: "/x/exp", locate, dialect });
  await t.step("run makes an inline one-stage experiment", () => {
    const stage = validateTs({ params: { lr: 1 }, run: fn }).stages[0]!;
    assert.equal(stage.name, "main");
    assert.equal(stage.inline, true);
  });
  await t.step("run makes inline stages", () => {
    const experiment = validateTs({
      stages: { train: { run: fn }, eval: { run: fn, depends_on: ["train"] } },
    });
    assert.deepEqual(experiment.stages.map((s) => [s.name, s.inline, s.dependsOn]), [
      ["train", true, []],
      ["eval", true, ["train"]],
    ]);
  });
  const cases: [string, JsonObject, string, (string | number)[]][] = [
    [
      "run that is not a function",
      { run: "train" },
      'Cannot load "run": it must be a function',
      ["run"],
    ],
    [
      "a stage with run and command",
      { stages: { train: { run: fn, command: "echo" } } },
      'Cannot load stage "train": it has both command and run',
      ["stages", "train", "run"],
    ],
    [
      "a stage with nothing to run",
      { stages: { train: { timeout: 5 } } },
      'Cannot load stage "train": it needs run, script or command',
      ["stages", "train"],
    ],
    [
      "imports, which only YAML has",
      { imports: ["base.yaml"], run: fn },
      'Unknown key "imports" in experiment',
      ["imports"],
    ],
    [
      "run together with stages",
      { run: fn, stages: { a: { run: fn } } },
      'Cannot use top-level "run" together with "stages"',
      ["run"],
    ],
    [
      "a bad retry in a stage",
      { stages: { a: { run: fn, retry: -2 } } },
      'Cannot load "stages.a.retry": expected a whole number ≥ 0, got -2',
      ["stages", "a", "retry"],
    ],
  ];
  for (const [name, doc, message, path] of cases) {
    await t.step(name, () => {
      asked.length = 0;
      const error = configError(() => validateTs(doc));
      assert.equal(error.message, message);
      assert.deepEqual(error.at, { file: "xp.ts" });
      assert.deepEqual(asked.at(-1), path);
    });
  }
  await t.step("nothing to run hints at run", () => {
    const error = configError(() => validateTs({ name: "x" }));
    assert.equal(error.hint, "add run(cfg, ctx) { … }, or stages: { name: { run … } }");
  });
  await t.step("a function marker in YAML is not a run", () => {
    const error = configError(() => validateTs({ stages: { a: { run: fn } } }, "yaml"));
    assert.equal(error.message, 'Unknown key "run" in stage "a"');
  });
});

Deno.test("validateExperiment() leaves the document unchanged", () => {
  const doc: JsonObject = {
    params: { lr: 1 },
    stages: {
      a: { command: "echo" },
      b: { command: "echo", depends_on: ["/^a$/"] },
    },
  };
  const before = structuredClone(doc);
  const experiment = validateExperiment(doc, {
    file: FILE,
    dir: DIR,
    locate: () => ({ file: "xp.yaml" }),
    dialect: "yaml",
  });
  assert.deepEqual(experiment.stages[1]!.dependsOn, ["a"]);
  assert.deepEqual(doc, before);
});

Deno.test("validateExperiment() expands dotted and ** keys in params without imports", () => {
  const experiment = validateYaml(
    yaml("params:", "  model: { depth: 2, width: 8 }", "  model.depth: 4", "command: echo"),
  );
  assert.deepEqual(experiment.params, { model: { depth: 4, width: 8 } });
});

Deno.test("validateExperiment() ignores top-level x- keys that hold YAML anchors", () => {
  const experiment = validateYaml(yaml("x-common: &c { lr: 1 }", "params: *c", "command: echo"));
  assert.deepEqual(experiment.params, { lr: 1 });
});

Deno.test("validateExperiment() reads executor: and slurm: (as --slurm KEY=VALUE pairs)", () => {
  const experiment = validateYaml(yaml(
    "executor: slurm",
    "slurm: { partition: gpu, cpus: 4, extra: [--exclusive, --comment=x] }",
    "command: echo",
  ));
  assert.equal(experiment.executor, "slurm");
  assert.deepEqual(experiment.slurm, [
    "partition=gpu",
    "cpus=4",
    "extra=--exclusive",
    "extra=--comment=x",
  ]);
  const unknown = configError(() => validateYaml(yaml("executor: k8s", "command: echo")));
  assert.equal(unknown.message, 'Unknown executor "k8s"');
  const key = configError(() => validateYaml(yaml("slurm: { nodes: 2 }", "command: echo")));
  assert.equal(key.message, 'Unknown key "nodes" in slurm');
});
