/**
 * Talking to the xp API: JSON in, JSON out; an error answer becomes an `ApiError` carrying the
 * server's message, hint and (for SQL and filters) the position.
 */

/** An error answered by the API. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.hint = body?.hint;
    this.position = body?.position;
    this.sql = body?.sql;
  }
}

/** GETs `path` (with `params` as the query string) and returns the JSON answer. */
export async function getJson(path, params = {}, options = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") query.set(k, String(v));
  }
  const url = query.size > 0 ? `${path}?${query}` : path;
  const res = await fetch(url, { signal: options.signal, headers: { accept: "application/json" } });
  return await answer(res);
}

/** POSTs `body` as JSON to `path`; returns the JSON answer, or the Response when `raw`. */
export async function postJson(path, body, options = {}) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
    signal: options.signal,
  });
  if (options.raw && res.ok) return res;
  return await answer(res);
}

async function answer(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** Whether `error` is a fetch cut short on purpose. */
export function isAbort(error) {
  return error?.name === "AbortError";
}
