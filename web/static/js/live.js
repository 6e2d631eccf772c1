/**
 * One EventSource to `/api/events` for the whole app; pages subscribe to its events. It
 * reconnects by itself (the server sends `retry:`); the header's dot shows whether it is up.
 * The server says "ready" once it follows the store: a page that fetches data after that and
 * then applies events misses nothing in between.
 */

const listeners = new Set();
let source;
let ready = false;
let readyWaiters = [];

function connect() {
  source = new EventSource("/api/events");
  const dot = document.getElementById("live");
  source.onopen = () => {
    dot?.classList.add("on");
    dot?.setAttribute("title", "Live updates: connected");
  };
  source.onerror = () => {
    ready = false;
    dot?.classList.remove("on");
    dot?.setAttribute("title", "Live updates: reconnecting");
  };
  source.onmessage = (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (event.type === "ready") {
      ready = true;
      for (const resolve of readyWaiters) resolve();
      readyWaiters = [];
    }
    for (const listener of listeners) listener(event);
  };
}

/** Calls `fn` with every live event; returns the function that stops it. */
export function onLive(fn) {
  if (source === undefined) connect();
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Resolves once the event stream follows the store (or after `timeoutMs`, whichever is first). */
export function whenLive(timeoutMs = 2000) {
  if (source === undefined) connect();
  if (ready) return Promise.resolve();
  return new Promise((resolve) => {
    readyWaiters.push(resolve);
    setTimeout(resolve, timeoutMs);
  });
}
