/**
 * The contract every `Store` keeps (the DuckDB file store and the in-memory one run it): the
 * views of ARCHITECTURE section 8 over what trials wrote, ingest validation (issue 5), blobs,
 * read-only SQL, catch-up and reindex equivalence.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { SqlError } from "../../lib/errors.ts";
import type { StoreOptions } from "../../lib/store/duckdb_store.ts";
import type { QueryResult, Store } from "../../lib/store/store.ts";
import { withTempDir } from "../_helpers.ts";
import { k, writeRun, writeStatus, writeTrial } from "./_trials.ts";

/** Makes the store under test over the files at `root`. */
export type MakeStore = (root: string, options?: StoreOptions) => Promise<Store>;

/** The views and a query that lists each one's rows in a stable order. */
export const VIEW_QUERIES: Record<string, string> = {
  trials: "select * from trials order by key",
  results: "select * from results order by key",
  params: "select * from params order by key, path, source",
  metrics: "select * from metrics order by key, name",
  scalars: "select * from scalars order by key, name, context nulls first, step, time",
  texts: "select * from texts order by key, name, step, value",
  artifacts: "select * from artifacts order by key, kind, name, step",
  runs: "select * from runs order by run_id",
  deps: "select * from deps order by key, dep_key",
  lineage: "select * from lineage order by key, depth",
  tags: "select * from tags order by key, name",
};

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** Rows of `result` as objects keyed by column name. */
export function objects(result: QueryResult): Record<string, unknown>[] {
  return result.rows.map((row) =>
    Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]]))
  );
}

