/**
 * What the pages share: the selected trials (kept in localStorage, so a reload or a second tab
 * keeps them), and a tiny event hub for "selection changed".
 */

const KEY = "xp.selection";
const listeners = new Set();

function load() {
  try {
    const keys = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(keys) ? keys.filter((k) => typeof k === "string") : [];
  } catch {
    return [];
  }
}

let selected = new Set(load());

function save() {
  localStorage.setItem(KEY, JSON.stringify([...selected]));
  for (const listener of listeners) listener(selected);
}

/** The selected trial keys, in selection order. */
export function selection() {
  return [...selected];
}

/** Whether `key` is selected. */
export function isSelected(key) {
  return selected.has(key);
}

/** Selects or unselects `keys`. */
export function setSelected(keys, on) {
  for (const key of keys) on ? selected.add(key) : selected.delete(key);
  save();
}

/** Replaces the selection. */
export function replaceSelection(keys) {
  selected = new Set(keys);
  save();
}

/** Calls `fn` whenever the selection changes; returns the function that stops it. */
export function onSelection(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Reads a preference (JSON) from localStorage. */
export function pref(name, fallback) {
  try {
    const value = localStorage.getItem(`xp.${name}`);
    return value === null ? fallback : JSON.parse(value);
  } catch {
    return fallback;
  }
}

/** Writes a preference. */
export function setPref(name, value) {
  localStorage.setItem(`xp.${name}`, JSON.stringify(value));
}
