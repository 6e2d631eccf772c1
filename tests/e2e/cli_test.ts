/**
 * The CLI as a user runs it: a real process, exit code, stdout and stderr checked separately.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { MAIN, withTempDir, xp } from "../_helpers.ts";

const REPO = dirname(MAIN);

function pick(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => Deno.env.has(n) ? [[n, Deno.env.get(n)!]] : []));
}

async function entries(dir: string): Promise<string[]> {
  const names = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

const EXPERIMENT = `name: e2e
params:
  lr: 0.01
  model: { depth: 4 }
sweep:
  lr: [0.1, 0.01]
command: echo \${lr}
`;

Deno.test("xp run --dry-run prints the trials table on stdout and a summary on stderr", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "xp.yaml"), EXPERIMENT);
    const { code, stdout, stderr } = await xp(["run", "--dry-run"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^state {2}stage {2}name {5}key {7}params$/);
    assert.match(lines[1]!, /^todo {3}main {3}lr=0\.1 {3}[0-9a-f]{8} {2}lr=0\.1 model\.depth=4$/);
    assert.match(lines[2]!, /^todo {3}main {3}lr=0\.01 {2}[0-9a-f]{8} {2}lr=0\.01 model\.depth=4$/);
    assert.equal(stderr, "dry run: 2 trials of e2e (main 2): 2 to run, 0 cached; nothing ran\n");
    assert.deepEqual(await entries(dir), ["xp.yaml"]);
  });
});

Deno.test("xp run --dry-run --json prints one object per trial", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "xp.yaml"), EXPERIMENT);
    const { code, stdout } = await xp(["run", "--dry-run", "--json", "-q", "model.depth=8"], {
      cwd: dir,
    });
    assert.equal(code, 0);
    const trials = stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(trials.map(({ key: _, ...rest }) => rest), [
      {
        stage: "main",
        name: "lr=0.1",
        state: "todo",
        params: { lr: 0.1, model: { depth: 8 } },
        swept: { lr: 0.1 },
        deps: [],
      },
      {
        stage: "main",
        name: "lr=0.01",
        state: "todo",
        params: { lr: 0.01, model: { depth: 8 } },
        swept: { lr: 0.01 },
        deps: [],
      },
    ]);
    assert.ok(trials.every((t) => /^[0-9a-f]{64}$/.test(t.key)));
  });
});

Deno.test("config mistakes exit 2 with file:line:column, a hint, and nothing on stdout", async (t) => {
  const cases: [string, string, string[], RegExp][] = [
    ["bad YAML", "name: x\nparams: [1, 2\n", [], /^error: xp\.yaml:\d+:\d+: Cannot parse YAML/],
    [
      "unknown key",
      "name: x\nparms: {}\ncommand: echo\n",
      [],
      /^error: xp\.yaml:2:1: Unknown key "parms" in experiment\nhint: did you mean "params"\?/,
    ],
    [
      "empty sweep list",
      "params: { lr: 1 }\nsweep:\n  lr: []\ncommand: echo\n",
      [],
      /^error: xp\.yaml:3:3: Cannot expand sweep "lr"/,
    ],
    [
      "unknown override key",
      EXPERIMENT,
      ["lrr=0.1"],
      /^error: Cannot override "lrr": the experiment has no such param\nhint: did you mean "lr"\? To add a new key write \+lrr=0\.1/,
    ],
    [
      "empty override item",
      EXPERIMENT,
      ["lr=0.1,,0.2"],
      /^error: Cannot parse override "lr=0\.1,,0\.2": item 2 of "0\.1,,0\.2" is empty/,
    ],
    [
      "unknown flag",
      EXPERIMENT,
      ["--dryrun"],
      /^error: Unknown option "--dryrun" for "xp run"\nhint: did you mean "--dry-run"\?/,
    ],
  ];
  for (const [name, yaml, extra, message] of cases) {
    await t.step(name, async () => {
      await withTempDir(async (dir) => {
        await Deno.writeTextFile(join(dir, "xp.yaml"), yaml);
        const { code, stdout, stderr } = await xp(["run", "--dry-run", ...extra], { cwd: dir });
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.match(stderr, message);
        assert.deepEqual(await entries(dir), ["xp.yaml"]);
      });
    });
  }
});

Deno.test("xp run without an experiment file says how to get one", async () => {
  await withTempDir(async (dir) => {
    const { code, stderr } = await xp(["run", "--dry-run"], { cwd: dir });
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^error: Cannot find xp\.yaml or xp\.ts in the current directory\nhint: run `xp init`/,
    );
  });
});

Deno.test("deno run --config <repo>/deno.json <repo>/main.ts works from any directory", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "exp"));
    await Deno.writeTextFile(join(dir, "exp", "xp.yaml"), EXPERIMENT);
    const command = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        "--config",
        join(REPO, "deno.json"),
        MAIN,
        "run",
        "exp",
        "--dry-run",
        "-q",
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    });
    const { code, stdout, stderr } = await command.output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.match(new TextDecoder().decode(stdout), /lr=0\.01/);
  });
});

Deno.test("deno task xp resolves paths against the caller's directory", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "exp"));
    await Deno.writeTextFile(join(dir, "exp", "xp.yaml"), EXPERIMENT);
    const command = new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "--quiet",
        "--config",
        join(REPO, "deno.json"),
        "xp",
        "run",
        "exp",
        "--dry-run",
        "-q",
      ],
      cwd: dir,
      // deno task keeps an INIT_CWD it inherits (as when this test runs under `deno task test`).
      clearEnv: true,
      env: pick("PATH", "HOME", "DENO_DIR"),
      stdout: "piped",
      stderr: "piped",
    });
    const { code, stdout, stderr } = await command.output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.match(new TextDecoder().decode(stdout), /lr=0\.1 /);
  });
});

Deno.test("xp --help, xp run --help and --version exit 0 with nothing on stderr", async () => {
  for (const argv of [["--help"], ["--version"], ["run", "--help"]]) {
    const { code, stdout, stderr } = await xp(argv);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.ok(stdout.length > 0);
  }
});
