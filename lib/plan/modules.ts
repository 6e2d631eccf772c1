/**
 * A TS module's import graph, from `deno info --json`: the local files it loads and the remote
 * and npm modules it names.
 *
 * @module
 */

import { dirname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** How long `deno info` may take: it may have to download a script's remote imports. */
const INFO_TIMEOUT_MS = 60_000;

/** What {@linkcode moduleGraph} needs. */
export interface GraphOptions {
  /** The `deno` executable. */
  deno: string;
  /** The import map that resolves `"xp"`; the files in its directory (the SDK) are left out. */
  importMap: string;
  /** Working directory of `deno info`. */
  cwd: string;
}

/** A module's graph: local files, other specifiers, or the errors deno reported. */
export interface ModuleGraph {
  /** Absolute paths of the local files it loads, itself included, the SDK's left out. */
  files: string[];
  /** Remote and npm modules (`https://…`, `npm:/yaml@2.9.1`), sorted. */
  remote: string[];
  /** What deno could not load or resolve (syntax errors, missing modules); empty when fine. */
  errors: string[];
}

/** The import map shipped with the SDK, in this checkout (`lib/sdk/import_map.json`). */
export function defaultImportMap(): string {
  return fileURLToPath(new URL("../sdk/import_map.json", import.meta.url));
}

/**
 * Runs `deno info --json` on `file` (without any deno.json, with the SDK's import map) and
 * collects its graph; a deno that cannot start or takes over a minute is reported in `errors`.
 */
export async function moduleGraph(file: string, options: GraphOptions): Promise<ModuleGraph> {
  const signal = AbortSignal.timeout(INFO_TIMEOUT_MS);
  const command = new Deno.Command(options.deno, {
    args: ["info", "--json", "--no-config", `--import-map=${options.importMap}`, file],
    cwd: options.cwd,
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal,
  });
  let output: Deno.CommandOutput;
  try {
    output = await command.output();
  } catch (error) {
    return failed(`cannot run ${options.deno}: ${(error as Error).message}`);
  }
  // An aborted process is killed, and output() resolves as for any other failed process.
  if (signal.aborted) return failed(`deno info did not finish in ${INFO_TIMEOUT_MS / 1000} s`);
  const decoder = new TextDecoder();
  if (!output.success) return failed(decoder.decode(output.stderr).trim());
  const info = JSON.parse(decoder.decode(output.stdout)) as DenoInfo;
  return collect(info, dirname(resolve(options.importMap)) + sep);
}

function failed(error: string): ModuleGraph {
  return { files: [], remote: [], errors: [error] };
}

interface DenoInfo {
  modules?: {
    specifier: string;
    local?: string;
    error?: string;
    dependencies?: { code?: { error?: string }; type?: { error?: string } }[];
  }[];
}

function collect(info: DenoInfo, sdkDir: string): ModuleGraph {
  const files: string[] = [];
  const remote: string[] = [];
  const errors: string[] = [];
  for (const module of info.modules ?? []) {
    if (module.error !== undefined) errors.push(module.error);
    for (const dep of module.dependencies ?? []) {
      for (const error of [dep.code?.error, dep.type?.error]) {
        if (error !== undefined) errors.push(error);
      }
    }
    if (!module.specifier.startsWith("file:")) {
      remote.push(module.specifier);
      continue;
    }
    const path = module.local ?? fileURLToPath(module.specifier);
    // The SDK is xp's, not the experiment's: an xp upgrade must not invalidate every cache.
    if (!path.startsWith(sdkDir)) files.push(path);
  }
  return { files, remote: [...new Set(remote)].sort(), errors };
}
