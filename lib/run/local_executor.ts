/**
 * The `local` executor: one process per trial attempt, in its own process group (so a command's
 * children die with it), output to the trial's log files, time limit and Ctrl-C as signals.
 *
 * @module
 */

import { join } from "node:path";
import { TRIAL_FILES } from "../store/mod.ts";
import type { Executor, ExecutorRunOptions, TrialLaunch, TrialOutcome } from "./executor.ts";
import { explainFailure } from "./failure.ts";
import { commandTrialProcess, denoTrialProcess, type ProcessSpec, toLogFiles } from "./sandbox.ts";

/** Options of {@linkcode localExecutor}. */
export interface LocalExecutorOptions {
  /** The `deno` that runs TS trials. */
  deno: string;
  /** Time between SIGTERM and SIGKILL when a trial is stopped. @default {5000} */
  killGraceMs?: number;
  /** Whether `setsid` exists (puts each trial in its own process group). */
  setsid: boolean;
}

/** The default executor: a subprocess per trial. */
export function localExecutor(options: LocalExecutorOptions): Executor {
  const where = programFinder();
  return {
    name: "local",
    run: (launch, runOptions) =>
      runProcess(launch, processOf(launch, options.deno), {
        ...runOptions,
        grace: options.killGraceMs ?? 5000,
        // A TS trial without `run` cannot start children: it needs no process group of its own.
        setsid: options.setsid && (launch.command !== undefined || !!launch.stage.permissions.run),
        where,
      }),
  };
}

/**
 * Finds programs (`sh`, `setsid`, `bwrap`) on the trials' PATH once per run, not once per trial:
 * the search is a failed stat per PATH entry before the one that has it. A program not found is
 * left to the spawn, which reports it.
 */
function programFinder(): (program: string, path: string | undefined) => string {
  const found = new Map<string, string>();
  return (program, path = "") => {
    if (program.includes("/")) return program;
    const id = `${program}\0${path}`;
    let resolved = found.get(id);
    if (resolved === undefined) {
      resolved = program;
      for (const dir of path.split(":").filter(Boolean)) {
        try {
          const info = Deno.statSync(join(dir, program));
          if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) {
            resolved = join(dir, program);
            break;
          }
        } catch {
          // Not in this one.
        }
      }
      found.set(id, resolved);
    }
    return resolved;
  };
}

function processOf(launch: TrialLaunch, deno: string): ProcessSpec {
  return launch.command === undefined
    ? denoTrialProcess(launch, deno)
    : commandTrialProcess(launch, launch.command);
}

interface RunProcessOptions extends ExecutorRunOptions {
  grace: number;
  setsid: boolean;
  where: ReturnType<typeof programFinder>;
}

async function runProcess(
  launch: TrialLaunch,
  spec: ProcessSpec,
  options: RunProcessOptions,
): Promise<TrialOutcome> {
  const logs = {
    stdout: join(launch.trialDir, TRIAL_FILES.stdout),
    stderr: join(launch.trialDir, TRIAL_FILES.stderr),
  };
  // Streamed output (`-s`) goes through pipes, line by line; otherwise straight to the files.
  const own = options.onOutput ? spec : toLogFiles(spec, logs);
  const line = options.setsid ? ["setsid", own.program, ...own.args] : [own.program, ...own.args];
  const program = options.where(line[0]!, launch.env.PATH);
  const args = line.slice(1);
  const files = options.onOutput ? openLogs(logs) : undefined;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args,
      cwd: launch.experimentDir,
      clearEnv: true,
      env: launch.env,
      stdin: "null",
      stdout: files ? "piped" : "null",
      // Should the wrapper fail to open a log file, its message reaches the user.
      stderr: files ? "piped" : "inherit",
    }).spawn();
  } catch (error) {
    files?.stdout.close();
    files?.stderr.close();
    const missing = error instanceof Deno.errors.NotFound;
    return {
      state: "failed",
      exitCode: null,
      signal: null,
      error: missing
        ? `cannot start ${program}: not found on PATH`
        : `cannot start ${program}: ${(error as Error).message}`,
    };
  }
  options.onStart?.(child.pid);
  let stoppedFor: "timeout" | "interrupted" | undefined;
  const stop = (reason: "timeout" | "interrupted") => {
    if (stoppedFor) return;
    stoppedFor = reason;
    signalGroup(child.pid, "SIGTERM", options.setsid);
    const kill = setTimeout(() => signalGroup(child.pid, "SIGKILL", options.setsid), options.grace);
    child.status.finally(() => clearTimeout(kill));
  };
  const timer = launch.stage.timeoutMs === undefined
    ? undefined
    : setTimeout(() => stop("timeout"), launch.stage.timeoutMs);
  const onAbort = () => stop("interrupted");
  options.signal.addEventListener("abort", onAbort);
  if (options.signal.aborted) onAbort();
  const onKill = () => {
    stoppedFor ??= "interrupted";
    signalGroup(child.pid, "SIGKILL", options.setsid);
  };
  options.kill?.addEventListener("abort", onKill);
  const copies = files && Promise.all([
    copy(child.stdout, files.stdout, "stdout", options.onOutput),
    copy(child.stderr, files.stderr, "stderr", options.onOutput),
  ]);
  const status = await child.status;
  clearTimeout(timer);
  options.signal.removeEventListener("abort", onAbort);
  options.kill?.removeEventListener("abort", onKill);
  // Anything the trial left running in its group goes too (and releases the output pipes).
  if (options.setsid) signalGroup(child.pid, "SIGKILL", true);
  if (status.code === 0 && !status.signal && !stoppedFor) options.onExited?.();
  await copies;
  return await explainFailure({
    launch,
    exitCode: status.signal ? null : status.code,
    signal: status.signal,
    stoppedFor,
    stderrPath: logs.stderr,
  });
}

function signalGroup(pid: number, signal: Deno.Signal, group: boolean): void {
  try {
    Deno.kill(group ? -pid : pid, signal);
  } catch {
    // Already gone.
  }
}

async function copy(
  stream: ReadableStream<Uint8Array>,
  file: Deno.FsFile,
  name: "stdout" | "stderr",
  onOutput: ExecutorRunOptions["onOutput"],
): Promise<void> {
  const decoder = new TextDecoder();
  let partial = "";
  try {
    for await (const chunk of stream) {
      let offset = 0;
      while (offset < chunk.length) offset += await file.write(chunk.subarray(offset));
      if (onOutput) {
        const lines = (partial + decoder.decode(chunk, { stream: true })).split("\n");
        partial = lines.pop()!;
        for (const line of lines) onOutput(name, line);
      }
    }
    if (onOutput && partial) onOutput(name, partial);
  } finally {
    file.close();
  }
}

/** The trial's `stdout.log` and `stderr.log`, truncated; synchronously, as its other files. */
function openLogs(
  logs: { stdout: string; stderr: string },
): Record<"stdout" | "stderr", Deno.FsFile> {
  const options = { write: true, create: true, truncate: true };
  const stdout = Deno.openSync(logs.stdout, options);
  try {
    return { stdout, stderr: Deno.openSync(logs.stderr, options) };
  } catch (error) {
    stdout.close();
    throw error;
  }
}
