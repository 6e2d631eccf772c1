import assert from "node:assert/strict";
import { join } from "node:path";
import { EventWriter } from "../../lib/sdk/events.ts";
import { withTempDir } from "../_helpers.ts";

/** The file's text; "" while it does not exist (it is created by the first flush). */
const read = (path: string) =>
  Deno.readTextFile(path).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  });

Deno.test("EventWriter creates the file at the first flush, not before", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new EventWriter(path);
    writer.write('{"a":1}');
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
    writer.flush();
    assert.equal(await Deno.readTextFile(path), '{"a":1}\n');
    writer.close();
  });
});

Deno.test("EventWriter flushes on close", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new EventWriter(path);
    writer.write('{"a":1}');
    writer.write('{"b":"é"}');
    assert.equal(await read(path), "", "buffered until a flush");
    writer.close();
    assert.equal(await read(path), '{"a":1}\n{"b":"é"}\n');
    writer.close();
    assert.throws(() => writer.write("{}"), /nothing more can be logged/);
  });
});

Deno.test("EventWriter appends to an existing file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.ndjson");
    await Deno.writeTextFile(path, '{"old":1}\n');
    const writer = new EventWriter(path);
    writer.write('{"new":1}');
    writer.close();
    assert.equal(await read(path), '{"old":1}\n{"new":1}\n');
  });
});

Deno.test("EventWriter flushes when the buffer passes the size limit", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new EventWriter(path, { maxPending: 20 });
    try {
      writer.write('{"n":1}');
      writer.write('{"n":2}');
      assert.equal(await read(path), "");
      writer.write('{"n":3}');
      assert.equal(await read(path), '{"n":1}\n{"n":2}\n{"n":3}\n');
    } finally {
      writer.close();
    }
  });
});

Deno.test("EventWriter flushes the default 64 KiB buffer once it fills", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new EventWriter(path);
    try {
      const line = `{"x":"${"a".repeat(1000)}"}`;
      for (let i = 0; i < 64; i++) writer.write(line);
      assert.equal(await read(path), "", "64 lines of 1 KB are under 64 KiB");
      writer.write(line);
      assert.equal((await read(path)).split("\n").length, 66);
    } finally {
      writer.close();
    }
  });
});

Deno.test("EventWriter flushes pending lines within the delay while the event loop is free", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new EventWriter(path, { maxDelayMs: 5 });
    try {
      writer.write('{"n":1}');
      // The only signal of a timer flush is the file itself: poll it.
      const deadline = Date.now() + 5000;
      while ((await read(path)) === "" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.equal(await read(path), '{"n":1}\n');
    } finally {
      writer.close();
    }
  });
});

Deno.test("EventWriter flushes on a write once the delay has passed, even in a busy loop", async () => {
  // Synchronous throughout: the timer gets no chance to run.
  await withTempDir((dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new EventWriter(path, { maxDelayMs: 2 });
    try {
      writer.write('{"n":1}');
      const start = Date.now();
      while (Date.now() - start < 3) {
        // Busy: the timer cannot run.
      }
      writer.write('{"n":2}');
      assert.equal(Deno.readTextFileSync(path), '{"n":1}\n{"n":2}\n');
    } finally {
      writer.close();
    }
    return Promise.resolve();
  });
});

Deno.test("EventWriter releases held lines on every flush, before the last line on close", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new EventWriter(path, { maxPending: 20 });
    const held: string[] = [];
    writer.hold(() => held.splice(0).forEach((line) => writer.write(line)));
    held.push('{"held":1}');
    writer.write('{"n":1}');
    writer.flush();
    assert.equal(await read(path), '{"n":1}\n{"held":1}\n');
    // A release that fills the buffer flushes it without releasing again.
    held.push('{"held":2}', '{"held":3}', '{"held":4}');
    writer.close('{"t":"result"}');
    assert.equal(
      await read(path),
      '{"n":1}\n{"held":1}\n{"held":2}\n{"held":3}\n{"held":4}\n{"t":"result"}\n',
    );
  });
});

