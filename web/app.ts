/**
 * The viewer as a Hono app: `createApp(deps)` builds it from what it needs (the store, a source
 * of live events, options) with nothing kept at module level, so tests call
 * `createApp(deps).request("/api/trials")` without a port, and `xp serve` hands the same app to
 * `Deno.serve`. Routes live one resource a file in `routes/`; errors become JSON in `onError`.
 *
 * @module
 */

import { Hono } from "hono";
import { errorResponse } from "./error_response.ts";
import { guard } from "./guard.ts";
import type { LiveSource } from "./live/live_event.ts";
import { blobsRoutes, filesRoutes } from "./routes/files.ts";
import { columnsRoutes } from "./routes/columns.ts";
import { eventsRoutes } from "./routes/events.ts";
import { logsRoutes } from "./routes/logs.ts";
import { runsRoutes } from "./routes/runs.ts";
import { seriesRoutes } from "./routes/series.ts";
import { sqlRoutes } from "./routes/sql.ts";
import { trialsRoutes } from "./routes/trials.ts";
import { staticRoutes } from "./static_routes.ts";
import { createViewer, type ViewerStore } from "./viewer.ts";

/** What the viewer needs. */
export interface AppDeps {
  /** The store: its files, and read-only SQL over its index (opened per query). */
  store: ViewerStore;
  /** Live events for `GET /api/events`; `storePoller(layout)` in production. */
  live: LiveSource;
  /** Required of every request when set (see `guard.ts`). */
  token?: string | undefined;
  /** Aborted when the server stops: event streams end. */
  signal?: AbortSignal | undefined;
  /** Where the pages are. @default {web/static/ beside this module} */
  staticDir?: URL;
  /** Told about errors that became a 500 (for the server's log). */
  onInternalError?: (error: unknown) => void;
}

/**
 * The viewer app over `deps.store`.
 *
 * @example Usage
 * ```ts ignore
 * const app = createApp({ store, live: storePoller(store.layout) });
 * const res = await app.request("/api/trials?sort=-accuracy&limit=10");
 * ```
 */
export function createApp(deps: AppDeps): Hono {
  const viewer = createViewer(deps.store);
  const app = new Hono();
  app.use(guard({ token: deps.token }));
  app.route("/api/trials", trialsRoutes(viewer));
  app.route("/api/trials", filesRoutes(viewer));
  app.route("/api/trials", logsRoutes(viewer));
  app.route("/api/blobs", blobsRoutes(viewer));
  app.route("/api/series", seriesRoutes(viewer));
  app.route("/api/columns", columnsRoutes(viewer));
  app.route("/api/runs", runsRoutes(viewer));
  app.route("/api/sql", sqlRoutes(viewer));
  app.route("/api/events", eventsRoutes(deps.live, { signal: deps.signal }));
  app.route("/", staticRoutes(deps.staticDir ?? new URL("./static/", import.meta.url)));
  app.notFound((c) =>
    c.json({ error: `No route ${c.req.method} ${c.req.path}`, hint: "the API is under /api/" }, 404)
  );
  app.onError((error, c) => {
    const { status, body } = errorResponse(error);
    if (status >= 500) deps.onInternalError?.(error);
    return c.json(body, status as 400);
  });
  return app;
}
