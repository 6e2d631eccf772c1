import { paint } from "../ansi.ts";
import type { ReportSink } from "../run/sink.ts";

export { paint };

/**
 * The only place that prints. Commands write lines through an {@linkcode Output}; tests use
 * {@linkcode memoryOutput} to read stdout and stderr separately.
 *
 * @module
 */

/** Where a command's lines go. */
export interface Output extends ReportSink {
  /** Whether stdout is a terminal (tables are truncated to fit). */
  readonly isTerminal: boolean;
  /** Terminal width in columns, or `Infinity` when stdout is not a terminal. */
  readonly columns: number;
  /** Writes text to stdout as is. */
  write(text: string): void;
}

/** Options of {@linkcode consoleOutput}. */
export interface ConsoleOutputOptions {
  /** `false` for `--no-color`; otherwise colour follows NO_COLOR and whether stderr is a terminal. */
  color?: boolean;
}

/** An {@linkcode Output} over the process's stdout and stderr. */
export function consoleOutput(options: ConsoleOutputOptions = {}): Output {
  const isTerminal = Deno.stdout.isTerminal();
  const interactive = Deno.stderr.isTerminal();
  const color = options.color !== false && Deno.env.get("NO_COLOR") === undefined && interactive;
  const width = () => {
    try {
      return Deno.consoleSize().columns;
    } catch {
      return 80;
    }
  };
  const encoder = new TextEncoder();
  return {
    color,
    isTerminal,
    interactive,
    columns: isTerminal ? width() : Infinity,
    get errColumns() {
      return interactive ? width() : Infinity;
    },
    write: (text) => writeAll(Deno.stdout, encoder.encode(text)),
    errWrite: (text) => writeAll(Deno.stderr, encoder.encode(text)),
    out: (line) => writeAll(Deno.stdout, encoder.encode(line + "\n")),
    err: (line) => writeAll(Deno.stderr, encoder.encode(line + "\n")),
  };
}

function writeAll(target: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
}

/** An {@linkcode Output} that keeps what is written, for tests. */
export interface MemoryOutput extends Output {
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/** Options of {@linkcode memoryOutput}. */
export interface MemoryOutputOptions {
  /** Pretend to be a terminal of this width. */
  columns?: number;
  /** Use colours. */
  color?: boolean;
}

/** An {@linkcode Output} that records stdout and stderr in memory. */
export function memoryOutput(options: MemoryOutputOptions = {}): MemoryOutput {
  let stdout = "";
  let stderr = "";
  return {
    color: options.color ?? false,
    isTerminal: options.columns !== undefined,
    interactive: false,
    columns: options.columns ?? Infinity,
    errColumns: Infinity,
    write: (text) => void (stdout += text),
    errWrite: (text) => void (stderr += text),
    out: (line) => void (stdout += line + "\n"),
    err: (line) => void (stderr += line + "\n"),
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** Prints an error as `error: …` plus `hint: …` on stderr. */
export function printError(output: Output, message: string, hint?: string): void {
  output.err(`${paint(output, "red", "error:")} ${message}`);
  if (hint) output.err(`${paint(output, "cyan", "hint:")} ${hint}`);
}
