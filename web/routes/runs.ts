/**
 * `GET /api/runs` (the newest runs, with live progress for the running ones) and
 * `GET /api/runs/:id` (one run with its trials' outcomes).
 *
 * @module
 */

import { Hono } from "hono";
import { listRuns, runDetail } from "../data/runs.ts";
import type { Viewer } from "../viewer.ts";
import { intParam } from "./_query_params.ts";

/** The runs routes, to mount at `/api/runs`. */
export function runsRoutes(viewer: Viewer): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const limit = intParam("limit", c.req.query("limit"), { default: 100, min: 1, max: 10_000 });
    return c.json({ runs: await listRuns(viewer, limit) });
  });
  app.get("/:id", async (c) => c.json(await runDetail(viewer, c.req.param("id"))));
  return app;
}