/** Runs the contract against `makeStore`, naming the tests after `name`. */
export function runStoreContract(name: string, makeStore: MakeStore): void {
  const test = (title: string, fn: (root: string) => Promise<void>) =>
    Deno.test(`${title} [${name}]`, () => withTempDir(fn));
  const withStore = async (
    root: string,
    fn: (store: Store) => Promise<void>,
    options?: StoreOptions,
  ) => {
    const store = await makeStore(root, options);
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  test("query() answers every view of an empty store", async (root) => {
    await withStore(root, async (store) => {
      for (const [view, sql] of Object.entries(VIEW_QUERIES)) {
        const result = await store.query(sql);
        assert.deepEqual(result.rows, [], view);
        assert.ok(result.columns.length >= 2, view);
      }
    });
  });

  test("ingest() makes params, metrics and scalars queryable as section 8 says", async (root) => {
    await writeTrial(root, {
      key: k("a"),
      name: "lr=0.01",
      config: { lr: 0.01, model: { depth: 4, kind: "mlp" }, tags: ["x"] },
      events: [
        { t: "scalar", name: "loss", value: 0.5, step: 0, time: 1.5 },
        { t: "scalar", name: "loss", value: 0.25, step: 1, time: 2.5 },
        { t: "scalar", name: "loss", value: 0.75, step: 0, time: 1.5, context: { subset: "val" } },
        { t: "metric", name: "accuracy", value: 0.9 },
        { t: "result", value: { f1: 0.8, nested: { score: 3 }, label: "x" } },
      ],
    });
    await writeTrial(root, {
      key: k("b"),
      name: "lr=0.1",
      config: { lr: 0.1, model: { depth: 8, kind: "cnn" }, tags: [] },
      events: [{ t: "metric", name: "accuracy", value: 0.95 }],
    });
    await withStore(root, async (store) => {
      const report = await store.ingest([k("a"), k("b")]);
      assert.equal(report.trials, 2);
      assert.deepEqual(report.warnings, []);
      const top = await store.query(
        "select name, params.lr, metrics.accuracy from trials where params.lr < 0.05 " +
          "order by metrics.accuracy desc limit 10",
      );
      assert.deepEqual(top.rows, [["lr=0.01", 0.01, 0.9]]);
      const loss = await store.query(
        "select key, max(value) from scalars where name = 'loss' group by key",
      );
      assert.deepEqual(loss.rows, [[k("a"), 0.75]]);
      const trials = objects(await store.query(VIEW_QUERIES.trials!));
      assert.equal(trials.length, 2);
      const a = trials[0]!;
      assert.deepEqual(
        Object.keys(a),
        [
          "key",
          "experiment",
          "stage",
          "name",
          "status",
          "run_id",
          "attempt",
          "started_at",
          "finished_at",
          "duration_s",
          "exit_code",
          "error",
          "git_commit",
          "parent",
          "params",
          "metrics",
          "tags",
        ],
      );
      assert.equal(a.parent, null);
      assert.deepEqual(a.tags, {});
      assert.equal(a.experiment, "exp");
      assert.equal(a.status, "ok");
      assert.equal(a.attempt, 1);
      assert.equal(a.started_at, "2026-01-01T00:00:00.000Z");
      assert.equal(a.duration_s, 2.5);
      assert.equal(a.git_commit, "abc123");
      assert.deepEqual(a.params, {
        lr: 0.01,
        model: { depth: 4, kind: "mlp" },
        tags: '["x"]',
      });
      // Result leaves, then metric events, then the last value of each context-free series.
      assert.deepEqual(a.metrics, {
        accuracy: 0.9,
        f1: 0.8,
        loss: 0.25,
        "nested": { score: 3 },
      });
      const depth = await store.query(
        "select name from trials where params.model.depth > 5 and params.model.kind = 'cnn'",
      );
      assert.deepEqual(depth.rows, [["lr=0.1"]]);
      const types = await store.query("select typeof(params.model.depth) from trials limit 1");
      assert.deepEqual(types.rows, [["BIGINT"]]);
      const scalars = objects(await store.query(VIEW_QUERIES.scalars!));
      assert.deepEqual(scalars.map((s) => [s.name, s.step, s.value, s.time, s.context]), [
        ["loss", 0, 0.5, 1.5, null],
        ["loss", 1, 0.25, 2.5, null],
        ["loss", 0, 0.75, 1.5, '{"subset":"val"}'],
      ]);
      const params = await store.query(
        "select path, value, num, source from params where key = ? order by path",
        [k("a")],
      );
      assert.deepEqual(params.rows, [
        ["lr", "0.01", 0.01, "config"],
        ["model.depth", "4", 4, "config"],
        ["model.kind", '"mlp"', null, "config"],
        ["tags", '["x"]', null, "config"],
      ]);
      const metrics = await store.query("select name, value from metrics where key = ?", [k("b")]);
      assert.deepEqual(metrics.rows, [["accuracy", 0.95]]);
    });
  });

  test("ingest() gives results one column per param and metric, with the clash rule", async (root) => {
    await writeTrial(root, {
      key: k("a"),
      config: { lr: 0.1, status: "x", model: { depth: 2 } },
      events: [{ t: "metric", name: "lr", value: 5 }, { t: "metric", name: "acc", value: 1 }],
    });
    await withStore(root, async (store) => {
      await store.ingest([k("a")]);
      const result = await store.query("select * from results");
      assert.deepEqual(result.columns.map((c) => c.name), [
        "key",
        "experiment",
        "stage",
        "name",
        "status",
        "lr",
        "model.depth",
        "param.status",
        "acc",
        "metric.lr",
      ]);
      assert.deepEqual(result.rows[0]!.slice(4), ["ok", 0.1, 2, "x", 1, 5]);
      const quoted = await store.query('select "model.depth", "metric.lr" from results');
      assert.deepEqual(quoted.rows, [[2, 5]]);
    });
  });

  test("ingest() keeps param events apart from config params", async (root) => {
    await writeTrial(root, {
      key: k("a"),
      config: { lr: 0.1 },
      events: [
        { t: "param", name: "n_params", value: 12345 },
        { t: "param", name: "lr", value: 0.5 },
        { t: "param", name: "arch", value: { layers: 3 } },
      ],
    });
    await withStore(root, async (store) => {
      const report = await store.ingest([k("a")]);
      assert.equal(report.warnings.length, 1);
      assert.match(report.warnings[0]!, /events\.ndjson:2: param "lr" is also in config\.json/);
      const params = await store.query("select path, num, source from params order by path");
      assert.deepEqual(params.rows, [
        ["arch.layers", 3, "event"],
        ["lr", 0.1, "config"],
        ["n_params", 12345, "event"],
      ]);
      const struct = await store.query("select params.n_params, params.arch.layers from trials");
      assert.deepEqual(struct.rows, [[12345, 3]]);
    });
  });

  test("ingest() keeps NaN and ±Infinity as such", async (root) => {
    await writeTrial(root, {
      key: k("a"),
      events: [
        { t: "scalar", name: "loss", value: "NaN", step: 0, time: 1 },
        { t: "scalar", name: "loss", value: "Infinity", step: 1, time: 2 },
        { t: "scalar", name: "loss", value: "-Infinity", step: 2, time: 3 },
        { t: "metric", name: "m", value: "NaN" },
        { t: "result", value: { r: "-Infinity" } },
      ],
    });
    await withStore(root, async (store) => {
      await store.ingest([k("a")]);
      const scalars = await store.query("select value from scalars order by step");
      assert.deepEqual(scalars.rows, [["NaN"], ["Infinity"], ["-Infinity"]]);
      const nan = await store.query("select count(*) from scalars where isnan(value)");
      assert.deepEqual(nan.rows, [[1]]);
      const metrics = await store.query("select name, value from metrics order by name");
      assert.deepEqual(metrics.rows, [["loss", "-Infinity"], ["m", "NaN"], ["r", "-Infinity"]]);
    });
  });

  test("ingest() skips each bad line with a warning naming file:line, keeping the rest", async (root) => {
    const lines = [
      '{"t":"scalar","name":"ok","value":1,"step":0,"time":1}',
      "not json",
      '{"t":"nope","name":"x"}',
      '{"name":"x","value":1}',
      '{"t":"scalar","value":1,"step":0}',
      '{"t":"scalar","name":"","value":1,"step":0}',
      JSON.stringify({ t: "scalar", name: "n".repeat(257), value: 1, step: 0 }),
      '{"t":"scalar","name":"s","value":"high","step":0}',
      '{"t":"scalar","name":"s","value":1,"step":"Infinity"}',
      '{"t":"metric","name":"m","value":"x"}',
      '{"t":"text","name":"t","value":3}',
      '{"t":"artifact","name":"a","path":"../../escape.txt"}',
      '{"t":"artifact","name":"a","path":"missing.bin"}',
      JSON.stringify({ t: "text", name: "big", value: "x".repeat(1_000_001) }),
      '{"t":"scalar","name":"ok","value":2,"step":1,"time":2}',
      '{"t":"metric","name":"fine","value":3}',
      '{"t":"scalar","name":"ok","val',
    ];
    await writeTrial(root, { key: k("a"), eventsText: lines.join("\n") });
    await withStore(root, async (store) => {
      const report = await store.ingest([k("a")]);
      const file = join(root, "trials", k("a"), "events.ndjson");
      const expected: [number, RegExp][] = [
        [2, /not valid JSON/],
        [3, /unknown event type "nope"/],
        [4, /missing field "t"/],
        [5, /missing field "name"/],
        [6, /name is empty/],
        [7, /name is over 256 characters/],
        [8, /value must be a number/],
        [9, /step must be a finite number/],
        [10, /value must be a number/],
        [11, /value must be a string/],
        [12, /outside out\//],
        [13, /no file "missing\.bin"/],
        [14, /over 1 MB/],
        [17, /truncated last line/],
      ];
      assert.equal(report.warnings.length, expected.length, report.warnings.join("\n"));
      expected.forEach(([line, pattern], i) => {
        const warning = report.warnings[i]!;
        assert.ok(warning.startsWith(`${file}:${line}: `), warning);
        assert.match(warning, pattern);
      });
      const scalars = await store.query("select step, value from scalars order by step");
      assert.deepEqual(scalars.rows, [[0, 1], [1, 2]]);
      const metrics = await store.query("select name, value from metrics order by name");
      assert.deepEqual(metrics.rows, [["fine", 3], ["ok", 2]]);
    });
  });

  test("ingest() continues a series without steps and tells contexts apart", async (root) => {
    await writeTrial(root, {
      key: k("a"),
      events: [
        { t: "scalar", name: "x", value: 1 },
        { t: "scalar", name: "x", value: 2 },
        { t: "scalar", name: "x", value: 3, step: 10 },
        { t: "scalar", name: "x", value: 4 },
        { t: "scalar", name: "x", value: 5, context: { b: 1, a: "v" } },
        { context: { a: "v", b: 1 }, value: 6, name: "x", t: "scalar" },
      ],
    });
    await withStore(root, async (store) => {
      await store.ingest([k("a")]);
      const rows = await store.query(
        "select step, value, time, context from scalars order by context nulls first, step",
      );
      assert.deepEqual(rows.rows, [
        [0, 1, null, null],
        [1, 2, null, null],
        [10, 3, null, null],
        [11, 4, null, null],
        [0, 5, null, '{"a":"v","b":1}'],
        [1, 6, null, '{"a":"v","b":1}'],
      ]);
    });
  });

  test("ingest() cuts long texts in the index at the text limit", async (root) => {
    await writeTrial(root, {
      key: k("a"),
      events: [
        { t: "text", name: "sample", value: "abcdefghij", step: 3 },
        { t: "text", name: "short", value: "abc" },
      ],
    });
    await withStore(root, async (store) => {
      await store.ingest([k("a")]);
      const texts = await store.query("select name, step, value from texts order by name");
      assert.deepEqual(texts.rows, [["sample", 3, "abcd"], ["short", null, "abc"]]);
    }, { textLimit: 4 });
  });

  test("ingest() hashes artifacts into blobs once, with media types", async (root) => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
    await writeTrial(root, {
      key: k("a"),
      out: {
        "model.bin": new Uint8Array([0, 1, 2, 3]),
        "images/pred.png": PNG,
        "table.csv": "a,b\n1,2\n",
        "data.json": '{"a": 1}',
        "notes.txt": "hello",
        "fig.svg": svg,
      },
      events: [
        { t: "artifact", name: "model", path: "model.bin" },
        { t: "image", name: "pred", path: "images/pred.png", step: 3 },
        { t: "artifact", name: "table", path: "table.csv" },
        { t: "artifact", name: "data", path: "data.json" },
        { t: "artifact", name: "notes", path: "notes.txt" },
        { t: "figure", name: "roc", format: "svg", path: "fig.svg" },
        { t: "figure", name: "curve", format: "plotly", spec: { data: [], layout: {} } },
      ],
    });
    await writeTrial(root, {
      key: k("b"),
      out: { "same.bin": new Uint8Array([0, 1, 2, 3]) },
      events: [{ t: "artifact", name: "model", path: "same.bin" }],
    });
    await withStore(root, async (store) => {
      const report = await store.ingest([k("a"), k("b")]);
      assert.deepEqual(report.warnings, []);
      const rows = objects(
        await store.query("select * from artifacts where key = ? order by kind, name", [k("a")]),
      );
      assert.deepEqual(
        rows.map((r) => [r.kind, r.name, r.path, r.media_type, r.step, r.bytes]),
        [
          ["artifact", "data", "data.json", "application/json", null, 8],
          ["artifact", "model", "model.bin", "application/octet-stream", null, 4],
          ["artifact", "notes", "notes.txt", "text/plain", null, 5],
          ["artifact", "table", "table.csv", "text/csv", null, 8],
          ["figure", "curve", null, "application/json", null, 23],
          ["figure", "roc", "fig.svg", "image/svg+xml", null, svg.length],
          ["image", "pred", "images/pred.png", "image/png", 3, PNG.length],
        ],
      );
      for (const row of rows) {
        const sha = row.sha256 as string;
        assert.match(sha, /^[0-9a-f]{64}$/);
        const blob = await Deno.readFile(join(root, "blobs", "sha256", sha.slice(0, 2), sha));
        assert.equal(blob.length, row.bytes);
      }
      const shared = await store.query(
        "select count(distinct sha256), count(*) from artifacts where name = 'model'",
      );
      assert.deepEqual(shared.rows, [[1, 2]]);
      const model = rows.find((r) => r.name === "model")!.sha256 as string;
      const dir = join(root, "blobs", "sha256", model.slice(0, 2));
      assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [model]);
    });
  });

  test("ingest() refuses an artifact whose symlink points out of out/", async (root) => {
    await Deno.writeTextFile(join(root, "secret.txt"), "secret");
    const dir = await writeTrial(root, {
      key: k("a"),
      events: [{ t: "artifact", name: "leak", path: "link.txt" }],
    });
    await Deno.symlink(join(root, "secret.txt"), join(dir, "out", "link.txt"));
    await withStore(root, async (store) => {
      const report = await store.ingest([k("a")]);
      assert.equal(report.warnings.length, 1);
      assert.match(
        report.warnings[0]!,
        /events\.ndjson:1: artifact "leak": path "link\.txt" is outside out\//,
      );
      assert.deepEqual((await store.query("select * from artifacts")).rows, []);
    });
  });

  test("ingest() replaces a trial's rows when it is ingested again", async (root) => {
    await writeTrial(root, {
      key: k("a"),
      config: { lr: 0.1 },
      events: [{ t: "scalar", name: "loss", value: 1, step: 0, time: 1 }],
    });
    await withStore(root, async (store) => {
      await store.ingest([k("a")]);
      await writeTrial(root, {
        key: k("a"),
        config: { lr: 0.2 },
        status: { attempt: 2 },
        events: [
          { t: "scalar", name: "loss", value: 2, step: 0, time: 1 },
          { t: "scalar", name: "loss", value: 3, step: 1, time: 2 },
        ],
      });
      await store.ingest([k("a")]);
      await store.ingest([k("a")]);
      assert.deepEqual((await store.query("select attempt, params.lr from trials")).rows, [[
        2,
        0.2,
      ]]);
      assert.deepEqual((await store.query("select value from scalars order by step")).rows, [
        [2],
        [3],
      ]);
      assert.deepEqual((await store.query("select count(*) from params")).rows, [[1]]);
    });
  });

  test("ingest() leaves out unfinished trials and removes deleted ones", async (root) => {
    await writeTrial(root, { key: k("a") });
    await writeTrial(root, { key: k("b"), status: { state: "running", finished_at: null } });
    await writeTrial(root, { key: k("c"), noStatus: true });
    await withStore(root, async (store) => {
      const report = await store.ingest([k("a"), k("b"), k("c")]);
      assert.equal(report.trials, 1);
      assert.equal(report.warnings.length, 2);
      assert.match(report.warnings[0]!, /has not finished; not indexed/);
      assert.match(report.warnings[1]!, /no readable status\.json/);
      await Deno.remove(join(root, "trials", k("a")), { recursive: true });
      await store.ingest([k("a")]);
      assert.deepEqual((await store.query("select count(*) from trials")).rows, [[0]]);
    });
  });

  test("ingest() indexes every final state, with exit code and error", async (root) => {
    const states = ["ok", "failed", "timeout", "killed", "skipped", "interrupted"];
    for (const state of states) {
      await writeTrial(root, {
        key: k(state),
        name: state,
        status: {
          state,
          exit_code: state === "failed" ? 3 : null,
          error: state === "ok" ? null : `it ${state}`,
        },
      });
    }
    await withStore(root, async (store) => {
      await store.ingest(states.map(k));
      const rows = await store.query(
        "select name, status, exit_code, error from trials order by name",
      );
      assert.deepEqual(rows.rows, [
        ["failed", "failed", 3, "it failed"],
        ["interrupted", "interrupted", null, "it interrupted"],
        ["killed", "killed", null, "it killed"],
        ["ok", "ok", null, null],
        ["skipped", "skipped", null, "it skipped"],
        ["timeout", "timeout", null, "it timeout"],
      ]);
    });
  });

  test("ingest() of runs, and deps, make runs and deps queryable", async (root) => {
    await writeTrial(root, { key: k("a") });
    await writeTrial(root, { key: k("b"), deps: [k("a")] });
    await writeRun(root, "20260101T000000000Z-aaaa", { counts: { ok: 2, cached: 1 } });
    await withStore(root, async (store) => {
      await store.ingest([k("a"), k("b")]);
      await store.ingest([], ["20260101T000000000Z-aaaa"]);
      assert.deepEqual((await store.query("select * from deps")).rows, [[k("b"), k("a")]]);
      const runs = objects(await store.query("select * from runs"));
      assert.deepEqual(runs, [{
        run_id: "20260101T000000000Z-aaaa",
        started_at: "2026-01-01T00:00:00.000Z",
        finished_at: "2026-01-01T00:01:00.000Z",
        argv: ["run", "exp.yaml", "lr=0.1,0.01"],
        status: "ok",
        counts: {
          ok: 2,
          failed: 0,
          timeout: 0,
          killed: 0,
          skipped: 0,
          interrupted: 0,
          cached: 1,
          blocked: 0,
        },
      }]);
      const count = await store.query("select counts.ok from runs");
      assert.deepEqual(count.rows, [[2]]);
    });
  });

  test("lineage lists every ancestor with its depth; trials has parent and tags", async (root) => {
    // c forks from b, b from a; d from a trial this store does not have.
    await writeTrial(root, { key: k("a"), name: "first" });
    await writeTrial(root, { key: k("b"), name: "second", parent: k("a") });
    await writeTrial(root, { key: k("c"), name: "third", stage: "tune", parent: k("b") });
    await writeTrial(root, { key: k("d"), parent: k("gone") });
    await Deno.writeTextFile(join(root, "trials", k("b"), "tags.json"), '{"z":"1","best":"yes"}');
    await withStore(root, async (store) => {
      await store.ingest([k("c"), k("a"), k("d"), k("b")]);
      assert.deepEqual((await store.query("select * from lineage order by key, depth")).rows, [
        [k("b"), k("a"), 1, "train", "second", "train", "first"],
        [k("c"), k("b"), 1, "tune", "third", "train", "second"],
        [k("c"), k("a"), 2, "tune", "third", "train", "first"],
        [k("d"), k("gone"), 1, "train", k("d"), null, null],
      ]);
      const trials = await store.query(
        "select key, parent, tags, tags['best'] from trials order by key",
      );
      assert.deepEqual(trials.rows, [
        [k("a"), null, {}, null],
        [k("b"), k("a"), { best: "yes", z: "1" }, "yes"],
        [k("c"), k("b"), {}, null],
        [k("d"), k("gone"), {}, null],
      ]);
    });
  });

  test("query() refuses writes, ATTACH, COPY, INSTALL/LOAD and file reading", async (root) => {
    await Deno.writeTextFile(join(root, "data.csv"), "a\n1\n");
    await withStore(root, async (store) => {
      const refused = [
        "insert into xp_index.info values ('a', 'b')",
        "delete from xp_index.trial",
        "create table t (a int)",
        "drop view trials",
        `attach '${join(root, "other.duckdb")}' as other`,
        `copy (select 1) to '${join(root, "out.csv")}'`,
        "install httpfs",
        `select * from read_csv('${join(root, "data.csv")}')`,
        `select * from read_text('${join(root, "data.csv")}')`,
        "set enable_external_access = true",
      ];
      for (const sql of refused) {
        await assert.rejects(store.query(sql), (error: unknown) => {
          assert.ok(error instanceof SqlError, `${sql}: ${error}`);
          assert.equal(error.sql, sql);
          assert.match(error.hint ?? "", /xp sql is read-only/, `${sql}: ${error.message}`);
          return true;
        });
      }
      await assert.rejects(Deno.stat(join(root, "out.csv")));
      await assert.rejects(Deno.stat(join(root, "other.duckdb")));
    });
  });

  test("query() reports bad SQL with DuckDB's message and the position", async (root) => {
    await withStore(root, async (store) => {
      await assert.rejects(store.query("select nme from trials"), (error: unknown) => {
        assert.ok(error instanceof SqlError);
        assert.match(error.message, /^Binder Error: Referenced column "nme" not found/);
        assert.equal(error.position, 7);
        return true;
      });
      await assert.rejects(store.query("select 1 from\n  trials wher x"), (error: unknown) => {
        assert.ok(error instanceof SqlError);
        assert.match(error.message, /^Parser Error: syntax error at or near "x"/);
        assert.equal(error.position, 28);
        return true;
      });
      await assert.rejects(store.query("select * from nothing"), (error: unknown) => {
        assert.ok(error instanceof SqlError);
        assert.match(error.hint ?? "", /the views are trials, results/);
        return true;
      });
    });
  });

  test("query() converts values to JSON-safe ones", async (root) => {
    await withStore(root, async (store) => {
      const result = await store.query(
        `select 42::BIGINT as big, 9007199254740993::BIGINT as huge, 1.5 as dec,
           'nan'::DOUBLE as nan, TIMESTAMP '2026-01-02 03:04:05.678' as ts, DATE '2026-01-02' as d,
           [1, 2] as list, {'a': {'b': 1}} as st, MAP {'x': 1} as m, NULL as n, true as b, ?::VARCHAR as p`,
        ["bound"],
      );
      assert.deepEqual(result.rows, [[
        42,
        "9007199254740993",
        1.5,
        "NaN",
        "2026-01-02T03:04:05.678Z",
        "2026-01-02",
        [1, 2],
        { a: { b: 1 } },
        { x: 1 },
        null,
        true,
        "bound",
      ]]);
      assert.equal(result.columns[0]!.type, "BIGINT");
      assert.match(result.columns[7]!.type, /^STRUCT\("?a"? STRUCT\("?b"? INTEGER\)\)$/);
    });
  });

  test("catchUp() ingests trials that finished while no one was ingesting", async (root) => {
    await writeTrial(root, { key: k("a") });
    await withStore(root, async (store) => {
      await store.catchUp();
      assert.deepEqual((await store.query("select count(*) from trials")).rows, [[1]]);
      await writeTrial(root, { key: k("b") });
      await writeTrial(root, { key: k("c"), status: { state: "running" } });
      await writeRun(root, "20260101T000000000Z-bbbb");
      const report = await store.catchUp();
      assert.equal(report.trials, 1);
      assert.deepEqual((await store.query("select count(*) from trials")).rows, [[2]]);
      assert.deepEqual((await store.query("select count(*) from runs")).rows, [[1]]);
      // A finished re-run changes status.json: caught up again.
      await writeStatus(root, k("a"), { attempt: 2 });
      await writeStatus(root, k("c"), { state: "failed" });
      assert.equal((await store.catchUp()).trials, 2);
      assert.deepEqual(
        (await store.query("select key, attempt, status from trials order by key")).rows,
        [[k("a"), 2, "ok"], [k("b"), 1, "ok"], [k("c"), 1, "failed"]],
      );
      assert.equal((await store.catchUp()).trials, 0);
      await Deno.remove(join(root, "trials", k("b")), { recursive: true });
      await store.catchUp();
      assert.deepEqual((await store.query("select count(*) from trials")).rows, [[2]]);
    });
  });

  test("reindex() gives the same answers as incremental ingest for every view", async (root) => {
    const keys = ["a", "b", "c", "d"].map(k);
    await writeTrial(root, {
      key: keys[0]!,
      config: { lr: 0.1, model: { depth: 2 } },
      out: { "m.bin": "model" },
      events: [
        { t: "scalar", name: "loss", value: 1, step: 0, time: 1 },
        { t: "scalar", name: "loss", value: "NaN", step: 1, time: 2, context: { s: "v" } },
        { t: "text", name: "txt", value: "hello", step: 1 },
        { t: "artifact", name: "m", path: "m.bin" },
        { t: "param", name: "extra", value: true },
        { t: "result", value: { acc: 0.5 } },
      ],
    });
    await writeTrial(root, { key: keys[1]!, config: { lr: 0.2, model: 3 }, deps: [keys[0]!] });
    await Deno.writeTextFile(join(root, "trials", keys[1]!, "tags.json"), '{"best":"yes"}');
    await writeTrial(root, {
      key: keys[2]!,
      parent: keys[1]!,
      config: { lr: "high" },
      status: { state: "failed", error: "boom" },
      eventsText: '{"t":"metric","name":"acc","value":0.1}\n{"t":"bad"',
    });
    await writeTrial(root, { key: keys[3]!, status: { state: "skipped" }, parent: keys[2]! });
    await writeRun(root, "20260101T000000000Z-cccc");
    const answers = async (store: Store) => {
      const all: Record<string, QueryResult> = {};
      for (const [view, sql] of Object.entries(VIEW_QUERIES)) all[view] = await store.query(sql);
      return all;
    };
    await withStore(root, async (store) => {
      // One at a time, in another order, some twice: as runs would.
      for (const key of [keys[2]!, keys[0]!, keys[3]!, keys[0]!, keys[1]!]) {
        await store.ingest([key]);
      }
      await store.ingest([], ["20260101T000000000Z-cccc"]);
      const incremental = await answers(store);
      assert.equal(incremental.trials!.rows.length, 4);
      const report = await store.reindex();
      assert.equal(report.trials, 4);
      assert.deepEqual(await answers(store), incremental);
    });
  });
}
