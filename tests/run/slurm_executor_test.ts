/**
 * The Slurm executor's watcher without a cluster: a fake `squeue` on PATH stands in for Slurm, so
 * the exit record, a job that vanished, and a controller that stopped answering are all covered.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Stage } from "../../lib/config/mod.ts";
import { slurmExecutor } from "../../lib/run/slurm_executor.ts";
import { withTempDir } from "../_helpers.ts";

/** Runs `fn` with PATH holding only a `squeue` that runs `body`, then restores PATH. */
async function withFakeSqueue<T>(body: string, fn: (dir: string) => Promise<T>): Promise<T> {
  return await withTempDir(async (dir) => {
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    await Deno.writeTextFile(join(bin, "squeue"), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    const path = Deno.env.get("PATH") ?? "";
    Deno.env.set("PATH", `${bin}:${path}`);
    try {
      return await fn(dir);
    } finally {
      Deno.env.set("PATH", path);
    }
  });
}

const stage = { name: "main" } as Stage;
const executor = () =>
  slurmExecutor({
    deno: "deno",
    slurm: {},
    cancelOnInterrupt: false,
    pollMs: 20,
    lostContactMs: 200,
  });

Deno.test("a job's exit record is its outcome", async () => {
  await withFakeSqueue('echo "42|RUNNING|None"', async (dir) => {
    const record = { exit_code: 0, elapsed_s: 1, timeout_s: null, job: "42", host: "vm" };
    setTimeout(
      () => Deno.writeTextFileSync(join(dir, "slurm_exit.json"), JSON.stringify(record)),
      50,
    );
    const outcome = await executor().attach!({ job: "42", trialDir: dir, stage }, {
      signal: new AbortController().signal,
    });
    assert.deepEqual(outcome, { state: "ok", exitCode: 0, signal: null, error: null });
  });
});

Deno.test("a job gone without an exit record takes Slurm's state and reason", async () => {
  await withFakeSqueue('echo "42|TIMEOUT|TimeLimit"', async (dir) => {
    const outcome = await executor().attach!({ job: "42", trialDir: dir, stage }, {
      signal: new AbortController().signal,
    });
    assert.equal(outcome.state, "timeout");
    assert.match(outcome.error!, /Slurm job 42 reached its time limit, reason TimeLimit/);
  });
});

Deno.test("when squeue keeps failing, xp detaches instead of waiting forever", async () => {
  await withFakeSqueue(
    "echo 'slurm_load_jobs error: Unable to contact slurm controller' >&2; exit 1",
    async (dir) => {
      const outcome = await executor().attach!({ job: "42", trialDir: dir, stage }, {
        signal: new AbortController().signal,
      });
      assert.equal(outcome.detached, true);
      assert.match(
        outcome.error!,
        /lost contact with Slurm \(squeue has failed for \d+s\); job 42 may still run/,
      );
    },
  );
});

Deno.test("Ctrl-C detaches from a running job unless told to cancel it", async () => {
  await withFakeSqueue('echo "42|RUNNING|None"', async (dir) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await executor().attach!({ job: "42", trialDir: dir, stage }, {
      signal: controller.signal,
    });
    assert.equal(outcome.detached, true);
    assert.equal(outcome.state, "interrupted");
  });
});
