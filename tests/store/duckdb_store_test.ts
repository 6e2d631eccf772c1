/**
 * The DuckDB file store: the store contract, plus what only a file index does (repair on open,
 * catch-up after a killed writer, concurrent processes, stock DuckDB reading the file).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { withFileDb } from "../../lib/store/duckdb_connect.ts";
import { openStore } from "../../lib/store/duckdb_store.ts";
import { writeStatus } from "../../lib/store/trial_files.ts";
import { generateFixtures } from "../../scripts/gen_fixtures.ts";
import { withTempDir } from "../_helpers.ts";
import { k, writeTrial } from "../contract/_trials.ts";
import { runStoreContract } from "../contract/store_contract.ts";

runStoreContract("duckdb", (root, options) => openStore(root, options));

/** Lines of a process's stdout as they come. */
async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
}

function script(name: string): string {
  return fromFileUrl(new URL(name, import.meta.url));
}

Deno.test("openStore() builds a missing index from the files, with a notice", async () => {
  await withTempDir(async (root) => {
    await writeTrial(root, { key: k("a"), config: { lr: 0.1 } });
    await writeTrial(root, { key: k("b"), config: { lr: 0.2 } });
    const store = await openStore(root);
    assert.deepEqual(store.notices, [
      `the index ${join(root, "index.duckdb")} was missing: rebuilt from 2 trials`,
    ]);
    assert.deepEqual((await store.query("select count(*) from trials")).rows, [[2]]);
    const again = await openStore(root);
    assert.deepEqual(again.notices, []);
  });
});

Deno.test("openStore() creates an empty index without a notice", async () => {
  await withTempDir(async (root) => {
    const store = await openStore(join(root, ".xp"));
    assert.deepEqual(store.notices, []);
    assert.deepEqual((await store.query("select * from trials")).rows, []);
    await Deno.stat(join(root, ".xp", "index.duckdb"));
  });
});

Deno.test("openStore() rebuilds a corrupt index, with a notice", async (t) => {
  for (
    const [what, bytes] of [
      ["garbage", new TextEncoder().encode("not a database\n".repeat(100))],
      ["random", crypto.getRandomValues(new Uint8Array(20000))],
    ] as const
  ) {
    await t.step(what, async () => {
      await withTempDir(async (root) => {
        await writeTrial(root, { key: k("a") });
        await (await openStore(root)).close();
        await Deno.writeFile(join(root, "index.duckdb"), bytes);
        const store = await openStore(root);
        assert.equal(store.notices.length, 1);
        assert.match(store.notices[0]!, /was corrupt \(.*\): rebuilt from 1 trial$/);
        assert.deepEqual((await store.query("select count(*) from trials")).rows, [[1]]);
      });
    });
  }
});

Deno.test("openStore() rebuilds an index of an older format, with a notice", async () => {
  await withTempDir(async (root) => {
    await writeTrial(root, { key: k("a") });
    await (await openStore(root)).close();
    const index = join(root, "index.duckdb");
    await withFileDb(
      index,
      { readOnly: false, lockTimeoutMs: 1000 },
      (db) => db.exec("UPDATE xp_index.info SET value = '0' WHERE name = 'schema_version'"),
    );
    const store = await openStore(root);
    assert.deepEqual(store.notices, [`the index ${index} was of format 0: rebuilt from 1 trial`]);
    await withFileDb(
      index,
      { readOnly: false, lockTimeoutMs: 1000 },
      (db) => db.exec("DROP SCHEMA xp_index CASCADE; CREATE TABLE old_stuff (a INTEGER)"),
    );
    const again = await openStore(root);
    assert.deepEqual(again.notices, [
      `the index ${index} was of an older format: rebuilt from 1 trial`,
    ]);
    assert.deepEqual((await again.query("select count(*) from trials")).rows, [[1]]);
  });
});

