import assert from "node:assert/strict";
import { specFromEnv } from "../../lib/sdk/env.ts";

const ENV: Record<string, string> = {
  XP_TRIAL_DIR: "/s/t",
  XP_OUT: "/s/t/out",
  XP_EVENTS: "/s/t/events.ndjson",
  XP_CONFIG: "/s/t/config.json",
  XP_DEPS: "/s/t/deps.json",
  XP_TRIAL_KEY: "abc",
  XP_TRIAL_NAME: "lr=0.1",
  XP_STAGE: "train",
  XP_EXPERIMENT: "mnist",
  XP_EXPERIMENT_DIR: "/e",
  XP_SCRIPT: "/e/xp.ts",
};

Deno.test("specFromEnv() reads every XP_* variable of the protocol", () => {
  assert.deepEqual(specFromEnv((name) => ENV[name]), {
    trialDir: "/s/t",
    out: "/s/t/out",
    eventsFile: "/s/t/events.ndjson",
    configFile: "/s/t/config.json",
    depsFile: "/s/t/deps.json",
    key: "abc",
    name: "lr=0.1",
    stage: "train",
    experiment: "mnist",
    experimentDir: "/e",
    script: "/e/xp.ts",
  });
});

Deno.test("specFromEnv() reads a forked trial's parent, which others lack", () => {
  const forked: Record<string, string> = { ...ENV, XP_PARENT_KEY: "p1", XP_PARENT_DIR: "/s/p" };
  const spec = specFromEnv((name) => forked[name]);
  assert.deepEqual([spec.parentKey, spec.parentDir], ["p1", "/s/p"]);
  assert.equal("parentKey" in specFromEnv((name) => ENV[name]), false);
});

Deno.test("specFromEnv() names the missing variables", () => {
  const env = { ...ENV, XP_OUT: "", XP_SCRIPT: undefined, XP_DEPS: undefined };
  assert.throws(() => specFromEnv((name) => env[name as keyof typeof env]), {
    message:
      /^Missing environment variables XP_OUT, XP_SCRIPT: trial_main\.ts is started by xp's runner$/,
  });
});
