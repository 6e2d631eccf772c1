/** `capture_env:`: a list of variable names, the experiment's default, a stage's own list. */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import type { Locate } from "../../lib/config/model.ts";
import { validateExperiment } from "../../lib/config/validate.ts";
import { parseYamlSource } from "../../lib/config/yaml_source.ts";
import { thrown } from "../_helpers.ts";

function validate(text: string) {
  const doc = parseYamlSource(text, "xp.yaml");
  const locate: Locate = (path) => doc.position(path) ?? { file: doc.file };
  return validateExperiment(doc.value, {
    file: "/w/xp.yaml",
    dir: "/w",
    locate,
    dialect: "yaml",
  });
}

Deno.test("capture_env at the top is every stage's default; a stage's own list wins", () => {
  const single = validate("capture_env: [CUDA_VISIBLE_DEVICES]\ncommand: 'true'\n");
  assert.deepEqual(single.stages[0]!.captureEnv, ["CUDA_VISIBLE_DEVICES"]);
  const staged = validate(
    "capture_env: [A]\nstages:\n  one: { command: 'true' }\n" +
      "  two: { command: 'true', capture_env: [B, C] }\n",
  );
  assert.deepEqual(staged.stages.map((s) => s.captureEnv), [["A"], ["B", "C"]]);
  assert.equal(validate("command: 'true'\n").stages[0]!.captureEnv, undefined);
});

Deno.test("capture_env refuses what is not a variable name", () => {
  const error = thrown(() => validate("capture_env: [OK, 'A=1']\ncommand: 'true'\n"), ConfigError);
  assert.match(error.message, /Cannot capture "A=1"/);
  assert.match(error.hint ?? "", /variable names/);
});
