/**
 * `GET /api/events`: Server-Sent Events of what changes in the store (see `LiveEvent`), each a
 * JSON `data:` line with its `type`. `?keys=k1,k2` limits `scalars` events to those trials
 * (other events go to everyone). A comment every 15 s keeps proxies and dead peers honest; a
 * client that stops reading is dropped rather than buffered without end; every stream ends
 * when the server stops.
 *
 * @module
 */

import { Hono } from "hono";
import { parseKeys } from "../data/trial_key.ts";
import type { LiveEvent, LiveSource } from "../live/live_event.ts";

/** Options of {@linkcode eventsRoutes}. */
export interface EventsRoutesOptions {
  /** Aborted when the server stops. */
  signal?: AbortSignal | undefined;
  /** Time between keep-alive comments. @default {15000} */
  heartbeatMs?: number;
}

/** Events queued for a client that does not read before it is dropped. */
const MAX_QUEUED = 2000;

/** The events route, to mount at `/api/events`. */
export function eventsRoutes(live: LiveSource, options: EventsRoutesOptions = {}): Hono {
  const app = new Hono();
  app.get("/", (c) => {
    const keyList = c.req.query("keys");
    const keys = keyList ? new Set(parseKeys(keyList, 10_000)) : undefined;
    const encoder = new TextEncoder();
    let stop = (): void => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let closed = false;
        const send = (text: string): void => {
          if (closed) return;
          if ((controller.desiredSize ?? 0) < -MAX_QUEUED) return stop();
          controller.enqueue(encoder.encode(text));
        };
        const listener = (event: LiveEvent): void => {
          if (event.type === "scalars" && keys !== undefined && !keys.has(event.key)) return;
          send(`data: ${JSON.stringify(event)}\n\n`);
        };
        const heartbeat = setInterval(() => send(": ping\n\n"), options.heartbeatMs ?? 15_000);
        stop = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(heartbeat);
          options.signal?.removeEventListener("abort", stop);
          c.req.raw.signal.removeEventListener("abort", stop);
          try {
            controller.close();
          } catch {
            // Already cancelled by the client.
          }
        };
        // Reconnect after 2 s if the connection drops.
        send("retry: 2000\n\n");
        const unsubscribe = live.subscribe(listener);
        options.signal?.addEventListener("abort", stop);
        c.req.raw.signal.addEventListener("abort", stop);
        if (options.signal?.aborted) stop();
      },
      cancel() {
        stop();
      },
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        "X-Accel-Buffering": "no",
      },
    });
  });
  return app;
}
