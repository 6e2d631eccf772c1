/**
 * The viewer's pages and assets from `web/static/` (read through `import.meta.url`, so
 * `deno compile --include web` embeds them): `/` is the app, `/static/*` its files. Pages get a
 * strict CSP: scripts only from this origin, no inline script, no framing.
 *
 * @module
 */

import { Hono } from "hono";
import { extname } from "node:path";
import { safeSegments } from "./data/safe_path.ts";
import { HttpError } from "./http_error.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
};

/** Headers of the viewer's own pages and assets. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "default-src 'self'; script-src 'self'; " +
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

/** The static routes over the files in `dir` (a `file:` URL ending in `/`). */
export function staticRoutes(dir: URL): Hono {
  const app = new Hono();
  const serve = async (relative: readonly string[]): Promise<Response> => {
    const name = relative.join("/");
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(new URL(name, dir));
    } catch {
      throw new HttpError(404, `No file /static/${name}`);
    }
    const headers = new Headers(PAGE_SECURITY_HEADERS);
    headers.set("Content-Type", TYPES[extname(name)] ?? "text/plain; charset=utf-8");
    // Vendored files change only with xp itself; the app's own files may change while developing.
    headers.set("Cache-Control", relative[0] === "vendor" ? "max-age=86400" : "no-cache");
    return new Response(bytes as Uint8Array<ArrayBuffer>, { headers });
  };
  app.get("/", () => serve(["index.html"]));
  app.get("/static/*", (c) => {
    const raw = new URL(c.req.url).pathname.slice("/static/".length);
    return serve(safeSegments(raw));
  });
  return app;
}
