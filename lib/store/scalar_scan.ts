/**
 * The fast path of ingest: a sticky regular expression recognises a scalar line in the exact
 * shape of ARCHITECTURE section 7 (`{"t":"scalar","name":"loss","value":0.25,"step":10,"time":1.5}`,
 * optionally with `,"context":{…}` last), and its fields are then found at known places, with no
 * object built and no match array allocated. V8 compiles the expression to machine code; with
 * the field reads this measured about half the CPU of `JSON.parse` per line. Any other line
 * (other key order, spaces, escapes in the name, a nested context, …) is left to the general
 * path, which validates it and gives the same answer for the lines both accept.
 *
 * @module
 */

import { MAX_NAME_LENGTH } from "../sdk/protocol.ts";

/** A JSON number, exactly as JSON's grammar has it (no leading zeros, no bare dot). */
const NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;

/** Where the name starts: after `{"t":"scalar","name":"`. */
const NAME_OFFSET = 22;

/**
 * The line, up to and including its newline. Names have no escapes and no control characters;
 * a context has no nested object, array or brace in a string (those go the general way).
 */
const SCALAR_LINE = new RegExp(
  String
    .raw`\{"t":"scalar","name":"[^"\\\x00-\x1f]{1,${MAX_NAME_LENGTH}}","value":(?:${NUMBER}|"NaN"|"Infinity"|"-Infinity"),"step":${NUMBER},"time":${NUMBER}(?:,"context":\{[^{}\[\]]*\})?\}\r?(?:\n|$)`,
  "y",
);

/** Scans scalar lines of one file's text; after a successful `scan`, its fields describe the line. */
export class ScalarLineScanner {
  readonly #text: string;
  readonly #pattern = new RegExp(SCALAR_LINE);
  /** Offset of the name's first character. */
  nameStart = 0;
  /** Offset after the name's last character. */
  nameEnd = 0;
  /** Offset of the context's `{`, or -1 when the line has none. */
  contextStart = -1;
  /** Offset after the context's `}`. */
  contextEnd = -1;
  /** The value (may be NaN or ±Infinity). */
  value = 0;
  /** The step (finite). */
  step = 0;
  /** The time (finite). */
  time = 0;
  /** Where the next line starts. */
  next = 0;

  /** Scans lines of `text`. */
  constructor(text: string) {
    this.#text = text;
  }

  /** Whether the line at `start` is a scalar line of that exact shape (then fills the fields). */
  scan(start: number): boolean {
    const text = this.#text;
    const pattern = this.#pattern;
    pattern.lastIndex = start;
    if (!pattern.test(text)) return false;
    // The expression vouched for the layout: each field ends at the next fixed token.
    const nameStart = start + NAME_OFFSET;
    const nameEnd = text.indexOf('"', nameStart);
    const valueStart = nameEnd + 10; // `","value":`
    const stepKey = text.indexOf(',"step":', valueStart);
    const timeKey = text.indexOf(',"time":', stepKey + 8);
    let timeEnd = timeKey + 8;
    while (isNumberChar(text.charCodeAt(timeEnd))) timeEnd++;
    const step = +text.slice(stepKey + 8, timeKey);
    const time = +text.slice(timeKey + 8, timeEnd);
    // A huge exponent reads as Infinity: not a valid step or time, so the general path warns.
    if (!Number.isFinite(step) || !Number.isFinite(time)) return false;
    this.value = text.charCodeAt(valueStart) === 0x22
      ? +text.slice(valueStart + 1, stepKey - 1)
      : +text.slice(valueStart, stepKey);
    this.nameStart = nameStart;
    this.nameEnd = nameEnd;
    if (text.charCodeAt(timeEnd) === 0x2c) {
      this.contextStart = timeEnd + 11; // `,"context":`
      this.contextEnd = text.indexOf("}", this.contextStart) + 1;
    } else {
      this.contextStart = -1;
      this.contextEnd = -1;
    }
    this.step = step;
    this.time = time;
    this.next = pattern.lastIndex;
    return true;
  }
}

/** Digits, sign, dot and exponent: the characters of a JSON number. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x65 ||
    c === 0x45;
}
