/**
 * `GET /api/series?keys=k1,k2&name=loss` (downsampled to `?points=` per series, 2,000 by
 * default, min and max kept per bucket) and `&from=&to=` for a zoomed step range;
 * `GET /api/series/names?keys=k1,k2`: the series names those trials log.
 *
 * @module
 */

import { Hono } from "hono";
import { loadSeries, seriesNames } from "../data/series.ts";
import { parseKeys } from "../data/trial_key.ts";
import { HttpError } from "../http_error.ts";
import type { Viewer } from "../viewer.ts";
import { intParam, numberParam } from "./_query_params.ts";

/** Most trials in one request: the charts page overlays a selection, not the store. */
const MAX_KEYS = 200;

/** The series route, to mount at `/api/series`. */
export function seriesRoutes(viewer: Viewer): Hono {
  const app = new Hono();
  app.get("/", async (c) => {
    const keys = parseKeys(c.req.query("keys"), MAX_KEYS);
    const name = c.req.query("name") ?? "";
    if (name === "") throw new HttpError(400, "No series name", { hint: "add ?name=loss" });
    const query = {
      keys,
      name,
      from: numberParam("from", c.req.query("from")),
      to: numberParam("to", c.req.query("to")),
      maxPoints: intParam("points", c.req.query("points"), { default: 2000, min: 2, max: 100_000 }),
    };
    const indexed = await viewer.indexedKeys();
    if (!keys.every((k) => indexed.has(k))) {
      // A trial read from its files grows between requests: nothing to remember.
      return c.json({ name, series: await loadSeries(viewer, query) });
    }
    const body = await viewer.json(
      `series:${JSON.stringify(query)}`,
      async () => ({ name, series: await loadSeries(viewer, query) }),
    );
    return c.body(body, 200, { "Content-Type": "application/json" });
  });
  app.get("/names", async (c) => {
    const keys = parseKeys(c.req.query("keys"), MAX_KEYS);
    return c.json({ names: await seriesNames(viewer, keys) });
  });
  return app;
}
