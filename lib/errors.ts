/**
 * The few error classes a user can cause, and the table that maps each to an exit code.
 *
 * @module
 */

/** Exit codes of every xp command (documented in the README). */
export const EXIT = {
  ok: 0,
  trialFailed: 1,
  usage: 2,
  interrupted: 130,
} as const;

/** Options shared by the user-facing errors. */
export interface UserErrorOptions extends ErrorOptions {
  /** One line on what to do about it, printed as `hint: …`. */
  hint?: string;
}

/** A bad command line: unknown command or flag, a missing or malformed value. */
export class UsageError extends TypeError {
  /** What to do about it. */
  readonly hint: string | undefined;
  /** Builds a usage error; `hint` is printed after the message. */
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options);
    this.name = "UsageError";
    this.hint = options.hint;
  }
}

/** Where in which file a config problem is. */
export interface SourcePosition {
  /** Path of the file, as the user gave it or as found. */
  file: string;
  /** 1-based line, when the file format has lines (YAML). */
  line?: number;
  /** 1-based column. */
  column?: number;
}

/** Options of {@linkcode ConfigError}. */
export interface ConfigErrorOptions extends UserErrorOptions {
  /** The place the problem was found. */
  at?: SourcePosition | undefined;
}

/** A problem in an experiment file or an override: bad YAML, unknown key, wrong type, … */
export class ConfigError extends SyntaxError {
  /** What to do about it. */
  readonly hint: string | undefined;
  /** The place the problem was found, when known. */
  readonly at: SourcePosition | undefined;
  /** Builds a config error located at `options.at`. */
  constructor(message: string, options: ConfigErrorOptions = {}) {
    super(message, options);
    this.name = "ConfigError";
    this.hint = options.hint;
    this.at = options.at;
  }
}

/** Bad SQL, or SQL that tries to write or read outside the index (exit 2). */
export class SqlError extends SyntaxError {
  /** What to do about it. */
  readonly hint: string | undefined;
  /** The query. */
  readonly sql: string;
  /** 0-based character offset of the problem in `sql`, when DuckDB reports one. */
  readonly position: number | undefined;
  /** Builds a SQL error for `sql`, optionally at `position`. */
  constructor(
    message: string,
    options: UserErrorOptions & { sql: string; position?: number | undefined },
  ) {
    super(message, options);
    this.name = "SqlError";
    this.hint = options.hint;
    this.sql = options.sql;
    this.position = options.position;
  }
}

/** The index stayed locked by another process through every retry. */
export class StoreLockedError extends Error {
  /** What to do about it. */
  readonly hint: string | undefined;
  /** Builds the error for the index at `path`. */
  constructor(path: string, options: UserErrorOptions = {}) {
    super(`Cannot open the index ${path}: another process holds it`, options);
    this.name = "StoreLockedError";
    this.hint = options.hint;
  }
}

/** Formats a position as `file:line:column` (the parts that are known). */
export function formatPosition(at: SourcePosition): string {
  let text = at.file;
  if (at.line !== undefined) text += `:${at.line}`;
  if (at.line !== undefined && at.column !== undefined) text += `:${at.column}`;
  return text;
}

/** The exit code for an error thrown out of a command. */
export function exitCodeOf(error: unknown): number {
  if (
    error instanceof UsageError || error instanceof ConfigError || error instanceof SqlError
  ) return EXIT.usage;
  return EXIT.trialFailed;
}
