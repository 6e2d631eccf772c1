/**
 * What trials log comes back exactly through `xp sql`: a TS trial through the SDK, a Python trial
 * through examples/python/xp_log.py, each logging every event type.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MAIN, withTempDir, xp } from "../_helpers.ts";
import { ndjson, writeFiles } from "./_run_helpers.ts";

const EXAMPLES = join(MAIN, "..", "examples", "python");

async function sql(dir: string, query: string): Promise<Record<string, unknown>[]> {
  const { code, stdout, stderr } = await xp(["sql", "--json", query], { cwd: dir });
  assert.equal(code, 0, stderr);
  return ndjson(stdout);
}

async function hasPython(): Promise<boolean> {
  try {
    return (await new Deno.Command("python3", { args: ["--version"] }).output()).success;
  } catch {
    return false;
  }
}

Deno.test("a TS trial's scalars, metrics, params, texts, artifacts and result reach xp sql", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, {
      "xp.yaml": "name: logs\nparams: { lr: 0.5 }\nscript: trial.ts\n",
      "trial.ts": [
        'import type { TrialContext } from "xp";',
        "export default function (cfg: { lr: number }, ctx: TrialContext<{ lr: number }>) {",
        "  for (let step = 0; step < 3; step++) ctx.log.scalar('loss', cfg.lr / (step + 1));",
        "  ctx.log.scalar('loss', 0.25, { step: 0, context: { subset: 'val' } });",
        "  ctx.log.scalar('grad', NaN);",
        "  ctx.log.metric('best', 0.875);",
        "  ctx.log.param('n_params', 1234);",
        "  ctx.log.text('sample', 'hello, xp', { step: 2 });",
        "  ctx.log.artifact('weights', new TextEncoder().encode('w'));",
        "  return { accuracy: 0.9, nested: { f1: 0.8 } };",
        "}",
        "",
      ].join("\n"),
    });
    const run = await xp(["run", "-q"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      await sql(
        dir,
        "select name, step, value, context from scalars order by name, context nulls first, step",
      ),
      [
        { name: "grad", step: 0, value: "NaN", context: null },
        { name: "loss", step: 0, value: 0.5, context: null },
        { name: "loss", step: 1, value: 0.25, context: null },
        { name: "loss", step: 2, value: 0.5 / 3, context: null },
        { name: "loss", step: 0, value: 0.25, context: '{"subset":"val"}' },
      ],
    );
    const metrics = await sql(dir, "select name, value from metrics order by name");
    assert.deepEqual(metrics, [
      { name: "accuracy", value: 0.9 },
      { name: "best", value: 0.875 },
      { name: "grad", value: "NaN" },
      { name: "loss", value: 0.5 / 3 },
      { name: "nested.f1", value: 0.8 },
    ]);
    assert.deepEqual(await sql(dir, "select path, num from params order by path"), [
      { path: "lr", num: 0.5 },
      { path: "n_params", num: 1234 },
    ]);
    assert.deepEqual(await sql(dir, "select name, step, value from texts"), [
      { name: "sample", step: 2, value: "hello, xp" },
    ]);
    const [artifact] = await sql(dir, "select kind, name, bytes, sha256 from artifacts");
    assert.equal(artifact?.kind, "artifact");
    assert.equal(artifact?.bytes, 1);
    const blob = join(dir, ".xp", "blobs", "sha256", String(artifact?.sha256).slice(0, 2));
    assert.equal(await Deno.readTextFile(join(blob, String(artifact?.sha256))), "w");
  });
});

Deno.test("the Python example logs through xp_log.py and its values reach xp sql", async (t) => {
  if (!(await hasPython())) {
    await t.step({ name: "python3 is not installed (CI installs it)", ignore: true, fn() {} });
    return;
  }
  await withTempDir(async (dir) => {
    for (const file of ["xp.yaml", "train.py", "xp_log.py"]) {
      await Deno.copyFile(join(EXAMPLES, file), join(dir, file));
    }
    const run = await xp(["run", "-q"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const [counts] = await sql(
      dir,
      "select count(*) as points, count(distinct key) as trials from scalars",
    );
    assert.deepEqual(counts, { points: 20, trials: 2 });
    const rows = await sql(
      dir,
      "select params.lr as lr, metrics.accuracy as accuracy, metrics.final_loss as loss " +
        "from trials order by lr",
    );
    assert.deepEqual(rows.map((r) => r.lr), [0.1, 0.3]);
    for (const row of rows) {
      // The trial's own arithmetic: loss *= 1 - lr, five times; accuracy = 1 - loss / 2.
      const loss = (1 - Number(row.lr)) ** 5;
      assert.ok(Math.abs(Number(row.loss) - loss) < 1e-12, `${row.loss} vs ${loss}`);
      assert.ok(Math.abs(Number(row.accuracy) - (1 - loss / 2)) < 1e-12);
    }
    const [text] = await sql(dir, "select value from texts where name = 'sample' limit 1");
    assert.match(String(text?.value), /^lr=0\.\d ended at loss 0\.\d{4}$/);
  });
});
