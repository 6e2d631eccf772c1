/**
 * `POST /api/sql` with `{"sql": "…"}`: read-only SQL on the index, answered as
 * `{"columns": [...], "types": [...], "rows": [[...]], "truncated": bool}` (at most `max_rows`,
 * 10,000 by default), or with `"format": "csv"` as a CSV download of up to 1,000,000 rows. Bad or
 * refused SQL is a 400 with DuckDB's message and the position in the statement.
 *
 * @module
 */

import { Hono } from "hono";
import { renderCsv } from "../../lib/query/format.ts";
import { runConsoleSql } from "../data/sql_console.ts";
import { HttpError } from "../http_error.ts";
import type { Viewer } from "../viewer.ts";

const MAX_CSV_ROWS = 1_000_000;

/** The SQL route, to mount at `/api/sql`. */
export function sqlRoutes(viewer: Viewer): Hono {
  const app = new Hono();
  app.post("/", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HttpError(400, "The body must be JSON", { hint: '{"sql": "select 1"}' });
    }
    const request = body as { sql?: unknown; format?: unknown; max_rows?: unknown };
    if (typeof request?.sql !== "string" || request.sql.trim() === "") {
      throw new HttpError(400, 'No "sql" in the body', { hint: '{"sql": "select 1"}' });
    }
    if (request.format === "csv") {
      const answer = await runConsoleSql(viewer, request.sql, MAX_CSV_ROWS);
      return c.body(renderCsv(answer.columns, answer.rows), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="query.csv"',
      });
    }
    const maxRows = typeof request.max_rows === "number" && Number.isInteger(request.max_rows)
      ? Math.min(Math.max(request.max_rows, 1), 100_000)
      : 10_000;
    return c.json(await runConsoleSql(viewer, request.sql, maxRows));
  });
  return app;
}
