/** Where reporters write: the part of the CLI's output they need (stdout lines, stderr). */
export interface ReportSink {
  /** Whether ANSI colours may be used. */
  readonly color: boolean;
  /** Whether stderr is a terminal (live progress is drawn there). */
  readonly interactive: boolean;
  /** Width of the terminal on stderr, or `Infinity`. */
  readonly errColumns: number;
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Writes text to stderr as is (for redrawing a status line). */
  errWrite(text: string): void;
}
