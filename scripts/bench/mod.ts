/**
 * `deno task bench`: runs every `*_bench.ts` here in its own process (so peak memory is its own)
 * and prints their figures, with the machine's core count.
 *
 * @module
 */

const dir = new URL("./", import.meta.url);
const benches = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith("_bench.ts"))
  .sort();
const header =
  `xp benchmarks on ${navigator.hardwareConcurrency} cores, deno ${Deno.version.deno}\n`;
Deno.stdout.writeSync(new TextEncoder().encode(header));
let failed = false;
for (const name of benches) {
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(name, dir).pathname],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  failed ||= !success;
}
if (failed) Deno.exit(1);
