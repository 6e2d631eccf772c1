/**
 * `xp run` end to end, the sandbox: TS trials are denied read, write, net, env and run by default,
 * each with a message naming the permission and the `permissions:` line that grants it, and pass
 * once granted; command trials under `sandbox: bwrap` see the project read-only, may write only
 * their out/, and have no network.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import { exists, storedTrial, storedTrials, writeFiles } from "./_run_helpers.ts";

/** One TS stage per permission, each touching what it needs that permission for. */
const SCRIPTS: Record<string, string> = {
  "read.ts": `export default () => Deno.readTextFileSync("/etc/hostname").length;\n`,
  "write.ts": `export default () => {
  Deno.writeTextFileSync(\`\${Deno.env.get("XP_EXPERIMENT_DIR")}/escaped.txt\`, "out of out/");
};
`,
  "net.ts": `export default async () => {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: 1 });
  conn.close();
};
`,
  "env.ts": `export default () => Deno.env.get("HOME") ?? "unset";\n`,
  "run.ts": `export default async () => (await new Deno.Command("true").output()).code;\n`,
};

function experiment(grants: Record<string, string>): string {
  const stages = Object.keys(SCRIPTS).map((file) => {
    const name = file.replace(".ts", "");
    const grant = grants[name] ? `\n    permissions: { ${name}: ${grants[name]} }` : "";
    return `  ${name}:\n    script: ${file}${grant}\n`;
  });
  return `name: sandbox\nstages:\n${stages.join("")}`;
}

Deno.test("TS trials are denied read, write, net, env and run by default, naming the permission", async (t) => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { "xp.yaml": experiment({}), ...SCRIPTS });
    const { code, stdout, stderr } = await xp(["run", "-j", "3"], { cwd: dir });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /\nfailed: 5 failed in /);
    const denials: Record<string, [string, string]> = {
      read: ['read access to "/etc/hostname"', '{ read: ["/etc/hostname"] }'],
      write: [
        `write access to "${join(dir, "escaped.txt")}"`,
        `{ write: [${JSON.stringify(join(dir, "escaped.txt"))}] }`,
      ],
      net: ['net access to "127.0.0.1:1"', '{ net: ["127.0.0.1:1"] }'],
      env: ['env access to "HOME"', '{ env: ["HOME"] }'],
      run: ['run access to "true"', '{ run: ["true"] }'],
    };
    for (const [stage, [what, grant]] of Object.entries(denials)) {
      await t.step(stage, async () => {
        const trial = await storedTrial(dir, stage, "default");
        const error = `sandbox denied ${what}; grant it with permissions: ${grant} ` +
          `in stage "${stage}"`;
        assert.equal(trial.status!.state, "failed");
        assert.equal(trial.status!.error, error);
        assert.ok(stderr.includes(`  failed ${stage} default: ${error}\n`), stderr);
        assert.match(await Deno.readTextFile(join(trial.dir, "stderr.log")), /NotCapable/);
      });
    }
    assert.equal(await exists(join(dir, "escaped.txt")), false);
  });
});

Deno.test("each permission passes once granted via permissions:", async (t) => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": experiment({
        read: "[/etc/hostname]",
        write: "[escaped.txt]", // relative to the experiment directory
        net: '["127.0.0.1:1"]',
        env: "[HOME]",
        run: '["true"]',
      }),
      ...SCRIPTS,
    });
    const { code, stderr } = await xp(["run", "-j", "3"], { cwd: dir });
    assert.equal(code, 1, "net is granted, but nothing listens on port 1");
    for (const stage of ["read", "write", "env", "run"]) {
      await t.step(stage, async () => {
        const trial = await storedTrial(dir, stage, "default");
        assert.equal(trial.status!.state, "ok", trial.status!.error ?? "");
      });
    }
    await t.step("net", async () => {
      const trial = await storedTrial(dir, "net", "default");
      assert.equal(trial.status!.state, "failed");
      assert.match(trial.status!.error!, /Connection refused/);
      assert.doesNotMatch(trial.status!.error!, /sandbox|permission/i);
    });
    assert.equal(await Deno.readTextFile(join(dir, "escaped.txt")), "out of out/");
    assert.match(stderr, /\nfailed: 4 ok, 1 failed in /);
  });
});

