/**
 * `xp archive` and `xp import` as a user runs them: a round trip into a fresh store gives the
 * same SQL answers, importing twice adds nothing, and a corrupt, truncated or crafted archive is
 * refused with exit 2 and the store left as it was.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir, xp } from "../_helpers.ts";
import { openStore } from "../../lib/store/mod.ts";
import { endOfArchive, fileHeader, padding } from "../../lib/store/tar.ts";
import { FIXTURE_RUN, standardTrials, writeFixtureStore } from "../query/_fixtures.ts";
import { entries } from "./_run_helpers.ts";

const QUERIES = [
  "select key, stage, name, status, run_id, params, metrics from trials order by key",
  "select * from scalars order by all",
  "select key, kind, name, path, sha256, bytes from artifacts order by all",
  "select run_id, status from runs order by all",
  "select * from texts order by all",
  "select * from tags order by all",
  "select * from notes order by all",
];

/** A project with the standard fixture store, indexed; `fn` gets its dir and the keys. */
async function withSource(fn: (dir: string, keys: string[]) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const source = join(dir, "source");
    const keys = await writeFixtureStore(join(source, ".xp"), standardTrials());
    await (await openStore(join(source, ".xp"))).close();
    await fn(dir, keys);
  });
}

async function answers(cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const query of QUERIES) {
    const result = await xp(["sql", "--json", query], { cwd });
    assert.equal(result.code, 0, result.stderr);
    out.push(result.stdout);
  }
  return out;
}

Deno.test("an archive imported into a fresh store answers SQL the same; twice adds nothing", async () => {
  await withSource(async (dir) => {
    const source = join(dir, "source");
    const made = await xp(["archive", "-o", "../all.xpa"], { cwd: source });
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stderr, /archived 5 trials, 1 run, \d+ blobs? /);
    const target = join(dir, "target");
    await Deno.mkdir(target);
    const first = await xp(["import", "../all.xpa"], { cwd: target });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /imported 5 new trials/);
    assert.deepEqual(await answers(target), await answers(source));
    const second = await xp(["import", "../all.xpa"], { cwd: target });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /imported 0 new trials \(0 replaced, 5 kept\), 0 runs/);
    assert.deepEqual(await answers(target), await answers(source));
    assert.deepEqual(await entries(join(target, ".xp", "tmp")), []);
  });
});

Deno.test("xp archive --query and --run select trials; xp import DIR merges a store", async () => {
  await withSource(async (dir) => {
    const source = join(dir, "source");
    const failed = await xp(
      ["archive", "--query", "select key from trials where status = 'failed'", "-o", "../f.xpa"],
      { cwd: source },
    );
    assert.equal(failed.code, 0, failed.stderr);
    assert.match(failed.stderr, /archived 1 trial, 1 run/);
    const byRun = await xp(["archive", "--run", FIXTURE_RUN, "-o", "../r.xpa"], { cwd: source });
    assert.equal(byRun.code, 0, byRun.stderr);
    const unknown = await xp(["archive", "--run", "nope", "-o", "../n.xpa"], { cwd: source });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /error: No run "nope"/);

    const target = join(dir, "target");
    await Deno.mkdir(target);
    const one = await xp(["import", "../f.xpa"], { cwd: target });
    assert.match(one.stderr, /imported 1 new trial /);
    const merged = await xp(["import", "../source/.xp"], { cwd: target });
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stderr, /imported 4 new trials \(0 replaced, 1 kept\)/);
    assert.deepEqual(await answers(target), await answers(source));
  });
});

/** Imports `archive` into a fresh store and checks it is refused and nothing was written. */
async function assertRefused(dir: string, archive: string, message: RegExp): Promise<void> {
  const target = join(dir, `target-${crypto.randomUUID().slice(0, 4)}`);
  await Deno.mkdir(target);
  const result = await xp(["import", archive], { cwd: target });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^error: Cannot import /);
  assert.match(result.stderr, message);
  assert.match(result.stderr, /hint: the store was not changed/);
  assert.deepEqual(await entries(join(target, ".xp", "trials")), []);
  assert.deepEqual(await entries(join(target, ".xp", "runs")), []);
  assert.deepEqual(await entries(join(target, ".xp", "tmp")), []);
}

Deno.test("a corrupted byte or a truncated archive is refused and the store left as it was", async () => {
  await withSource(async (dir) => {
    const made = await xp(["archive", "-o", "../all.xpa"], { cwd: join(dir, "source") });
    assert.equal(made.code, 0, made.stderr);
    const bytes = await Deno.readFile(join(dir, "all.xpa"));
    const corrupt = bytes.slice();
    corrupt[Math.floor(corrupt.length / 2)]! ^= 0x55;
    await Deno.writeFile(join(dir, "corrupt.xpa"), corrupt);
    await assertRefused(dir, join(dir, "corrupt.xpa"), /corrupt|checksum|truncated/);
    await Deno.writeFile(join(dir, "cut.xpa"), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await assertRefused(dir, join(dir, "cut.xpa"), /truncated/);
    await Deno.writeFile(join(dir, "empty.xpa"), new Uint8Array(0));
    await assertRefused(dir, join(dir, "empty.xpa"), /truncated/);
  });
});

/** A gzipped tar of `files` (path → text), without a manifest check of its own. */
async function craft(files: Record<string, string>): Promise<Uint8Array> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (const [path, text] of Object.entries(files)) {
    const data = new TextEncoder().encode(text);
    parts.push(fileHeader(path, data.length), data, padding(data.length));
  }
  parts.push(endOfArchive());
  const stream = new Blob(parts).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("an archive with ../ or absolute entries is refused and writes nothing outside", async () => {
  await withTempDir(async (dir) => {
    for (const path of ["../escaped.txt", "trials/k/../../../escaped.txt", "/tmp/escaped.txt"]) {
      await Deno.writeFile(join(dir, "evil.xpa"), await craft({ [path]: "pwned" }));
      await assertRefused(dir, join(dir, "evil.xpa"), /unsafe path/);
    }
    assert.deepEqual((await entries(dir)).filter((n) => n.includes("escaped")), []);
    const noManifest = await craft({ "trials/k/status.json": "{}" });
    await Deno.writeFile(join(dir, "bare.xpa"), noManifest);
    await assertRefused(dir, join(dir, "bare.xpa"), /no manifest/);
  });
});
