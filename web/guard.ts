/**
 * Who may talk to the viewer. Bound to loopback, anyone on this machine may, but only through a
 * loopback `Host` (a web page elsewhere cannot reach it by DNS rebinding) and never by a
 * cross-site form post. Bound to another address, a token is required: given once as
 * `?token=…` (the URL `xp serve` prints), it is kept in an HttpOnly cookie and the address bar
 * is cleaned; a request with neither gets 401.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "node:crypto";
import { HttpError } from "./http_error.ts";

/** The cookie that carries the token after the first request. */
export const TOKEN_COOKIE = "xp_token";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Options of {@linkcode guard}. */
export interface GuardOptions {
  /** The token every request must carry; without one, only loopback Host headers are served. */
  token?: string | undefined;
}

/** The middleware that lets a request in or answers 401/403. */
export function guard(options: GuardOptions): MiddlewareHandler {
  const token = options.token;
  return async function guardRequest(c, next) {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") checkSameOrigin(c.req.raw);
    if (token === undefined) {
      // Every browser sends Host; a request built in-process (tests) has only its URL.
      const host = hostname(c.req.header("host") ?? new URL(c.req.url).host);
      if (!LOOPBACK_HOSTS.has(host)) {
        throw new HttpError(403, `Refused Host "${host.slice(0, 100)}"`, {
          hint: "open the viewer at http://127.0.0.1:PORT/, or start it with --token",
        });
      }
      return await next();
    }
    const url = new URL(c.req.url);
    const given = url.searchParams.get("token");
    if (given !== null && same(given, token)) {
      const cookie = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      if (c.req.method === "GET" && !url.pathname.startsWith("/api/")) {
        // Take the token out of the address bar and the history.
        url.searchParams.delete("token");
        return new Response(null, {
          status: 303,
          headers: { Location: url.pathname + url.search, "Set-Cookie": cookie },
        });
      }
      await next();
      c.res.headers.append("Set-Cookie", cookie);
      return;
    }
    const cookie = cookieValue(c.req.header("cookie") ?? "", TOKEN_COOKIE);
    if (cookie !== undefined && same(cookie, token)) return await next();
    throw new HttpError(401, "This viewer needs its token", {
      hint: "open the URL that xp serve printed (it ends in ?token=…)",
    });
  };
}

/** A state-changing request must come from the viewer's own pages, as JSON. */
function checkSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const host = request.headers.get("host") ?? new URL(request.url).host;
  if (origin !== null && origin !== "null") {
    let originHost = "";
    try {
      originHost = new URL(origin).host;
    } catch {
      // Treated as foreign below.
    }
    if (originHost !== host) throw new HttpError(403, "Refused a cross-origin request");
  } else if (origin === "null") {
    throw new HttpError(403, "Refused a cross-origin request");
  }
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new HttpError(415, "The body must be sent as application/json");
  }
}

function hostname(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  return host.replace(/:\d+$/, "").toLowerCase();
}

function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
