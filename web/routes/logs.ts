/**
 * `GET /api/trials/:key/logs/:stream` (`stdout` or `stderr`): the last bytes of the log, or
 * with `?offset=N` what was appended since, as JSON `{size, offset, text, next}`.
 *
 * @module
 */

import { Hono } from "hono";
import { trialDir, trialFile } from "../../lib/store/layout.ts";
import { readLogChunk } from "../data/log_chunk.ts";
import { checkKey } from "../data/trial_key.ts";
import { HttpError } from "../http_error.ts";
import type { Viewer } from "../viewer.ts";
import { intParam } from "./_query_params.ts";

/** The log routes, to mount at `/api/trials`. */
export function logsRoutes(viewer: Viewer): Hono {
  const app = new Hono();
  app.get("/:key/logs/:stream", async (c) => {
    const key = checkKey(c.req.param("key"));
    const stream = c.req.param("stream");
    if (stream !== "stdout" && stream !== "stderr") {
      throw new HttpError(404, `No log "${stream.slice(0, 40)}"`, {
        hint: "the logs are stdout and stderr",
      });
    }
    const offset = c.req.query("offset");
    const chunk = await readLogChunk(trialFile(trialDir(viewer.store.layout, key), stream), {
      offset: offset === undefined
        ? undefined
        : intParam("offset", offset, { default: 0, min: 0, max: Number.MAX_SAFE_INTEGER }),
      tail: intParam("tail", c.req.query("tail"), { default: 65536, min: 0, max: 1 << 24 }),
    });
    return c.json(chunk);
  });
  return app;
}
