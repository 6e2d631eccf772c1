/**
 * The error a route throws to answer with a status: `onError` in `app.ts` turns it (and the
 * store's own errors) into `{"error": …, "hint"?: …}` JSON.
 *
 * @module
 */

/** Options of {@linkcode HttpError}. */
export interface HttpErrorOptions extends ErrorOptions {
  /** One line on what to do about it. */
  hint?: string;
}

/** A request that cannot be answered, with the HTTP status that says why. */
export class HttpError extends Error {
  /** The HTTP status (400, 401, 404, …). */
  readonly status: number;
  /** What to do about it. */
  readonly hint: string | undefined;
  /** Builds an error answered with `status`. */
  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options);
    this.name = "HttpError";
    this.status = status;
    this.hint = options.hint;
  }
}