Deno.test("a TS trial may read the experiment directory and write its out/ without grants", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": "name: defaults\nscript: train.ts\n",
      "data/train.csv": "x,y\n1,2\n",
      "train.ts": `import type { TrialContext } from "xp";
export default (_cfg: unknown, ctx: TrialContext<unknown>) => {
  const rows = Deno.readTextFileSync("data/train.csv").trim().split("\\n").length;
  Deno.writeTextFileSync(\`\${ctx.out}/rows.txt\`, String(rows));
  return { rows };
};
`,
    });
    const { code, stderr } = await xp(["run"], { cwd: dir });
    assert.equal(code, 0, stderr);
    const [trial] = await storedTrials(dir);
    assert.equal(await Deno.readTextFile(join(trial!.dir, "out", "rows.txt")), "2");
  });
});

async function bwrapWorks(): Promise<boolean> {
  try {
    const args = ["--ro-bind", "/", "/", "--unshare-net", "true"];
    return (await new Deno.Command("bwrap", { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

const BWRAP = await bwrapWorks();

Deno.test({
  name: "sandbox: bwrap keeps the project read-only, out/ writable and the network unreachable",
  ignore: !BWRAP,
  async fn() {
    await withTempDir(async (dir) => {
      await writeFiles(dir, {
        "xp.yaml": `name: bwrap
params: { port: 1 }
stages:
  prep:
    command: echo prepared > \${out}/prep.txt
  escape:
    sandbox: bwrap
    command: echo x > escaped.txt
  write_out:
    sandbox: bwrap
    depends_on: [prep]
    command: |
      cat data.txt \${deps.prep.out}/prep.txt > "$XP_OUT/copy.txt"
      echo '{"t":"metric","name":"written","value":1}' >> "$XP_EVENTS"
  net:
    sandbox: bwrap
    command: bash -c 'exec 3<>/dev/tcp/127.0.0.1/\${port}' && echo connected
  net_unsandboxed:
    command: bash -c 'exec 3<>/dev/tcp/127.0.0.1/\${port}' && echo connected
`,
        "data.txt": "project data\n",
      });
      // Something to connect to on the host: reachable without the sandbox, not from inside it.
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      try {
        const { port } = listener.addr as Deno.NetAddr;
        const { code, stdout, stderr } = await xp(["run", "-j", "2", `port=${port}`], {
          cwd: dir,
        });
        assert.equal(code, 1);
        assert.equal(stdout, "");
        assert.match(stderr, /\nfailed: 3 ok, 2 failed in /);
      } finally {
        listener.close();
      }

      const escape = await storedTrial(dir, "escape", "default");
      assert.equal(escape.status!.state, "failed");
      assert.match(escape.status!.error!, /Read-only file system/);
      assert.equal(await exists(join(dir, "escaped.txt")), false);

      const writeOut = await storedTrial(dir, "write_out", "default");
      assert.equal(writeOut.status!.state, "ok", writeOut.status!.error ?? "");
      assert.equal(
        await Deno.readTextFile(join(writeOut.dir, "out", "copy.txt")),
        "project data\nprepared\n",
      );
      assert.match(
        await Deno.readTextFile(join(writeOut.dir, "events.ndjson")),
        /"name":"written"/,
      );

      const net = await storedTrial(dir, "net", "default");
      assert.equal(net.status!.state, "failed");
      assert.match(net.status!.error!, /Connection refused|Network is unreachable/);
      const open = await storedTrial(dir, "net_unsandboxed", "default");
      assert.equal(open.status!.state, "ok", open.status!.error ?? "");
      assert.equal(await Deno.readTextFile(join(open.dir, "stdout.log")), "connected\n");
    });
  },
});

Deno.test("sandbox: bwrap without bubblewrap on PATH fails the trial, naming the missing program", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": "name: nobwrap\nsandbox: bwrap\ncommand: echo hi\n",
    });
    // A PATH with a shell and nothing else.
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    await Deno.symlink("/bin/sh", join(bin, "sh"));
    const { code, stderr } = await xp(["run"], { cwd: dir, env: { PATH: bin } });
    assert.equal(code, 1, stderr);
    const [trial] = await storedTrials(dir);
    assert.equal(trial!.status!.state, "failed");
    assert.equal(trial!.status!.error, "cannot start bwrap: not found on PATH");
  });
});
