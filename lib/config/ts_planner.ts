/**
 * The sandboxed planner: `deno run --allow-read=<experiment dir> ts_planner.ts FILE` imports an
 * `xp.ts`, and prints its default export as JSON on stdout, functions replaced by a marker.
 * It runs in its own process so an experiment file never executes inside xp.
 *
 * @module
 */

import { pathToFileURL } from "node:url";
import { FN_MARKER } from "./fn_marker.ts";

if (import.meta.main) {
  const file = Deno.args[0];
  if (!file) throw new TypeError("Usage: ts_planner.ts FILE");
  // stdout carries the plan; what the experiment file logs goes to stderr.
  // deno-lint-ignore no-console
  console.log = console.info = console.debug = console.error;
  const module = await import(pathToFileURL(file).href);
  if (!("default" in module)) {
    throw new TypeError(
      "the file has no default export; write export default experiment({ … })",
    );
  }
  const bytes = new TextEncoder().encode(JSON.stringify(toPlan(module.default, [])));
  for (let done = 0; done < bytes.length;) done += Deno.stdout.writeSync(bytes.subarray(done));
}

/** The JSON form of an experiment definition; throws a TypeError naming a value JSON cannot hold. */
export function toPlan(value: unknown, path: string[]): unknown {
  const where = () => (path.length ? `"${path.join(".")}"` : "the default export");
  if (typeof value === "function") return { [FN_MARKER]: true };
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${where()} is ${value}, not a JSON number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => toPlan(item, [...path, String(i)]));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      // The TS spelling is dependsOn; the model (and YAML) spell it depends_on.
      const name = key === "dependsOn" && path.length === 2 && path[0] === "stages"
        ? "depends_on"
        : key;
      if (name in result) throw new TypeError(`${where()} has both dependsOn and depends_on`);
      result[name] = toPlan(item, [...path, key]);
    }
    return result;
  }
  throw new TypeError(`${where()} is ${describe(value)}, which JSON cannot hold`);
}

function describe(value: unknown): string {
  if (typeof value === "object" && value !== null) {
    return `an instance of ${value.constructor?.name ?? "a class"}`;
  }
  return `a ${typeof value}`;
}
