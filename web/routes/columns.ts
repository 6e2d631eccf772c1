/**
 * `GET /api/columns`: the names the trials table can show and a filter can use: param paths,
 * metric names, and the trial columns.
 *
 * @module
 */

import { Hono } from "hono";
import { nameSchema } from "../data/trial_list.ts";
import type { Viewer } from "../viewer.ts";

/** The columns route, to mount at `/api/columns`. */
export function columnsRoutes(viewer: Viewer): Hono {
  const app = new Hono();
  app.get("/", async (c) =>
    c.body(await viewer.json("columns", () => nameSchema(viewer)), 200, {
      "Content-Type": "application/json",
    }));
  return app;
}
