/**
 * `GET /api/trials/:key/files/*` (a file of the trial's directory: logs, config, `out/…`
 * artifacts; `?download=1` for an attachment) and `GET /api/blobs/:sha256` (a stored artifact,
 * image or figure by its hash). Paths cannot leave the trial's directory (see `safe_path.ts`)
 * and nothing is served in a way that runs script (see `file_response.ts`).
 *
 * @module
 */

import { Hono } from "hono";
import { join } from "node:path";
import { trialDir } from "../../lib/store/layout.ts";
import { fileResponse } from "../data/file_response.ts";
import { resolveInside, safeSegments } from "../data/safe_path.ts";
import { checkKey } from "../data/trial_key.ts";
import { HttpError } from "../http_error.ts";
import type { Viewer } from "../viewer.ts";

/** The trial file routes, to mount at `/api/trials`. */
export function filesRoutes(viewer: Viewer): Hono {
  const app = new Hono();
  app.get("/:key/files/*", async (c) => {
    const key = checkKey(c.req.param("key"));
    // The raw path, still percent-encoded: an encoded "/" or ".." must be seen as such.
    const raw = new URL(c.req.url).pathname;
    const marker = `/${key}/files/`;
    const at = raw.indexOf(marker);
    if (at < 0) throw new HttpError(400, "Malformed file URL");
    const segments = safeSegments(raw.slice(at + marker.length));
    if (segments[0] === "lock") throw new HttpError(404, "No file lock");
    const path = await resolveInside(trialDir(viewer.store.layout, key), segments);
    return await fileResponse(path, {
      name: segments.at(-1)!,
      download: c.req.query("download") !== undefined,
    });
  });
  return app;
}

/** The blob route, to mount at `/api/blobs`. */
export function blobsRoutes(viewer: Viewer): Hono {
  const app = new Hono();
  app.get("/:sha256", async (c) => {
    const sha256 = c.req.param("sha256");
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new HttpError(400, "Not a sha256", { hint: "64 lowercase hex digits" });
    }
    const dir = join(viewer.store.layout.blobs, sha256.slice(0, 2));
    const path = await resolveInside(dir, [sha256]);
    const name = c.req.query("name");
    return await fileResponse(path, {
      // Only a name for the browser to save it as: no path in it.
      name: name ? name.replace(/[/\\\0]/g, "_").slice(0, 200) : sha256,
      download: c.req.query("download") !== undefined,
      immutable: true,
    });
  });
  return app;
}
