/**
 * Small DOM helpers shared by the pages: element building (text is always set as text, never as
 * HTML, so nothing from the store can inject markup), number formatting, and timing helpers.
 */

/**
 * Builds an element: `h("a", { href: "#/x", class: "y", onclick: fn }, "text", child)`.
 * Attributes starting with `on` become listeners; `null`/`undefined`/`false` children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      el.className = value;
    } else if (name === "style" && typeof value === "object") {
      Object.assign(el.style, value);
    } else if (name in el && typeof value !== "string") {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A number as people read it: integers whole, others to 4 significant digits. */
export function fmtNumber(value) {
  if (typeof value === "string") return value;
  if (typeof value !== "number") return "";
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) {
    return Math.abs(value) >= 1e6 ? value.toExponential(3) : String(value);
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** Any value in one table cell: numbers formatted, objects as JSON, null empty. */
export function fmtValue(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return fmtNumber(value);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Seconds as `1.2 s`, `3 m 04 s`, `2 h 05 m`. */
export function fmtDuration(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return "";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} m ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} m`;
}

/** An ISO time as local `YYYY-MM-DD HH:MM:SS`. */
export function fmtTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${
    p(d.getMinutes())
  }:${p(d.getSeconds())}`;
}

/** Bytes as `12 KB`, `3.4 MB`. */
export function fmtBytes(bytes) {
  if (typeof bytes !== "number" || bytes < 0) return "";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A status badge. */
export function statusBadge(state) {
  return h("span", { class: `status ${state ?? ""}` }, state ?? "?");
}

/** A trial's tags as `name=value` badges. */
export function tagBadges(tags) {
  return Object.entries(tags ?? {}).map(([name, value]) =>
    h("span", { class: "tag", title: `tags.${name} = ${value}` }, `${name}=${value}`)
  );
}

/** `fn` called at most once per `ms`, with the last arguments. */
export function throttle(fn, ms) {
  let timer;
  let lastArgs;
  return (...args) => {
    lastArgs = args;
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      fn(...lastArgs);
    }, ms);
  };
}

/** `fn` called `ms` after the last call. */
export function debounce(fn, ms) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

/**
 * Flattens nested objects to dotted paths: `{a: {b: 1}}` → `{"a.b": 1}`. NULL leaves are left
 * out: the index's params STRUCT has every path of the store, NULL where a trial has none.
 */
export function flatten(value, prefix = "", out = {}) {
  if (value === null || value === undefined) return out;
  if (typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix !== "") out[prefix] = value;
    for (const key of keys) flatten(value[key], prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix !== "") {
    out[prefix] = value;
  }
  return out;
}

/** An error box: the message, the source with a caret under `position`, and the hint. */
export function errorBox(error) {
  const [first, ...more] = String(error.message ?? error).split("\n");
  const box = h("div", { class: "error-box", role: "alert" }, first);
  // DuckDB lists candidates and the like after the first line: there on demand, not in the way.
  if (more.join("").trim() !== "") {
    box.append(h("details", {}, h("summary", {}, "details"), more.join("\n")));
  }
  if (typeof error.position === "number" && typeof error.sql === "string") {
    const { line, column } = lineAt(error.sql, error.position);
    box.append(h("span", { class: "caret" }, `${line}\n${" ".repeat(column)}^`));
  }
  if (error.hint) box.append(h("span", { class: "hint" }, `hint: ${error.hint}`));
  return box;
}

function lineAt(text, position) {
  const start = text.lastIndexOf("\n", Math.max(0, position - 1)) + 1;
  const endAt = text.indexOf("\n", position);
  const line = text.slice(start, endAt < 0 ? text.length : endAt);
  return { line, column: Math.max(0, position - start) };
}
