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
import { checkKey, parseKeys } from "../data/trial_key.ts";
import { trialDir, trialFile } from "../../lib/store/layout.ts";
import { fileStamp } from "../live/dir_scan.ts";
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
  app.get("/:key", async (c) => {
    const key = checkKey(c.req.param("key"));
    if (!(await viewer.indexedKeys()).has(key)) return c.json(await trialDetail(viewer, key));
    // An indexed trial's detail changes with the index, or when a file in its directory is
    // replaced (a tag, a note: the directory's mtime) or rerun (a new status.json: its inode).
    const dir = trialDir(viewer.store.layout, key);
    const stamp = `${fileStamp(dir)}|${fileStamp(trialFile(dir, "status"))}`;
    const body = await viewer.json(`trial:${key}:${stamp}`, () => trialDetail(viewer, key));
    return c.body(body, 200, { "Content-Type": "application/json" });
  });
  return app;
}
