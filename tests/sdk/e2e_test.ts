/**
 * A TS trial as the runner starts it: `deno run` with the sandbox flags of ARCHITECTURE section 6
 * on lib/sdk/trial_main.ts, in a clean environment, cwd = the experiment directory.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { withTempDir } from "../_helpers.ts";
import { readEvents } from "./_trial.ts";

const SDK_DIR = fileURLToPath(new URL("../../lib/sdk", import.meta.url));

interface Spawned {
  code: number;
  stdout: string;
  stderr: string;
  trialDir: string;
}

/** Lays out an experiment with `xp.ts` = `source`, a trial and one dependency, and runs the trial. */
async function spawnTrial(dir: string, source: string, stage = "main"): Promise<Spawned> {
  const experimentDir = join(dir, "exp");
  const trialDir = join(dir, "store", "trials", "k1");
  const depOut = join(dir, "store", "trials", "k0", "out");
  await Deno.mkdir(experimentDir, { recursive: true });
  await Deno.mkdir(join(trialDir, "out"), { recursive: true });
  await Deno.mkdir(depOut, { recursive: true });
  await Deno.writeTextFile(join(experimentDir, "xp.ts"), source);
  await Deno.writeTextFile(join(experimentDir, "data.txt"), "42");
  await Deno.writeTextFile(join(depOut, "prep.txt"), "from prep");
  await Deno.writeTextFile(join(trialDir, "config.json"), JSON.stringify({ lr: 0.1, steps: 3 }));
  await Deno.writeTextFile(
    join(trialDir, "deps.json"),
    JSON.stringify([{
      stage: "prep",
      name: "p",
      key: "k0",
      result: { rows: 7 },
      out: depOut,
      gather: false,
    }]),
  );
  await Deno.writeTextFile(join(trialDir, "events.ndjson"), "");
  const args = [
    "run",
    "--no-prompt",
    "--no-config",
    "--quiet",
    `--import-map=${SDK_DIR}/import_map.json`,
    `--allow-read=${experimentDir},${trialDir},${depOut},${SDK_DIR}`,
    `--allow-write=${trialDir}/out,${trialDir}/events.ndjson,${trialDir}/checkpoint.json,${trialDir}/checkpoint.json.tmp`,
    "--allow-env=XP_*",
    `${SDK_DIR}/trial_main.ts`,
  ];
  const base = Object.fromEntries(
    ["PATH", "HOME", "DENO_DIR"].flatMap((n) => Deno.env.has(n) ? [[n, Deno.env.get(n)!]] : []),
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: experimentDir,
    clearEnv: true,
    env: {
      ...base,
      XP_TRIAL_DIR: trialDir,
      XP_OUT: join(trialDir, "out"),
      XP_EVENTS: join(trialDir, "events.ndjson"),
      XP_CONFIG: join(trialDir, "config.json"),
      XP_DEPS: join(trialDir, "deps.json"),
      XP_TRIAL_KEY: "k1",
      XP_TRIAL_NAME: "lr=0.1",
      XP_STAGE: stage,
      XP_EXPERIMENT: "e2e",
      XP_EXPERIMENT_DIR: experimentDir,
      XP_SCRIPT: join(experimentDir, "xp.ts"),
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
    trialDir,
  };
}

Deno.test("a TS trial spawned with the sandbox flags logs its events and exits 0", async () => {
  await withTempDir(async (dir) => {
    const source = `import { experiment, type Dependency } from "xp";
export default experiment({
  params: { lr: 0.01, steps: 1 },
  stages: {
    main: {
      dependsOn: ["prep"],
      run(cfg, ctx) {
        console.log("training with lr", cfg.lr);
        for (let i = 0; i < cfg.steps; i++) ctx.log.scalar("loss", 1 / (i + 1));
        ctx.log.scalar("loss", NaN, { context: { subset: "val" } });
        ctx.log.image("pred", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), { step: 2 });
        ctx.log.text("data", Deno.readTextFileSync("data.txt"));
        const prep = ctx.deps.prep as Dependency;
        ctx.log.text("prep", Deno.readTextFileSync(prep.out + "/prep.txt"));
        ctx.checkpoint({ done: true, best: Infinity });
        return { accuracy: 0.9, rows: (prep.result as { rows: number }).rows, cwd: Deno.cwd() === ctx.out ? "out" : "experiment", restored: ctx.restore() };
      },
    },
  },
});
`;
    const { code, stdout, stderr, trialDir } = await spawnTrial(dir, source);
    assert.equal(stderr, "");
    assert.equal(code, 0);
    assert.equal(stdout, "training with lr 0.1\n");
    const events = (await readEvents(join(trialDir, "events.ndjson"))).map(({ time, ...rest }) => {
      if (rest.t === "scalar") assert.equal(typeof time, "number");
      return rest;
    });
    // Scalars are held and written on a flush (here the exit); a few points as scalar lines.
    assert.deepEqual(events, [
      { t: "image", name: "pred", path: "images/pred_2.png", step: 2 },
      { t: "text", name: "data", value: "42" },
      { t: "text", name: "prep", value: "from prep" },
      { t: "scalar", name: "loss", value: 1, step: 0 },
      { t: "scalar", name: "loss", value: 0.5, step: 1 },
      { t: "scalar", name: "loss", value: 1 / 3, step: 2 },
      { t: "scalar", name: "loss", value: "NaN", step: 0, context: { subset: "val" } },
      {
        t: "result",
        value: {
          accuracy: 0.9,
          rows: 7,
          cwd: "experiment",
          restored: { done: true, best: "Infinity" },
        },
      },
    ]);
    await Deno.stat(join(trialDir, "out", "images", "pred_2.png"));
  });
});

Deno.test("a TS trial that reads outside its sandbox fails with exit 1 and says which access", async () => {
  await withTempDir(async (dir) => {
    const source = `export default function () {
  return Deno.readTextFileSync("/etc/hostname");
}
`;
    const { code, stdout, stderr } = await spawnTrial(dir, source);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /^error: NotCapable: Requires read access to "\/etc\/hostname"\n/);
    assert.match(stderr, /\n {4}at default \(file:\/\/.*\/exp\/xp\.ts:2:15\)\n/);
    assert.match(stderr, /\nhint: .*permissions: \{ read: \["\/etc\/hostname"\] \}\n$/);
    assert.doesNotMatch(stderr, /lib\/sdk\//);
  });
});

Deno.test("a TS trial that throws exits 1 with error: and its stack, and keeps its events", async () => {
  await withTempDir(async (dir) => {
    const source = `export default function (cfg, ctx) {
  ctx.log.metric("partial", 1);
  throw new Error("diverged at lr " + cfg.lr);
}
`;
    const { code, stderr, trialDir } = await spawnTrial(dir, source);
    assert.equal(code, 1);
    assert.match(stderr, /^error: diverged at lr 0\.1\n {4}at default \(file:.*xp\.ts:3:9\)\n$/);
    assert.deepEqual(await readEvents(join(trialDir, "events.ndjson")), [
      { t: "metric", name: "partial", value: 1 },
    ]);
  });
});

Deno.test("a finished TS trial exits even if it left a timer running", async () => {
  await withTempDir(async (dir) => {
    const source = `export default () => { setInterval(() => {}, 1000); return 1; };\n`;
    const { code, trialDir } = await spawnTrial(dir, source);
    assert.equal(code, 0);
    assert.deepEqual(await readEvents(join(trialDir, "events.ndjson")), [{
      t: "result",
      value: 1,
    }]);
  });
});
