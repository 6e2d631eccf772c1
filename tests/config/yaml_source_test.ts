import assert from "node:assert/strict";
import { ConfigError, type SourcePosition } from "../../lib/errors.ts";
import type { JsonObject } from "../../lib/config/model.ts";
import { parseYamlSource } from "../../lib/config/yaml_source.ts";
import { thrown } from "../_helpers.ts";

function configError(fn: () => unknown): ConfigError {
  return thrown(fn, ConfigError);
}

const TEXT = [
  "name: mnist", // 1
  "params:", // 2
  "  lr: 0.01", // 3
  "  model:", // 4
  "    depth: 4", // 5
  "sweep:", // 6
  "  lr: [0.1, 0.01]", // 7
  "stages:", // 8
  "  train:", // 9
  "    command: python3 train.py", // 10
  "    depends_on:", // 11
  "      - prep", // 12
  "      -   /eval.*/", // 13
  "",
].join("\n");

Deno.test("parseYamlSource() reads the value and where each path was written", async (t) => {
  const doc = parseYamlSource(TEXT, "exp/xp.yaml");
  await t.step("the value", () => {
    assert.equal(doc.file, "exp/xp.yaml");
    assert.deepEqual(doc.value, {
      name: "mnist",
      params: { lr: 0.01, model: { depth: 4 } },
      sweep: { lr: [0.1, 0.01] },
      stages: { train: { command: "python3 train.py", depends_on: ["prep", "/eval.*/"] } },
    });
  });
  const cases: [string, (string | number)[], SourcePosition | undefined][] = [
    ["a top-level key", ["name"], { file: "exp/xp.yaml", line: 1, column: 1 }],
    ["a nested key", ["params", "lr"], { file: "exp/xp.yaml", line: 3, column: 3 }],
    ["a deeper key", ["params", "model", "depth"], { file: "exp/xp.yaml", line: 5, column: 5 }],
    ["a flow list item", ["sweep", "lr", 1], { file: "exp/xp.yaml", line: 7, column: 13 }],
    ["a block list item", ["stages", "train", "depends_on", 0], {
      file: "exp/xp.yaml",
      line: 12,
      column: 9,
    }],
    ["a block list item after spaces", ["stages", "train", "depends_on", 1], {
      file: "exp/xp.yaml",
      line: 13,
      column: 11,
    }],
    ["a path that was not written", ["params", "width"], undefined],
    ["a list index out of range", ["sweep", "lr", 2], undefined],
  ];
  for (const [name, path, expected] of cases) {
    await t.step(name, () => assert.deepEqual(doc.position(path), expected));
  }
});

Deno.test("parseYamlSource() reads what is not a map of keys as empty or an error", async (t) => {
  await t.step("an empty file is an empty map", () => {
    const doc = parseYamlSource("", "xp.yaml");
    assert.deepEqual(doc.value, {});
    assert.equal(doc.position(["name"]), undefined);
  });
  await t.step("a file of comments is an empty map", () => {
    assert.deepEqual(parseYamlSource("# nothing yet\n\n", "xp.yaml").value, {});
  });
  const errors: [string, string][] = [
    ["a top-level list", "- a\n- b\n"],
    ["a top-level scalar", "hello\n"],
  ];
  for (const [name, text] of errors) {
    await t.step(`${name} is an error`, () => {
      const error = configError(() => parseYamlSource(text, "xp.yaml"));
      assert.match(error.message, /the file must be a map of keys/);
      assert.deepEqual(error.at, { file: "xp.yaml", line: 1, column: 1 });
    });
  }
});

Deno.test("parseYamlSource() throws a located ConfigError on bad YAML", async (t) => {
  const cases: [string, string, RegExp, SourcePosition, RegExp][] = [
    [
      "an unclosed flow list",
      "name: x\nparams: [1, 2\nsweep: {}\n",
      /^Cannot parse YAML: /,
      { file: "xp.yaml", line: 3, column: 1 },
      /indentation and quoting/,
    ],
    [
      "a tab as indentation",
      "params:\n\tlr: 1\n",
      /^Cannot parse YAML: Tabs are not allowed/,
      { file: "xp.yaml", line: 2, column: 1 },
      /indentation/,
    ],
    [
      "a key indented into the value above",
      "params:\n  lr: 1\n   depth: 2\n",
      /^Cannot parse YAML: /,
      // The plain scalar `1` continues on line 3, so the error is at the value it starts.
      { file: "xp.yaml", line: 2, column: 7 },
      /indentation/,
    ],
    [
      "several documents",
      "a: 1\n---\nb: 2\n",
      /^Cannot parse YAML: Source contains multiple documents/,
      { file: "xp.yaml", line: 2, column: 1 },
      /indentation/,
    ],
    [
      "two stages with the same name",
      "stages:\n  train:\n    command: a\n  train:\n    command: b\n",
      /^Cannot parse YAML: Map keys must be unique/,
      { file: "xp.yaml", line: 4, column: 3 },
      /each key may appear once in a map \(stage names must be unique\)/,
    ],
    [
      "a duplicate param",
      "params:\n  lr: 1\n  lr: 2\n",
      /^Cannot parse YAML: Map keys must be unique/,
      { file: "xp.yaml", line: 3, column: 3 },
      /stage names must be unique/,
    ],
  ];
  for (const [name, text, message, at, hint] of cases) {
    await t.step(name, () => {
      const error = configError(() => parseYamlSource(text, "xp.yaml"));
      assert.match(error.message, message);
      // The position is in `at`, not repeated in the message.
      assert.doesNotMatch(error.message, / at line \d+, column \d+/);
      assert.deepEqual(error.at, at);
      assert.match(error.hint ?? "", hint);
    });
  }
});

