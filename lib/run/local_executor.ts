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
import { commandTrialProcess, denoTrialProcess, type ProcessSpec } from "./sandbox.ts";

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
  return {
    name: "local",
    run: (launch, runOptions) =>
      runProcess(launch, processOf(launch, options.deno), {
        ...runOptions,
        grace: options.killGraceMs ?? 5000,
        // A TS trial without `run` cannot start children: it needs no process group of its own.
        setsid: options.setsid && (launch.command !== undefined || !!launch.stage.permissions.run),
      }),
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
}

async function runProcess(
  launch: TrialLaunch,
  spec: ProcessSpec,
  options: RunProcessOptions,
): Promise<TrialOutcome> {
  const [stdoutFile, stderrFile] = openLogs(launch.trialDir);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(options.setsid ? "setsid" : spec.program, {
      args: options.setsid ? [spec.program, ...spec.args] : spec.args,
      cwd: launch.experimentDir,
      clearEnv: true,
      env: launch.env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    stdoutFile.close();
    stderrFile.close();
    const missing = error instanceof Deno.errors.NotFound;
    return {
      state: "failed",
      exitCode: null,
      signal: null,
      error: missing
        ? `cannot start ${spec.program}: not found on PATH`
        : `cannot start ${spec.program}: ${(error as Error).message}`,
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
  const copies = Promise.all([
    copy(child.stdout, stdoutFile, "stdout", options.onOutput),
    copy(child.stderr, stderrFile, "stderr", options.onOutput),
  ]);
  const status = await child.status;
  clearTimeout(timer);
  options.signal.removeEventListener("abort", onAbort);
  options.kill?.removeEventListener("abort", onKill);
  // Anything the trial left running in its group goes too (and releases the output pipes).
  if (options.setsid) signalGroup(child.pid, "SIGKILL", true);
  await copies;
  return await explainFailure({
    launch,
    exitCode: status.signal ? null : status.code,
    signal: status.signal,
    stoppedFor,
    stderrPath: join(launch.trialDir, TRIAL_FILES.stderr),
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
function openLogs(trialDir: string): [Deno.FsFile, Deno.FsFile] {
  const options = { write: true, create: true, truncate: true };
  const stdout = Deno.openSync(join(trialDir, TRIAL_FILES.stdout), options);
  try {
    return [stdout, Deno.openSync(join(trialDir, TRIAL_FILES.stderr), options)];
  } catch (error) {
    stdout.close();
    throw error;
  }
}
