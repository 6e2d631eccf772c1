/** Prints one aligned row of benchmark output: area, what, figure, comparison. */
export function row(area: string, what: string, figure: string, note: string): void {
  const line = `${area.padEnd(8)} ${what.padEnd(40)} ${figure.padStart(12)}  ${note}`;
  Deno.stdout.writeSync(new TextEncoder().encode(line.trimEnd() + "\n"));
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** This process's peak resident memory in MiB (Linux `VmHWM`), or "?" elsewhere. */
export function peakRssMib(): string {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kib) ? (kib / 1024).toFixed(0) : "?";
  } catch {
    return "?";
  }
}
