/**
 * A trial's lock: the one `xp run` that runs a trial creates `lock` exclusively, so two runs in
 * one store never run the same trial twice; a lock whose process is gone is stale and taken over.
 *
 * @module
 */

import { settled } from "./atomic.ts";
import { trialFile } from "./layout.ts";

/** Who holds a lock. */
export interface LockOwner {
  /** Process id. */
  pid: number;
  /** Host name. */
  host: string;
}

/** The result of {@linkcode acquireTrialLock}. */
export type LockResult =
  | { acquired: true; release(): Promise<void> }
  | { acquired: false; owner: LockOwner };

/** Tries to take the lock of the trial in `dir`; a stale lock (dead owner on this host) is taken over. */
export function acquireTrialLock(dir: string, self: LockOwner): Promise<LockResult> {
  // Synchronous inside, as the runner's other per-trial files (see writeTextAtomicSync).
  return settled(() => acquireSync(trialFile(dir, "lock"), self));
}

function acquireSync(path: string, self: LockOwner): LockResult {
  for (let tries = 0; tries < 3; tries++) {
    try {
      Deno.writeTextFileSync(path, JSON.stringify(self), { createNew: true });
      return { acquired: true, release: () => settled(() => removeIfThere(path)) };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const owner = readOwner(path);
    if (owner && !isStale(owner, self.host)) return { acquired: false, owner };
    removeIfThere(path);
  }
  const owner = readOwner(path);
  return { acquired: false, owner: owner ?? { pid: 0, host: "?" } };
}

function removeIfThere(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // Already gone.
  }
}

/** Whether a process that wrote a lock or a `running` status on this host is gone. */
export function isStale(owner: LockOwner, host: string): boolean {
  // Liveness is read from /proc; elsewhere a lock is never taken over.
  if (owner.host !== host || Deno.build.os !== "linux") return false;
  try {
    Deno.statSync(`/proc/${owner.pid}`);
    return false;
  } catch {
    return true;
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(Deno.readTextFileSync(path));
    return typeof owner?.pid === "number" && typeof owner?.host === "string" ? owner : undefined;
  } catch {
    return undefined;
  }
}
