/**
 * Reading numbers from a request's query string, with a 400 that names the parameter.
 *
 * @module
 */

import { HttpError } from "../http_error.ts";

/** Bounds and default of {@linkcode intParam}. */
export interface IntParamOptions {
  /** When the parameter is absent. */
  default: number;
  /** Smallest allowed. */
  min: number;
  /** Largest allowed. */
  max: number;
}

/**
 * The integer `value` of parameter `name`, or the default when absent.
 *
 * @throws {HttpError} 400 when it is not an integer within bounds
 */
export function intParam(
  name: string,
  value: string | undefined,
  options: IntParamOptions,
): number {
  if (value === undefined || value === "") return options.default;
  const n = Number(value);
  if (!Number.isInteger(n) || n < options.min || n > options.max) {
    throw new HttpError(400, `?${name}= must be an integer from ${options.min} to ${options.max}`, {
      hint: `got "${value.slice(0, 40)}"`,
    });
  }
  return n;
}

/**
 * The number `value` of parameter `name`, or `undefined` when absent.
 *
 * @throws {HttpError} 400 when it is not a finite number
 */
export function numberParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new HttpError(400, `?${name}= must be a number`, { hint: `got "${value.slice(0, 40)}"` });
  }
  return n;
}
