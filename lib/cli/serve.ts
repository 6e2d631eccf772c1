import { notBuilt } from "./_not_built.ts";

/** `xp serve`: starts the web viewer: trials table, overlaid charts, compare, SQL console, live updates. */
export const serveCommand = notBuilt({
  name: "serve",
  usage: "serve [options]",
  description:
    "Starts the web viewer: trials table, overlaid charts, compare, SQL console, live updates.",
  options: [
    { name: "host", kind: "string", value: "HOST", summary: "address to bind (default 127.0.0.1)" },
    { name: "port", kind: "integer", value: "PORT", summary: "port (default 8765)" },
    { name: "open", kind: "boolean", summary: "open the viewer in a browser" },
  ],
  examples: [
    "xp serve",
    "xp serve --port 9000 --open",
  ],
});
