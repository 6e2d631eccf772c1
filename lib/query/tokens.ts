/**
 * Splits a `--filter` expression into SQL tokens, so that names can be rewritten without touching
 * strings, numbers or operators.
 *
 * @module
 */

import { SqlError } from "../errors.ts";

/** What a token is. */
export type TokenKind =
  /** a bare name: `lr`, `model`, `and` */
  | "word"
  /** a double-quoted name: `"val loss"` (text is the name, unescaped) */
  | "quoted"
  /** a single-quoted string literal, as written */
  | "string"
  /** a number literal, as written */
  | "number"
  /** `.` between the parts of a dotted name */
  | "dot"
  /** an operator or punctuation: `<=`, `(`, `,`, `::` */
  | "op"
  /** spaces, tabs, newlines */
  | "space";

/** One token and where it is in the expression. */
export interface Token {
  /** What it is. */
  kind: TokenKind;
  /** For `quoted`, the name without quotes; otherwise the text as written. */
  text: string;
  /** 0-based offset of its first character. */
  start: number;
  /** 0-based offset just after its last character. */
  end: number;
}

const OPERATORS = [
  "::",
  "<=",
  ">=",
  "<>",
  "!=",
  "==",
  "||",
  "->",
  "<",
  ">",
  "=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "(",
  ")",
  ",",
  "[",
  "]",
  "{",
  "}",
  ":",
  "^",
  "~",
  "!",
  "&",
  "|",
];

/**
 * The tokens of `expr`; whitespace is kept so the expression can be rebuilt as written.
 *
 * @throws {SqlError} on an unterminated string or name, a comment, `;` or a character SQL has no use for
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { tokenize } from "./tokens.ts";
 * const kinds = tokenize("lr < 0.1").filter((t) => t.kind !== "space").map((t) => t.kind);
 * assert.deepEqual(kinds, ["word", "op", "number"]);
 * ```
 */
export function tokenize(expr: string, what = "--filter"): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, at: number, hint?: string): never => {
    throw new SqlError(message, { sql: expr, position: at, ...(hint ? { hint } : {}) });
  };
  while (i < expr.length) {
    const start = i;
    const c = expr[i]!;
    if (/\s/.test(c)) {
      while (i < expr.length && /\s/.test(expr[i]!)) i++;
      tokens.push({ kind: "space", text: expr.slice(start, i), start, end: i });
    } else if (c === "'") {
      i = closing(expr, i, "'");
      if (i < 0) {
        fail(
          `Unterminated string in ${what}`,
          start,
          "close it with ' (write '' for a quote inside)",
        );
      }
      tokens.push({ kind: "string", text: expr.slice(start, i), start, end: i });
    } else if (c === '"') {
      i = closing(expr, i, '"');
      if (i < 0) {
        fail(
          `Unterminated quoted name in ${what}`,
          start,
          'close it with " (write "" for a quote inside)',
        );
      }
      const name = expr.slice(start + 1, i - 1).replaceAll('""', '"');
      tokens.push({ kind: "quoted", text: name, start, end: i });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < expr.length && /[A-Za-z0-9_$]/.test(expr[i]!)) i++;
      tokens.push({ kind: "word", text: expr.slice(start, i), start, end: i });
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(expr[i + 1] ?? ""))) {
      const match = /^(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(expr.slice(i))!;
      i += match[0].length;
      tokens.push({ kind: "number", text: match[0], start, end: i });
    } else if (c === ".") {
      i++;
      tokens.push({ kind: "dot", text: ".", start, end: i });
    } else if (c === ";") {
      fail(`${what} is one expression; ";" is not allowed`, start, "remove the ;");
    } else if (expr.startsWith("--", i) || expr.startsWith("/*", i)) {
      fail(`Comments are not allowed in ${what}`, start);
    } else {
      const op = OPERATORS.find((o) => expr.startsWith(o, i));
      if (op === undefined) fail(`Unexpected character "${c}" in ${what}`, start);
      i += op!.length;
      tokens.push({ kind: "op", text: op!, start, end: i });
    }
  }
  return tokens;
}

/** The offset just after the quote that closes the one at `open`, or -1; doubled quotes escape. */
function closing(text: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return -1;
}