Deno.test("parseYamlSource() rejects values JSON cannot hold", async (t) => {
  const cases: [string, string, RegExp, SourcePosition][] = [
    ["NaN", "params:\n  lr: .nan\n", /"params\.lr": NaN is not a JSON number/, {
      file: "xp.yaml",
      line: 2,
      column: 7,
    }],
    ["infinity", "params:\n  lr: .inf\n", /"params\.lr": Infinity is not a JSON number/, {
      file: "xp.yaml",
      line: 2,
      column: 7,
    }],
    ["minus infinity in a list", "sweep:\n  lr: [1, -.inf]\n", /"sweep\.lr\.1": -Infinity/, {
      file: "xp.yaml",
      line: 2,
      column: 11,
    }],
    ["a binary value", "data: !!binary aGk=\n", /"data": unsupported YAML value/, {
      file: "xp.yaml",
      line: 1,
      column: 16,
    }],
    ["a boolean key", "params:\n  true: 1\n", /only plain string keys/, {
      file: "xp.yaml",
      line: 2,
      column: 3,
    }],
    ["a list as key", "? [a]\n: 1\n", /only plain string keys/, {
      file: "xp.yaml",
      line: 1,
      column: 1,
    }],
  ];
  for (const [name, text, message, at] of cases) {
    await t.step(name, () => {
      const error = configError(() => parseYamlSource(text, "xp.yaml"));
      assert.match(error.message, message);
      assert.deepEqual(error.at, at);
    });
  }
  await t.step("the hint says how to write it instead", () => {
    const error = configError(() => parseYamlSource("a: .nan\n", "xp.yaml"));
    assert.match(error.hint ?? "", /"NaN"/);
  });
});

Deno.test("parseYamlSource() reads scalars as JSON values", async (t) => {
  const cases: [string, string, JsonObject][] = [
    ["a float in exponent form", "a: 1e-3", { a: 0.001 }],
    ["a hex integer", "a: 0x10", { a: 16 }],
    ["null as ~", "a: ~", { a: null }],
    ["an empty value as null", "a:", { a: null }],
    ["a date stays a string", "a: 2024-01-01", { a: "2024-01-01" }],
    ["yes stays a string (YAML 1.2)", "a: yes", { a: "yes" }],
    ["a number key as a string", "1: x", { "1": "x" }],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.deepEqual(parseYamlSource(text, "xp.yaml").value, expected));
  }
});

Deno.test("parseYamlSource() resolves anchors and aliases", async (t) => {
  const text = [
    "defaults: &model",
    "  depth: 4",
    "  width: [32, 64]",
    "params:",
    "  model: *model",
    "  other: *model",
    "",
  ].join("\n");
  const doc = parseYamlSource(text, "xp.yaml");
  await t.step("the alias has the anchored value", () => {
    assert.deepEqual(doc.value.params, {
      model: { depth: 4, width: [32, 64] },
      other: { depth: 4, width: [32, 64] },
    });
  });
  await t.step("the values are copies, not shared", () => {
    const params = doc.value.params as Record<string, Record<string, unknown>>;
    assert.notEqual(params.model, params.other);
  });
  await t.step("the alias's key is located", () => {
    assert.deepEqual(doc.position(["params", "other"]), { file: "xp.yaml", line: 6, column: 3 });
  });
});

Deno.test("parseYamlSource() applies <<: merge keys, written keys winning", () => {
  const doc = parseYamlSource(
    "x-base: &base\n  lr: 1\n  depth: 2\nparams:\n  <<: *base\n  lr: 3\n",
    "xp.yaml",
  );
  assert.deepEqual(doc.value.params, { lr: 3, depth: 2 });
});