Deno.test("openStore() ingests trials that finished while no xp was ingesting", async () => {
  await withTempDir(async (root) => {
    await writeTrial(root, { key: k("a") });
    await (await openStore(root)).close();
    await writeTrial(root, {
      key: k("b"),
      eventsText: '{"t":"metric","name":"m","value":1}\n{"t"',
    });
    await writeTrial(root, { key: k("c"), status: { state: "running" } });
    const store = await openStore(root);
    assert.deepEqual(store.notices, ["indexed 1 finished trial that was not in the index yet"]);
    assert.equal(store.warnings.length, 1);
    assert.match(store.warnings[0]!, /events\.ndjson:2: truncated last line/);
    assert.deepEqual((await store.query("select count(*) from trials")).rows, [[2]]);
    const quiet = await openStore(root, { catchUp: false });
    assert.deepEqual(quiet.notices, []);
  });
});

Deno.test("openStore() for a run reports only the caught-up trials that other runs ran", async () => {
  await withTempDir(async (root) => {
    await (await openStore(root)).close();
    await writeTrial(root, { key: k("a"), status: { run_id: "run-killed" } });
    await writeTrial(root, { key: k("b"), status: { run_id: "run-now" } });
    await writeTrial(root, { key: k("c"), status: { run_id: "run-now" } });
    const store = await openStore(root, { ownRun: "run-now" });
    try {
      assert.deepEqual(store.notices, ["indexed 1 finished trial that was not in the index yet"]);
      assert.deepEqual((await store.query("select count(*) from trials")).rows, [[3]]);
    } finally {
      await store.close();
    }
  });
});

Deno.test("reindex() swaps in a compact index and keeps no temp files", async () => {
  await withTempDir(async (root) => {
    await generateFixtures(root, 30, { steps: 50 });
    const store = await openStore(root);
    const size = (await Deno.stat(join(root, "index.duckdb"))).size;
    for (let i = 0; i < 3; i++) await store.reindex();
    const after = (await Deno.stat(join(root, "index.duckdb"))).size;
    assert.ok(after <= size * 1.2, `${after} vs ${size}`);
    const files = (await Array.fromAsync(Deno.readDir(root))).map((e) => e.name).sort();
    assert.deepEqual(files, ["VERSION", "index.duckdb", "runs", "trials"]);
    assert.deepEqual((await store.query("select count(*) from scalars")).rows, [[30 * 3 * 50]]);
  });
});

Deno.test("openStore() after a killed writer loses no finished trial", async () => {
  await withTempDir(async (root) => {
    await (await openStore(root)).close();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script("_writer.ts"), root, "100000"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Its output is read to the end: closing the pipe early would end it (broken pipe) first.
    const acknowledged: string[] = [];
    let twentyFive = () => {};
    const started = new Promise<void>((resolve) => twentyFive = resolve);
    const read = (async () => {
      for await (const key of lines(child.stdout)) {
        acknowledged.push(key);
        if (acknowledged.length === 25) twentyFive();
      }
    })();
    await started;
    // Let it get into the middle of the next writes, then kill it without warning.
    await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 40));
    try {
      child.kill("SIGKILL");
    } catch {
      // It ended on its own: the assertion below says how.
    }
    const status = await child.status;
    await read;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.signal, "SIGKILL", `the writer ended on its own:\n${stderr}`);
    const finished: string[] = [];
    for await (const entry of Deno.readDir(join(root, "trials"))) {
      const status = join(root, "trials", entry.name, "status.json");
      if (await Deno.stat(status).then(() => true, () => false)) finished.push(entry.name);
    }
    finished.sort();
    const store = await openStore(root);
    const indexed = (await store.query("select key from trials order by key")).rows.map((r) =>
      r[0]
    );
    assert.deepEqual(indexed, finished);
    for (const key of acknowledged) assert.ok(indexed.includes(key), key);
    const points = await store.query("select count(*) from scalars");
    assert.deepEqual(points.rows, [[finished.length * 200]]);
  });
});

