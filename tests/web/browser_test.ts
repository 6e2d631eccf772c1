/**
 * Runs the browser tests (`_browser_cases.ts`) in their own `deno test -A`: playwright-core
 * reads /proc paths when it is imported that Deno allows only with --allow-all, and the
 * project's test command grants narrower permissions. Skipped with a message where
 * /usr/bin/chromium is missing; in CI (CI=true), where .ci/run installs it, that fails instead.
 */

import assert from "node:assert/strict";

const CHROMIUM = "/usr/bin/chromium";
const CASES = new URL("./_browser_cases.ts", import.meta.url).pathname;

const hasChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);
if (!hasChromium) {
  const message = `browser tests: ${CHROMIUM} is missing (apt-get install chromium)`;
  if (Deno.env.get("CI") === "true") throw new Error(`${message}; CI must run them`);
  Deno.stderr.writeSync(new TextEncoder().encode(`${message}; skipped\n`));
}

Deno.test({
  name: "the viewer in Chromium: every page, and points of a live xp run",
  ignore: !hasChromium,
  async fn() {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--quiet", CASES],
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const out = decoder.decode(stdout) + decoder.decode(stderr);
    assert.equal(code, 0, out);
    const screenshots = `${Deno.env.get("TMPDIR") ?? "/tmp"}/xp-web-screenshots`;
    Deno.stderr.writeSync(
      new TextEncoder().encode(`browser tests passed; screenshots in ${screenshots}\n`),
    );
  },
});
