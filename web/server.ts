/**
 * `xp serve` behind its command line: opens the store, builds the app, serves it with
 * `Deno.serve` until the signal stops it, and says where.
 *
 * @module
 */

import { UsageError } from "../lib/errors.ts";
import { openStore } from "../lib/store/duckdb_store.ts";
import { createApp } from "./app.ts";
import { storePoller } from "./live/store_poller.ts";

/** What {@linkcode serveViewer} needs. */
export interface ServeViewerOptions {
  /** The store directory (`.xp/`). */
  root: string;
  /** The address to bind. */
  hostname: string;
  /** The port; 0 picks a free one. */
  port: number;
  /** Required of every request when set. */
  token?: string | undefined;
  /** Stops the server. */
  signal: AbortSignal;
  /** Called once listening, with the URL to open (token included). */
  onListen(url: string): void;
  /** Told about notices of opening the store and internal errors. */
  log(line: string): void;
}

/**
 * Serves the viewer until `options.signal` is aborted.
 *
 * @throws {UsageError} when the port is taken or the address cannot be bound
 */
export async function serveViewer(options: ServeViewerOptions): Promise<void> {
  const store = await openStore(options.root);
  for (const notice of store.notices) options.log(notice);
  const stopping = new AbortController();
  const app = createApp({
    store,
    live: storePoller(store.layout, {
      onError: (error) => options.log(`live updates: ${messageOf(error)}`),
    }),
    token: options.token,
    signal: stopping.signal,
    onInternalError: (error) => options.log(`internal error: ${messageOf(error)}`),
  });
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.hostname,
      port: options.port,
      onListen: () => {},
    }, app.fetch);
  } catch (error) {
    throw bindError(error, options);
  }
  const stop = () => {
    // Event streams never end by themselves: end them so the shutdown can finish.
    stopping.abort();
    server.shutdown();
  };
  if (options.signal.aborted) stop();
  else options.signal.addEventListener("abort", stop, { once: true });
  const host = server.addr.hostname.includes(":")
    ? `[${server.addr.hostname}]`
    : server.addr.hostname;
  const query = options.token === undefined ? "" : `?token=${options.token}`;
  options.onListen(`http://${host}:${server.addr.port}/${query}`);
  await server.finished;
  await store.close();
}

function bindError(error: unknown, options: ServeViewerOptions): Error {
  if (error instanceof Deno.errors.AddrInUse) {
    return new UsageError(`Port ${options.port} on ${options.hostname} is already in use`, {
      cause: error,
      hint: `another xp serve may be running; pick another with --port ${
        options.port + 1
      } or --port 0 for any free port`,
    });
  }
  if (
    error instanceof Deno.errors.AddrNotAvailable || error instanceof Deno.errors.PermissionDenied
  ) {
    return new UsageError(
      `Cannot listen on ${options.hostname}:${options.port}: ${messageOf(error)}`,
      {
        cause: error,
        hint: "use --host 127.0.0.1, or a port above 1023",
      },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
