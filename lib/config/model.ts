/**
 * The experiment model that both `xp.yaml` and `xp.ts` load into.
 *
 * @module
 */

import type { SourcePosition } from "../errors.ts";

/** A JSON value: what params, results and resolved configs are made of. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** A sweep as written: one grid (a map of axes), or a list of grids that concatenate. */
export type SweepSpec = JsonObject | JsonObject[];

/** Finds where a path of keys (from the experiment file's root) was written, when known. */
export type Locate = (path: readonly (string | number)[]) => SourcePosition;

/** A Deno permission grant: `true` for all, or a list (paths, hosts, names). */
export type Grant = boolean | string[];

/** Grants a stage adds on top of the sandbox defaults (ARCHITECTURE section 6). */
export interface Permissions {
  /** Extra readable paths, relative to the experiment directory. */
  read?: Grant;
  /** Extra writable paths, relative to the experiment directory. */
  write?: Grant;
  /** Reachable hosts. */
  net?: Grant;
  /** Readable environment variables. */
  env?: Grant;
  /** Runnable programs. */
  run?: Grant;
  /** Loadable native libraries. */
  ffi?: Grant;
  /** System information APIs. */
  sys?: Grant;
}

/** One step of an experiment's DAG. */
export interface Stage {
  /** Unique within the experiment; `main` for a one-stage experiment. */
  name: string;
  /** Where the stage was written in the document (`[]` for a one-stage experiment), for messages. */
  path: (string | number)[];
  /** A TS module (relative to the experiment directory) whose default export runs the trial. */
  script?: string;
  /** A shell command with `${param}` placeholders. */
  command?: string;
  /** For `xp.ts` stages: the stage's `run` function lives in the experiment module itself. */
  inline?: boolean;
  /** Params merged over the experiment's params, with the merge rules. */
  params: JsonObject;
  /** A stage-level sweep, combined with the experiment's sweep as a product. */
  sweep: SweepSpec | undefined;
  /** Stage names or `/regex/` patterns this stage depends on. */
  dependsOn: string[];
  /** One trial that depends on every trial of the dependencies. */
  gather: boolean;
  /** Grants on top of the sandbox defaults. */
  permissions: Permissions;
  /** Time limit per attempt, in milliseconds. */
  timeoutMs: number | undefined;
  /** Extra attempts after a failure. */
  retry: number;
  /** Memory limit in bytes. */
  memoryBytes: number | undefined;
  /** Environment variables set for the trial. */
  env: Record<string, string>;
  /** Files or globs (relative to the experiment directory) whose contents are part of the key. */
  inputs: string[];
  /** `bwrap` runs a command trial under bubblewrap. */
  sandbox: "bwrap" | undefined;
  /**
   * `capture_env:`: names of xp's environment variables whose values each trial's meta.json
   * records (the stage's own list, else the experiment's). Not part of the key.
   */
  captureEnv?: string[];
}

/** A loaded, validated experiment. */
export interface Experiment {
  /** The experiment's name. */
  name: string;
  /** A line about it. */
  description?: string;
  /** Absolute path of the experiment file. */
  file: string;
  /** Absolute path of its directory: trials run there. */
  dir: string;
  /** The base config. */
  params: JsonObject;
  /** The experiment-level sweep. */
  sweep: SweepSpec | undefined;
  /** Stages in the order they were written. */
  stages: Stage[];
  /** Where things were written, for error messages about the loaded model. */
  locate: Locate;
  /** `executor:`, where trials run unless `xp run --executor` says otherwise. */
  executor?: (typeof EXPERIMENT_EXECUTORS)[number];
  /** `slurm:`, sbatch options for `executor: slurm` (`--slurm K=V` adds to them). */
  slurm?: SlurmSettings;
}

/** The executors an experiment file may name. */
export const EXPERIMENT_EXECUTORS = ["local", "inline", "slurm"] as const;

/** The keys of `slurm:` (and of `xp run --slurm KEY=VALUE`). */
export const SLURM_KEYS = [
  "partition",
  "time",
  "cpus",
  "mem",
  "gres",
  "account",
  "qos",
  "extra",
] as const;

/** `slurm:` as written: `KEY=VALUE` pairs, `extra` once per line. */
export type SlurmSettings = string[];
