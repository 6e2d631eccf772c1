/**
 * Turns a trial's policy into a process: Deno permission flags for TS trials (deny by default,
 * ARCHITECTURE section 6), `sh -c` (optionally under bubblewrap) for command trials, and the clean
 * environment both get.
 *
 * @module
 */

import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Grant, Permissions } from "../config/mod.ts";
import { TRIAL_FILES } from "../store/mod.ts";
import type { TrialLaunch } from "./executor.ts";

/** The variables a trial inherits from xp's environment; everything else is dropped. */
export const BASE_ENV = ["PATH", "HOME", "LANG", "TZ", "DENO_DIR"] as const;

/**
 * The SDK's files: the trial entry point (`trial_main.ts` bundled into one file, see
 * scripts/bundle_sdk.ts), its import map, and its directory (readable).
 */
export const SDK = {
  main: fileURLToPath(new URL("../sdk/bundle/trial_main.js", import.meta.url)),
  importMap: fileURLToPath(new URL("../sdk/import_map.json", import.meta.url)),
  dir: fileURLToPath(new URL("../sdk/", import.meta.url)).replace(/\/$/, ""),
};

/** A process to spawn. */
export interface ProcessSpec {
  /** The program. */
  program: string;
  /** Its arguments. */
  args: string[];
}

/**
 * The `deno run` of a TS trial: read = the experiment directory (realpath), the trial directory,
 * the dependencies' outputs, the directory of the trial it forks from (its checkpoint and out/)
 * and the SDK; write = out/, the events and checkpoint files; env = XP_*; nothing else unless
 * `permissions:` grants it.
 */
export function denoTrialProcess(launch: TrialLaunch, deno: string): ProcessSpec {
  const { stage, trialDir, experimentDir } = launch;
  const grants: Permissions = stage.permissions;
  const file = (name: keyof typeof TRIAL_FILES) => join(trialDir, TRIAL_FILES[name]);
  const read = [experimentDir, trialDir, ...launch.depOuts, ...parentDirs(launch), SDK.dir];
  const write = [file("out"), file("events"), file("checkpoint"), `${file("checkpoint")}.tmp`];
  const args = [
    "run",
    "--no-prompt",
    "--no-config",
    "--quiet",
    `--import-map=${SDK.importMap}`,
    flag("read", grants.read, read, experimentDir),
    flag("write", grants.write, write, experimentDir),
    flag("env", grants.env, ["XP_*", ...Object.keys(stage.env)], experimentDir),
  ];
  for (const name of ["net", "run", "ffi", "sys"] as const) {
    const granted = grants[name];
    if (granted) args.push(flag(name, granted, [], experimentDir));
  }
  if (stage.memoryBytes !== undefined) {
    args.push(
      `--v8-flags=--max-old-space-size=${Math.max(16, Math.floor(stage.memoryBytes / 2 ** 20))}`,
    );
  }
  args.push(SDK.main);
  return { program: deno, args };
}

function parentDirs(launch: TrialLaunch): string[] {
  return launch.parentDir === undefined ? [] : [launch.parentDir];
}

function flag(name: string, grant: Grant | undefined, base: string[], dir: string): string {
  if (grant === true) return `--allow-${name}`;
  const extra = Array.isArray(grant) ? grant : [];
  const paths = name === "read" || name === "write"
    ? extra.map((p) => isAbsolute(p) ? p : resolve(dir, p))
    : extra;
  return `--allow-${name}=${[...base, ...paths].join(",")}`;
}

/**
 * The process of a command trial: `sh -c COMMAND`, with `ulimit -v` for `memory:`, and under
 * bubblewrap for `sandbox: bwrap` (the filesystem read-only but for out/ and the events file, no
 * network).
 */
export function commandTrialProcess(launch: TrialLaunch, command: string): ProcessSpec {
  const { stage, trialDir } = launch;
  const limited = stage.memoryBytes === undefined
    ? command
    : `ulimit -v ${Math.floor(stage.memoryBytes / 1024)} && ${command}`;
  if (stage.sandbox !== "bwrap") return { program: "sh", args: ["-c", limited] };
  const out = join(trialDir, TRIAL_FILES.out);
  const events = join(trialDir, TRIAL_FILES.events);
  // The fresh /tmp would hide a project, store or dependency output that lives under /tmp (and
  // writes there would vanish silently): bind them back, read-only, on top of it.
  const visible = [
    ...new Set([launch.experimentDir, trialDir, ...launch.depOuts, ...parentDirs(launch)]),
  ]
    .flatMap((path) => ["--ro-bind", path, path]);
  return {
    program: "bwrap",
    args: [
      "--ro-bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--tmpfs",
      "/tmp",
      ...visible,
      "--unshare-net",
      "--die-with-parent",
      "--bind",
      out,
      out,
      "--bind",
      events,
      events,
      "--chdir",
      launch.experimentDir,
      "--",
      "sh",
      "-c",
      limited,
    ],
  };
}

/** The name (`$0`) of the `sh` in front of a program: its own errors begin with it. */
export const WRAPPER = "xp";

/**
 * `spec` writing its own output to the log files: `sh` redirects, then runs the command trial's
 * script (`sh -c SCRIPT`: the redirection goes in front of it, on its first line) or `exec`s the
 * program, which keeps the process (pid, signals). Pipes read by xp cost the runner about as
 * much CPU per trial as the rest of its work.
 */
export function toLogFiles(
  spec: ProcessSpec,
  logs: { stdout: string; stderr: string },
): ProcessSpec {
  const redirect = 'exec >"$1" 2>"$2"';
  const [flag, script, ...rest] = spec.args;
  if (spec.program === "sh" && flag === "-c" && script !== undefined && rest.length === 0) {
    return {
      program: "sh",
      args: ["-c", `${redirect}; shift 2; ${script}`, "sh", logs.stdout, logs.stderr],
    };
  }
  return {
    program: "sh",
    args: [
      "-c",
      `${redirect} && shift 2 && exec "$@"`,
      WRAPPER,
      logs.stdout,
      logs.stderr,
      spec.program,
      ...spec.args,
    ],
  };
}

/** The clean environment of a trial: {@linkcode BASE_ENV} from xp's own, the stage's `env:`, XP_*. */
export function trialEnvironment(
  own: (name: string) => string | undefined,
  stageEnv: Record<string, string>,
  xp: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BASE_ENV) {
    const value = own(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...stageEnv, ...xp };
}
