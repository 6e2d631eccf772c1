/**
 * The only place that prints. Commands write lines through an {@linkcode Output}; tests use
 * {@linkcode memoryOutput} to read stdout and stderr separately.
 *
 * @module
 */

/** Where a command's lines go. */
export interface Output {
  /** Whether ANSI colours may be used on stderr and stdout. */
  readonly color: boolean;
  /** Whether stdout is a terminal (tables are truncated to fit, progress is drawn). */
  readonly isTerminal: boolean;
  /** Terminal width in columns, or `Infinity` when stdout is not a terminal. */
  readonly columns: number;
  /** Writes text to stdout as is. */
  write(text: string): void;
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
}

/** Options of {@linkcode consoleOutput}. */
export interface ConsoleOutputOptions {
  /** `false` for `--no-color`; otherwise colour follows NO_COLOR and whether stderr is a terminal. */
  color?: boolean;
}

/** An {@linkcode Output} over the process's stdout and stderr. */
export function consoleOutput(options: ConsoleOutputOptions = {}): Output {
  const isTerminal = Deno.stdout.isTerminal();
  const color = options.color !== false && Deno.env.get("NO_COLOR") === undefined &&
    Deno.stderr.isTerminal();
  const columns = isTerminal ? Deno.consoleSize().columns : Infinity;
  const encoder = new TextEncoder();
  return {
    color,
    isTerminal,
    columns,
    write: (text) => writeAll(Deno.stdout, encoder.encode(text)),
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
    columns: options.columns ?? Infinity,
    write: (text) => void (stdout += text),
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

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

/** A colour or weight {@linkcode paint} can apply. */
export type Style = keyof typeof CODES;

/** Wraps `text` in ANSI codes when the output allows colour. */
export function paint(output: Pick<Output, "color">, style: Style, text: string): string {
  if (!output.color) return text;
  const [open, close] = CODES[style];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}

/** Prints an error as `error: …` plus `hint: …` on stderr. */
export function printError(output: Output, message: string, hint?: string): void {
  output.err(`${paint(output, "red", "error:")} ${message}`);
  if (hint) output.err(`${paint(output, "cyan", "hint:")} ${hint}`);
}
