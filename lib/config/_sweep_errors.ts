/**
 * How sweep expansion reports a bad spec, shared by `sweep.ts` and `sweep_axis.ts`: errors
 * located under `sweep:` and short renderings of the values they quote.
 *
 * @module
 */

import { ConfigError } from "../errors.ts";
import type { Locate } from "./model.ts";

/** A path inside the sweep spec, without the leading `sweep`. */
export type Where = (string | number)[];

/** A {@linkcode ConfigError} located at `sweep` followed by `where`. */
export function fail(
  locate: Locate,
  where: Where,
  message: string,
  options: { hint?: string } = {},
): ConfigError {
  return new ConfigError(message, { at: locate(["sweep", ...where]), ...options });
}

/** A count for a message: `10,000,000`, or `1.00e+21` once it is too large to be exact. */
export function count(n: number): string {
  return Number.isSafeInteger(n) ? n.toLocaleString("en-US") : n.toPrecision(3);
}

/** Any value as a message quotes it: short JSON, or a word for what JSON cannot hold. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "nothing";
    case "function":
      return "a function";
    case "bigint":
      return `${value}n`;
    case "symbol":
      return "a symbol";
    case "number":
      return String(value);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