Deno.test("EventWriter flushes held lines within the delay once touched, even in a busy loop", async () => {
  await withTempDir((dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new EventWriter(path, { maxDelayMs: 2 });
    const held = ['{"held":1}'];
    writer.hold(() => held.splice(0).forEach((line) => writer.write(line)));
    try {
      writer.touch();
      const start = Date.now();
      while (Date.now() - start < 3) {
        // Busy: the timer cannot run.
      }
      assert.throws(() => Deno.statSync(path), Deno.errors.NotFound, "nothing flushed yet");
      writer.touch();
      assert.equal(Deno.readTextFileSync(path), '{"held":1}\n');
    } finally {
      writer.close();
    }
    return Promise.resolve();
  });
});

/** Runs a process that opens a writer (with delay `delayMs`), writes a line, then runs `body`. */
async function runChild(
  dir: string,
  body: string,
  delayMs = 1000,
): Promise<{ code: number; file: string }> {
  const path = join(dir, "events.ndjson");
  const url = new URL("../../lib/sdk/events.ts", import.meta.url).href;
  const script = join(dir, "child.ts");
  await Deno.writeTextFile(
    script,
    `import { EventWriter } from ${JSON.stringify(url)};\nconst writer = new EventWriter(${
      JSON.stringify(path)
    }, { maxDelayMs: ${delayMs} });\nwriter.write('{"n":1}');\n${body}\n`,
  );
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-config", `--allow-read=${dir}`, `--allow-write=${dir}`, script],
    stdout: "null",
    stderr: "null",
  }).output();
  return { code, file: await read(path) };
}

Deno.test("EventWriter's timer does not keep a process alive, and the exit flushes", async () => {
  await withTempDir(async (dir) => {
    const started = Date.now();
    const { code, file } = await runChild(dir, "", 60_000);
    assert.equal(code, 0);
    assert.equal(file, '{"n":1}\n');
    assert.ok(Date.now() - started < 30_000, "the process did not wait for the 60 s timer");
  });
});

Deno.test("EventWriter flushes when the process calls Deno.exit()", async () => {
  await withTempDir(async (dir) => {
    const { code, file } = await runChild(dir, "Deno.exit(3);");
    assert.equal(code, 3);
    assert.equal(file, '{"n":1}\n');
  });
});

Deno.test("EventWriter flushes when the process dies of an uncaught error or rejection", async () => {
  await withTempDir(async (dir) => {
    const thrown = await runChild(dir, 'setTimeout(() => { throw new Error("x"); }, 0);');
    assert.equal(thrown.code, 1);
    assert.equal(thrown.file, '{"n":1}\n');
  });
  await withTempDir(async (dir) => {
    const rejected = await runChild(dir, 'Promise.reject(new Error("x"));');
    assert.equal(rejected.code, 1);
    assert.equal(rejected.file, '{"n":1}\n');
  });
});

Deno.test("a trial that dies keeps the scalars its log was holding", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "events.ndjson");
    const writer = new URL("../../lib/sdk/events.ts", import.meta.url).href;
    const log = new URL("../../lib/sdk/log.ts", import.meta.url).href;
    const script = join(dir, "child.ts");
    await Deno.writeTextFile(
      script,
      `import { EventWriter } from ${JSON.stringify(writer)};
import { createTrialLog } from ${JSON.stringify(log)};
const log = createTrialLog(new EventWriter(${JSON.stringify(path)}), ${JSON.stringify(dir)});
log.scalar("loss", 0.5);
log.scalar("loss", 0.25);
setTimeout(() => { throw new Error("the trial crashed"); }, 0);
`,
    );
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-config",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        script,
      ],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(code, 1);
    const lines = (await read(path)).trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.t, l.step, l.value]), [
      ["scalar", 0, 0.5],
      ["scalar", 1, 0.25],
    ]);
  });
});
