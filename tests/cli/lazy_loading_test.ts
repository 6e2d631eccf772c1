/**
 * `xp --help` must start about as fast as an empty `deno run`: nothing heavy (npm packages, the
 * YAML parser, DuckDB, Hono) may be reachable from main.ts or a command module by static imports.
 */
import assert from "node:assert/strict";
import { COMMANDS } from "../../lib/cli/mod.ts";

interface Module {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

async function staticClosure(root: URL): Promise<string[]> {
  const info = new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root.href],
    stdout: "piped",
    stderr: "piped",
  });
  const graph = JSON.parse(new TextDecoder().decode((await info.output()).stdout));
  const bySpecifier = new Map<string, Module>(graph.modules.map((m: Module) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (specifier: string): void => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code) visit(dep.code.specifier);
    }
  };
  visit(graph.roots[0]);
  return [...seen];
}

Deno.test("main.ts and every command module import nothing heavy statically", async (t) => {
  const roots = [
    new URL("../../main.ts", import.meta.url),
    ...COMMANDS.map((c) => new URL(`../../lib/cli/${c.name}.ts`, import.meta.url)),
  ];
  for (const root of roots) {
    await t.step(root.pathname.split("/").slice(-2).join("/"), async () => {
      const closure = await staticClosure(root);
      const heavy = closure.filter((s) =>
        s.startsWith("npm:") || /yaml_source|duckdb|hono|\/web\//.test(s)
      );
      assert.deepEqual(heavy, [], `${root.pathname} reaches ${heavy.join(", ")}`);
    });
  }
});
