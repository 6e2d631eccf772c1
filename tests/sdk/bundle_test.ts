/**
 * The runner starts TS trials from lib/sdk/bundle/trial_main.js, generated from the SDK's sources:
 * it must be what `deno task bundle-sdk` makes of them now.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLE, bundleSdk } from "../../scripts/bundle_sdk.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

Deno.test("the trial bundle is current with lib/sdk (else run `deno task bundle-sdk`)", async () => {
  const committed = await Deno.readTextFile(join(ROOT, BUNDLE));
  assert.ok(committed === await bundleSdk(), `${BUNDLE} is stale: run \`deno task bundle-sdk\``);
});
