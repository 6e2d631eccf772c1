/**
 * `xp serve` as a real process for the web tests: started on a free port of 127.0.0.1, its
 * URL read from stdout, stopped with SIGINT as Ctrl-C would.
 *
 * @module
 */

import { MAIN } from "../_helpers.ts";

/** A running `xp serve`. */
export interface Served {
  /** The URL it printed (with `?token=` when it has one). */
  url: string;
  /** The origin, without path or token. */
  origin: string;
  /** Stops it with SIGINT and returns its exit code and stderr. */
  stop(): Promise<{ code: number; stderr: string }>;
}

/** Starts `xp --store ROOT serve --port 0 ...args` and waits for its URL. */
export async function startServe(root: string, args: string[] = []): Promise<Served> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "--store", root, "serve", "--port", "0", ...args],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const deadline = Date.now() + 60_000;
  while (!/http:\/\/\S+/.test(out)) {
    if (Date.now() > deadline) throw new Error(`xp serve printed no URL: ${out}`);
    const { value, done } = await reader.read();
    if (done) {
      const code = (await child.status).code;
      throw new Error(`xp serve exited ${code} before listening: ${out}${await stderr}`);
    }
    out += value;
  }
  // Keep draining stdout so the process never blocks on a full pipe.
  const drained = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  const url = /http:\/\/\S+/.exec(out)![0];
  return {
    url,
    origin: new URL(url).origin,
    async stop() {
      try {
        child.kill("SIGINT");
      } catch {
        // Already gone.
      }
      const { code } = await child.status;
      await drained;
      return { code, stderr: await stderr };
    },
  };
}
