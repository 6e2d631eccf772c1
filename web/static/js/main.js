/**
 * The viewer's entry: a hash router over the pages (`#/trials`, `#/trial/KEY`, `#/charts`,
 * `#/compare`, `#/sql`, `#/runs`), the selection chip and the live dot in the header. Each page
 * module exports `mount(view, { arg, params })` returning `{ unmount() }`.
 */

import { errorBox, replace } from "./dom.js";
import { onLive } from "./live.js";
import { onSelection, replaceSelection, selection } from "./state.js";

const PAGES = {
  trials: () => import("./pages/trials.js"),
  trial: () => import("./pages/trial.js"),
  charts: () => import("./pages/charts.js"),
  compare: () => import("./pages/compare.js"),
  sql: () => import("./pages/sql.js"),
  runs: () => import("./pages/runs.js"),
};

let current;
let generation = 0;

async function route() {
  const hash = location.hash.startsWith("#/") ? location.hash.slice(2) : "trials";
  const [path, query = ""] = hash.split("?");
  const [name, ...rest] = path.split("/");
  const page = PAGES[name] ? name : "trials";
  for (const tab of document.querySelectorAll(".tabs a")) {
    const active = tab.dataset.page === page || (page === "trial" && tab.dataset.page === "trials");
    tab.classList.toggle("active", active);
  }
  const mine = ++generation;
  current?.unmount?.();
  current = undefined;
  const view = document.getElementById("view");
  replace(view);
  try {
    const module = await PAGES[page]();
    if (mine !== generation) return;
    current = module.mount(view, {
      arg: decodeURIComponent(rest.join("/")),
      params: new URLSearchParams(query),
    });
  } catch (error) {
    replace(view, errorBox(error));
    throw error;
  }
}

function showSelection() {
  const keys = selection();
  const chip = document.getElementById("selection");
  chip.hidden = keys.length === 0;
  document.getElementById("selection-count").textContent = `${keys.length} selected`;
}

document.getElementById("selection-clear").addEventListener("click", () => replaceSelection([]));
onSelection(showSelection);
showSelection();
// Connect at once, so the stream follows the store before a page needs it.
onLive(() => {});
addEventListener("hashchange", route);
route();
