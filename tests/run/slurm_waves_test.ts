/**
 * Which job arrays a Slurm run submits at once, and how array scripts name paths: one array per
 * stage wave, split at MaxArraySize; `aftercorr` for trial-by-trial stages, `afterok` where a whole
 * stage feeds the next; trials left for later when neither fits.
 */
import assert from "node:assert/strict";
import type { PlannedTrial } from "../../lib/plan/mod.ts";
import { arraySpec } from "../../lib/run/slurm_array.ts";
import { sbatchValue } from "../../lib/run/slurm_script.ts";
import { planArrays, type WaveInput } from "../../lib/run/slurm_waves.ts";
import { UsageError } from "../../lib/errors.ts";

const trial = (key: string, deps: string[] = []) =>
  ({ key, stage: key.replace(/\d+$/, ""), deps }) as unknown as PlannedTrial;

/** The arrays as `stage:key@task,… after` strings, for one-glance assertions. */
function plan(trials: PlannedTrial[], more: Partial<WaveInput> = {}): string[] {
  const arrays = planArrays({
    trials,
    eligible: new Set(trials.map((t) => t.key)),
    done: new Set(),
    maxArraySize: 1001,
    ...more,
  });
  return arrays.map((a) => {
    const tasks = a.tasks.map((t) => `${t.key}@${t.task}`).join(",");
    const after = a.after === undefined
      ? ""
      : a.after.kind === "aftercorr"
      ? ` aftercorr:#${a.after.array}`
      : ` afterok:${a.after.on.map((d) => `#${d.array}${d.tasks === "all" ? "" : `_${d.tasks}`}`)}`;
    return `${a.stage}:${tasks}${after}`;
  });
}

const train = [trial("train0"), trial("train1"), trial("train2")];

Deno.test("ready trials go out as one array per stage, split at MaxArraySize", () => {
  assert.deepEqual(plan([...train, trial("prep0")]), [
    "train:train0@0,train1@1,train2@2",
    "prep:prep0@0",
  ]);
  assert.deepEqual(plan(train, { maxArraySize: 2 }), [
    "train:train0@0,train1@1",
    "train:train2@0",
  ]);
});

Deno.test("a stage matched trial by trial waits with aftercorr on the same task ids", () => {
  const evals = [
    trial("eval0", ["train0"]),
    trial("eval1", ["train1"]),
    trial("eval2", ["train2"]),
  ];
  assert.deepEqual(plan([...train, ...evals]), [
    "train:train0@0,train1@1,train2@2",
    "eval:eval0@0,eval1@1,eval2@2 aftercorr:#0",
  ]);
  // train1 is cached: eval1 is ready now; the others keep their upstream task ids (0 and 1).
  assert.deepEqual(
    plan([...train, ...evals], {
      eligible: new Set(["train0", "train2", "eval0", "eval1", "eval2"]),
      done: new Set(["train1"]),
    }),
    ["train:train0@0,train2@1", "eval:eval1@0", "eval:eval0@0,eval2@1 aftercorr:#0"],
  );
});

Deno.test("a whole stage feeding the next waits with afterok on the whole array", () => {
  assert.deepEqual(plan([...train, trial("sum0", ["train0", "train1", "train2"])]), [
    "train:train0@0,train1@1,train2@2",
    "sum:sum0@0 afterok:#0",
  ]);
  // One trial feeding a sweep: every trial waits on the same one.
  const sweep = [trial("prep0"), trial("fit0", ["prep0"]), trial("fit1", ["prep0"])];
  assert.deepEqual(plan(sweep), ["prep:prep0@0", "fit:fit0@0,fit1@1 afterok:#0"]);
});

Deno.test("trials on several upstream trials each wait for their inputs instead", () => {
  const a = Array.from({ length: 10 }, (_, i) => trial(`a${i}`));
  const c = Array.from({ length: 10 }, (_, i) => trial(`c${i}`));
  const b = Array.from({ length: 10 }, (_, i) => trial(`b${i}`, [`a${i}`, `c${i}`]));
  const arrays = plan([...a, ...c, ...b]);
  assert.equal(arrays.length, 2, arrays.join("\n"));
  assert.ok(arrays.every((line) => !line.startsWith("b:")));
  // A few such trials still go out, each waiting on exactly its own inputs.
  assert.deepEqual(plan([trial("a0"), trial("c0"), trial("b0", ["a0", "c0"])]), [
    "a:a0@0",
    "c:c0@0",
    "b:b0@0 afterok:#0,#1",
  ]);
});

Deno.test("a trial whose input is not submitted now is left for later, with its dependents", () => {
  const chain = [trial("a0"), trial("b0", ["a0"]), trial("c0", ["b0"])];
  assert.deepEqual(plan(chain, { eligible: new Set(["b0", "c0"]) }), []);
  assert.deepEqual(plan(chain), ["a:a0@0", "b:b0@0 aftercorr:#0", "c:c0@0 aftercorr:#1"]);
});

Deno.test("task ids are written as ranges; paths with blanks or quotes are quoted for #SBATCH", () => {
  assert.equal(arraySpec([0, 1, 2, 5, 7, 8]), "0-2,5,7-8");
  assert.equal(arraySpec([3]), "3");
  assert.equal(sbatchValue("/scratch/run-1/a.log"), "/scratch/run-1/a.log");
  assert.equal(sbatchValue("/data/my store #2/%A_%a.log"), '"/data/my store #2/%A_%a.log"');
  assert.equal(sbatchValue('/a "b"\\c'), '"/a \\"b\\"\\\\c"');
  assert.throws(() => sbatchValue("/a\nb"), UsageError);
});
