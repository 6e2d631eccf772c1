/**
 * `xp serve`: the web viewer over the store: trials table, overlaid charts, compare, SQL console,
 * live updates. The server (Hono, DuckDB) is loaded only when the command runs.
 *
 * @module
 */

import { parseArgs } from "./args.ts";
import type { Command, Deps } from "./command.ts";
import { EXIT, UsageError } from "../errors.ts";
import { findStoreRoot } from "./_query_store.ts";

/** Parsed arguments of `xp serve`. */
export interface ServeArgs {
  /** The address to bind. */
  host: string;
  /** The port; 0 picks a free one. */
  port: number;
  /** Open a browser on the viewer. */
  open: boolean;
  /** The token every request must carry (generated for a non-loopback host when not given). */
  token: string | undefined;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** `xp serve`: starts the web viewer: trials table, overlaid charts, compare, SQL console, live updates. */
export const serveCommand: Command<ServeArgs> = {
  name: "serve",
  usage: "serve [options]",
  description: [
    "Starts the web viewer: trials table, overlaid charts, compare, SQL console, live updates.",
    "It listens on 127.0.0.1:8765 unless told otherwise, and runs until Ctrl-C. On an address",
    "other than loopback every request needs a token: one is generated unless --token gives it,",
    "and the printed URL carries it.",
  ].join("\n"),
  options: [
    { name: "host", kind: "string", value: "HOST", summary: "address to bind (default 127.0.0.1)" },
    {
      name: "port",
      kind: "integer",
      value: "PORT",
      summary: "port (default 8765; 0 picks a free one)",
    },
    { name: "open", kind: "boolean", summary: "open the viewer in a browser" },
    {
      name: "token",
      kind: "string",
      value: "TOKEN",
      summary: "require this token (default: generated when --host is not loopback)",
    },
  ],
  examples: [
    "xp serve",
    "xp serve --port 9000 --open",
    "xp serve --port 0                     # any free port; the URL is printed",
    "xp serve --host 0.0.0.0               # reachable from other machines, with a token",
  ],
  parse(argv) {
    const { options, positionals } = parseArgs(argv, this.options, { command: "xp serve" });
    if (positionals.length > 0) {
      throw new UsageError(`Unexpected argument "${positionals[0]}"`, {
        hint: "xp serve takes only options; give the store with --store DIR",
      });
    }
    const port = (options.get("port") as number | undefined) ?? 8765;
    if (port > 65535) {
      throw new UsageError(`Port ${port} is out of range`, { hint: "use 1-65535, or 0 for any" });
    }
    const token = options.get("token") as string | undefined;
    if (token !== undefined && !/^[A-Za-z0-9_-]{8,200}$/.test(token)) {
      throw new UsageError("The token must be 8 or more letters, digits, _ or -", {
        hint: "leave out --token to have one generated",
      });
    }
    return {
      host: (options.get("host") as string | undefined) ?? "127.0.0.1",
      port,
      open: options.has("open"),
      token,
    };
  },
  async run(args, deps) {
    const root = await findStoreRoot(deps);
    const token = args.token ?? (LOOPBACK.test(args.host) ? undefined : generateToken());
    const { serveViewer } = await import("../../web/server.ts");
    await serveViewer({
      root,
      hostname: args.host.replace(/^\[(.*)\]$/, "$1"),
      port: args.port,
      token,
      signal: deps.signal,
      onListen(url) {
        deps.output.out(`xp serve: ${root} at ${url}`);
        if (!deps.global.quiet) deps.output.err("Press Ctrl-C to stop.");
        if (args.open) openBrowser(url, deps);
      },
      log: (line) => deps.output.err(`xp serve: ${line}`),
    });
    return EXIT.ok;
  },
};

function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Opens `url` with xdg-open (or open on macOS) when there is one; says so when there is not. */
function openBrowser(url: string, deps: Pick<Deps, "output">): void {
  const opener = Deno.build.os === "darwin" ? "open" : "xdg-open";
  try {
    const child = new Deno.Command(opener, {
      args: [url],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    child.status.then((status) => {
      if (!status.success) deps.output.err(`xp serve: ${opener} failed; open ${url} yourself`);
    });
  } catch {
    deps.output.err(`xp serve: no ${opener} here; open ${url} in a browser`);
  }
}
