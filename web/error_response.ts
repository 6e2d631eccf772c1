/**
 * The one place errors become responses: each error class maps to a status, like MLflow's table,
 * and the body is always `{"error": message, "hint"?: …}` (plus `position` and `sql` for SQL).
 *
 * @module
 */

import { ConfigError, SqlError, StoreLockedError, UsageError } from "../lib/errors.ts";
import { HttpError } from "./http_error.ts";

/** The JSON body of an error response. */
export interface ErrorBody {
  /** What went wrong, in one line (DuckDB's message for SQL). */
  error: string;
  /** What to do about it. */
  hint?: string;
  /** For SQL: the 0-based offset of the problem in `sql`. */
  position?: number;
  /** For SQL: the statement or filter the position points into. */
  sql?: string;
}

/** The status and body that answer `error`. */
export function errorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    return { status: error.status, body: withHint({ error: error.message }, error.hint) };
  }
  if (error instanceof SqlError) {
    const body: ErrorBody = withHint({ error: stripExcerpt(error.message) }, error.hint);
    if (error.position !== undefined) body.position = error.position;
    body.sql = error.sql;
    return { status: 400, body };
  }
  if (error instanceof UsageError || error instanceof ConfigError) {
    return { status: 400, body: withHint({ error: error.message }, error.hint) };
  }
  if (error instanceof StoreLockedError) {
    return { status: 503, body: withHint({ error: error.message }, error.hint) };
  }
  if (error instanceof Deno.errors.NotFound) {
    return { status: 404, body: { error: "Not found" } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: { error: message, hint: "see the xp serve terminal for details" },
  };
}

function withHint(body: ErrorBody, hint: string | undefined): ErrorBody {
  if (hint !== undefined) body.hint = hint;
  return body;
}

/** DuckDB's `LINE n: …` excerpt is for terminals; the viewer draws its own caret. */
function stripExcerpt(message: string): string {
  return message.replace(/\n\s*LINE \d+:[\s\S]*$/, "").trim();
}
