/**
 * Which `deno` runs experiment files and TS trials: `XP_DENO` when set, else this process's own
 * executable, else (in a compiled `xp` binary, which is not a deno) the `deno` on PATH.
 *
 * @module
 */

/** The deno executable to spawn for planners and trials. */
export function denoExecutable(env: (name: string) => string | undefined): string {
  const chosen = env("XP_DENO");
  if (chosen) return chosen;
  const self = Deno.execPath();
  return /(^|[\\/])deno(\.exe)?$/.test(self) ? self : "deno";
}
