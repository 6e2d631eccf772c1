/** Reading a Slurm trial's end: exit records, squeue lines, jobs that vanished; sbatch options. */
import assert from "node:assert/strict";
import {
  endingOf,
  parseExitRecord,
  parseSqueue,
  vanishedOutcome,
} from "../../lib/run/slurm_state.ts";
import { sbatchLines } from "../../lib/run/slurm_script.ts";
import { parseSlurmOptions } from "../../lib/run/slurm_options.ts";
import { UsageError } from "../../lib/errors.ts";

const record = (exit_code: number, elapsed_s = 0, timeout_s: number | null = null) => ({
  exit_code,
  elapsed_s,
  timeout_s,
  job: "7",
  host: "vm",
});

Deno.test("an exit record gives the exit code, a signal, or xp's own time limit", () => {
  assert.deepEqual(endingOf(record(0)), { exitCode: 0, signal: null, timedOut: false });
  assert.deepEqual(endingOf(record(3)), { exitCode: 3, signal: null, timedOut: false });
  assert.deepEqual(endingOf(record(137)), { exitCode: null, signal: "SIGKILL", timedOut: false });
  assert.deepEqual(endingOf(record(124, 2, 2)), { exitCode: 124, signal: null, timedOut: true });
  assert.equal(endingOf(record(124, 0, 2)).timedOut, false, "exited 124 by itself, early");
  assert.equal(parseExitRecord("{torn"), undefined);
  assert.equal(parseExitRecord(JSON.stringify(record(1)))?.exit_code, 1);
});

Deno.test("squeue lines parse, array tasks included", () => {
  assert.deepEqual(parseSqueue("12|RUNNING|None\n3_4|CANCELLED by 0|None\n"), [
    { id: "12", state: "RUNNING", reason: "None" },
    { id: "3_4", state: "CANCELLED", reason: "None" },
  ]);
});

Deno.test("a job that vanished without an exit record maps to killed, timeout or failed", () => {
  assert.equal(vanishedOutcome("5", "CANCELLED", "None").state, "killed");
  const timeout = vanishedOutcome("5", "TIMEOUT", "TimeLimit");
  assert.equal(timeout.state, "timeout");
  assert.match(timeout.error!, /Slurm job 5 reached its time limit, reason TimeLimit/);
  const node = vanishedOutcome("5", "NODE_FAIL", "NodeDown");
  assert.equal(node.state, "failed");
  assert.match(node.error!, /ended NODE_FAIL, reason NodeDown/);
  assert.equal(vanishedOutcome("5", undefined, "").state, "failed");
});

Deno.test("--slurm options become #SBATCH lines; bad keys are usage errors", () => {
  const options = parseSlurmOptions([
    "partition=gpu",
    "time=1:00:00",
    "cpus=4",
    "gres=gpu:1",
    "extra=--exclusive",
    "extra=#SBATCH --constraint=a100",
  ]);
  assert.deepEqual(sbatchLines(options), [
    "#SBATCH --partition=gpu",
    "#SBATCH --time=1:00:00",
    "#SBATCH --cpus-per-task=4",
    "#SBATCH --gres=gpu:1",
    "#SBATCH --exclusive",
    "#SBATCH --constraint=a100",
  ]);
  assert.throws(() => parseSlurmOptions(["nodes=2"]), UsageError);
  assert.throws(() => parseSlurmOptions(["cpus=two"]), UsageError);
  assert.throws(() => parseSlurmOptions(["partition="]), UsageError);
});