Deno.test("openStore() readers and a writer in other processes never fail", async () => {
  await withTempDir(async (root) => {
    await (await openStore(root)).close();
    const stop = join(root, "stop");
    const spawn = (name: string, args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", script(name), ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const readers = [spawn("_reader.ts", [root, stop]), spawn("_reader.ts", [root, stop])];
    const writer = await spawn("_writer.ts", [root, "40"]);
    await Deno.writeTextFile(stop, "");
    const decoder = new TextDecoder();
    assert.equal(writer.code, 0, decoder.decode(writer.stderr));
    assert.equal(decoder.decode(writer.stdout).trim().split("\n").length, 40);
    for (const reader of await Promise.all(readers)) {
      assert.equal(reader.code, 0, decoder.decode(reader.stderr));
      assert.ok(Number(decoder.decode(reader.stdout)) > 0);
    }
    const store = await openStore(root);
    assert.deepEqual((await store.query("select count(*), sum(metrics.i) from trials")).rows, [[
      40,
      780,
    ]]);
  });
});

Deno.test("openStore() writes an index that stock DuckDB opens without xp", async () => {
  await withTempDir(async (root) => {
    await generateFixtures(root, 5, { steps: 10 });
    await (await openStore(root)).close();
    const stock = join(root, "stock.ts");
    await Deno.writeTextFile(
      stock,
      `import { DuckDBInstance } from "@duckdb/node-api";
const instance = await DuckDBInstance.create(Deno.args[0], { access_mode: "READ_ONLY" });
const connection = await instance.connect();
const out = {};
for (const sql of [
  "select * from trials",
  "select name, params.lr, metrics.accuracy from trials where params.lr < 1 order by metrics.accuracy desc limit 10",
  "select key, max(value) from scalars where name = 'loss' group by key",
  "select * from results", "select * from params", "select * from metrics", "select * from runs",
]) out[sql] = (await connection.runAndReadAll(sql)).getRowsJson().length;
console.log(JSON.stringify(out));
`,
    );
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--config",
        fromFileUrl(new URL("../../deno.json", import.meta.url)),
        stock,
        join(root, "index.duckdb"),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    assert.equal(code, 0, decoder.decode(stderr));
    assert.deepEqual(Object.values(JSON.parse(decoder.decode(stdout))), [
      5,
      5,
      5,
      5,
      5 * 20,
      5 * 10,
      1,
    ]);
  });
});

Deno.test("openStore() is what loads DuckDB: importing lib/store does not", async () => {
  await withTempDir(async (root) => {
    const probe = join(root, "probe.ts");
    const mod = new URL("../../lib/store/mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      probe,
      `const store = await import(${JSON.stringify(mod)});
console.log(typeof store.openStore);
try { await store.openStore(${JSON.stringify(join(root, ".xp"))}); console.log("opened"); }
catch (error) { console.log(error instanceof Deno.errors.NotCapable ? "needs ffi" : String(error)); }
`,
    );
    // Without --allow-ffi, importing the store works; only opening an index needs DuckDB.
    const { stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-sys",
        "--config",
        fromFileUrl(new URL("../../deno.json", import.meta.url)),
        probe,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(stdout).trim().split("\n");
    assert.deepEqual(out, ["function", "needs ffi"], new TextDecoder().decode(stderr));
  });
});

Deno.test("openStore() notices a re-run's status.json written through writeStatus()", async () => {
  await withTempDir(async (root) => {
    await writeTrial(root, { key: k("a") });
    await (await openStore(root)).close();
    const status = JSON.parse(await Deno.readTextFile(join(root, "trials", k("a"), "status.json")));
    await writeStatus(join(root, "trials", k("a")), { ...status, attempt: 2, state: "failed" });
    const store = await openStore(root);
    assert.deepEqual(store.notices, ["indexed 1 finished trial that was not in the index yet"]);
    assert.deepEqual((await store.query("select attempt, status from trials")).rows, [[
      2,
      "failed",
    ]]);
    // Nothing changed since: no trial is looked at again.
    assert.deepEqual((await openStore(root)).notices, []);
  });
});
