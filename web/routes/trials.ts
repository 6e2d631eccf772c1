/**
 * `GET /api/trials` (a page of the trials table, `?filter=&sort=&limit=&offset=`, and
 * `&keys=k1,k2` for just those trials), `GET /api/trials/pending` (trials on disk that the index
 * does not have yet: running, or just finished) and
 * `GET /api/trials/:key` (one trial in detail).
 *
 * @module
 */

import { Hono } from "hono";
import { listTrials, pendingTrials } from "../data/trial_list.ts";
import { trialDetail } from "../data/trial_detail.ts";
import { parseKeys } from "../data/trial_key.ts";
import type { Viewer } from "../viewer.ts";
import { intParam } from "./_query_params.ts";

/** The trials routes, to mount at `/api/trials`. */
export function trialsRoutes(viewer: Viewer): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const keyList = c.req.query("keys");
    const query = {
      keys: keyList === undefined ? undefined : parseKeys(keyList, 10_000),
      filter: c.req.query("filter"),
      sort: c.req.query("sort"),
      limit: intParam("limit", c.req.query("limit"), { default: 100, min: 0, max: 10_000 }),
      offset: intParam("offset", c.req.query("offset"), { default: 0, min: 0, max: 1e9 }),
    };
    // Pending rows come from the trial directories: a new one makes a new answer.
    const key = `trials:${viewer.trialsStamp()}:${JSON.stringify(query)}`;
    const body = await viewer.json(key, () => listTrials(viewer, query));
    return c.body(body, 200, { "Content-Type": "application/json" });
  });
  // Before "/:key": the charts page asks for the running trials without paying for the table.
  app.get("/pending", async (c) => c.json({ pending: await pendingTrials(viewer) }));
  app.get("/:key", async (c) => c.json(await trialDetail(viewer, c.req.param("key"))));
  return app;
}
