/**
 * Trial: one trial in full: status and error, tags, note and lineage, metrics, effective params
 * (swept ones marked, inherited ones tagged), config, dependencies, stdout/stderr (followed while
 * it runs), artifacts, and texts, images and figures with a step slider.
 */

import { getJson, isAbort } from "../api.js";
import {
  debounce,
  errorBox,
  flatten,
  fmtBytes,
  fmtDuration,
  fmtTime,
  fmtValue,
  h,
  replace,
  statusBadge,
  tagBadges,
} from "../dom.js";
import { plotlyToSvg } from "../figure.js";
import { onLive } from "../live.js";
import { isSelected, setSelected } from "../state.js";

/** Mounts the Trial page for the trial `arg` (its key). */
export function mount(view, { arg: key }) {
  const controller = new AbortController();
  const head = h("div");
  const cards = h("div", { class: "grid-2" });
  const logsCard = h("div", { class: "card", "data-test": "logs" });
  const mediaArea = h("div");
  const errorArea = h("div");
  replace(view, errorArea, head, cards, logsCard, mediaArea);
  const log = { stream: "stdout", next: 0, pre: undefined, running: false };
  let detail;

  async function load() {
    try {
      detail = await getJson(`/api/trials/${encodeURIComponent(key)}`, {}, {
        signal: controller.signal,
      });
    } catch (error) {
      if (!isAbort(error)) replace(errorArea, errorBox(error));
      return;
    }
    replace(errorArea);
    log.running = detail.status.state === "running" || detail.status.state === "queued";
    renderHead();
    renderCards();
    renderMedia();
    if (log.pre === undefined) renderLogs();
  }

  function renderHead() {
    const s = detail.status;
    const selectButton = h("button", {
      type: "button",
      onclick: () => {
        setSelected([key], !isSelected(key));
        renderHead();
      },
    }, isSelected(key) ? "Unselect" : "Select");
    replace(
      head,
      h(
        "div",
        { class: "trial-head" },
        h("h1", {}, detail.name),
        statusBadge(s.state),
        selectButton,
        h("a", { href: `#/charts?keys=${key}` }, "Chart its series"),
      ),
      h(
        "div",
        { class: "facts" },
        fact("experiment", detail.experiment),
        fact("stage", detail.stage),
        fact("key", h("span", { class: "mono" }, key)),
        fact("run", s.run_id),
        fact("attempt", s.attempt),
        fact("started", fmtTime(s.started_at)),
        fact("duration", fmtDuration(detail.duration_s)),
        s.exit_code !== null && s.exit_code !== undefined ? fact("exit code", s.exit_code) : null,
        s.signal ? fact("signal", s.signal) : null,
        detail.indexed ? null : fact("index", "not yet (read from its files)"),
      ),
      Object.keys(detail.tags ?? {}).length > 0
        ? h("div", { class: "tags", "data-test": "tags" }, tagBadges(detail.tags))
        : null,
      lineage(),
      detail.note ? h("div", { class: "note", "data-test": "note" }, detail.note) : null,
      s.error ? h("div", { class: "error-box", "data-test": "trial-error" }, s.error) : null,
    );
  }

  /** `forked from parent ← grandparent ← …`, each a link (a trial the store lacks is not). */
  function lineage() {
    if (!detail.lineage?.length) return null;
    const links = detail.lineage.flatMap((a, i) => [
      i === 0 ? null : h("span", { class: "muted" }, " ← "),
      a.stage === "?"
        ? h("span", { class: "mono", title: "not in this store" }, a.key.slice(0, 8))
        : h("a", { href: `#/trial/${a.key}`, title: `${a.stage}/${a.name} ${a.key}` }, a.name),
      a.stage === "?" ? null : h("span", { class: "muted mono" }, ` (${a.key.slice(0, 8)})`),
    ]);
    return h("div", { class: "lineage", "data-test": "lineage" }, "forked from ", links);
  }

  function renderCards() {
    const metrics = Object.entries(detail.metrics);
    const swept = new Set(Object.keys(flatten(detail.swept)));
    const own = flatten(detail.config);
    const effective = flatten(detail.effective_params);
    const meta = detail.meta ?? {};
    replace(
      cards,
      card(
        "Metrics",
        metrics.length === 0
          ? h("div", { class: "muted" }, "none logged")
          : kvTable(metrics.map(([k, v]) => [k, h("span", { class: "num" }, fmtValue(v))])),
      ),
      card(
        "Effective params",
        kvTable(
          Object.entries(effective).map(([k, v]) => [
            swept.has(k) ? h("b", { title: "swept" }, k) : k,
            [fmtValue(v), k in own ? null : h("span", { class: "muted" }, "  (from a dependency)")],
          ]),
        ),
        h(
          "details",
          {},
          h("summary", { class: "muted" }, "config.json"),
          h("pre", { class: "text" }, JSON.stringify(detail.config, null, 2)),
        ),
      ),
      card(
        "Series",
        detail.scalars.length === 0 ? h("div", { class: "muted" }, "no scalars logged") : h(
          "table",
          { class: "plain" },
          h(
            "tr",
            {},
            h("th", {}, "name"),
            h("th", { class: "num" }, "points"),
            h("th", { class: "num" }, "last"),
          ),
          detail.scalars.map((s) =>
            h(
              "tr",
              {},
              h("td", {}, s.context ? `${s.name} ${s.context}` : s.name),
              h("td", { class: "num" }, s.points),
              h("td", { class: "num" }, fmtValue(s.last)),
            )
          ),
        ),
      ),
      card(
        "Provenance",
        kvTable([
          [
            "dependencies",
            detail.deps.length === 0 ? "none" : detail.deps.map((d) =>
              h(
                "div",
                {},
                h("a", { href: `#/trial/${d.key}` }, `${d.stage}/${d.name}`),
                " ",
                statusBadge(d.status),
              )
            ),
          ],
          [
            "git",
            meta.git
              ? `${meta.git.commit ?? "?"}${meta.git.branch ? ` (${meta.git.branch})` : ""}${
                meta.git.dirty ? ", dirty" : ""
              }`
              : "",
          ],
          ["host", meta.host ?? ""],
          [
            "code digest",
            h("span", { class: "mono" }, String(meta.code_digest ?? "").slice(0, 16)),
          ],
          ["versions", Object.entries(meta.versions ?? {}).map(([k, v]) => `${k} ${v}`).join(", ")],
        ]),
      ),
    );
  }

  function renderLogs() {
    const pre = h("pre", { class: "log", "data-test": "log-text" });
    log.pre = pre;
    const tabs = h("span", { class: "seg" });
    const download = h("a", {});
    const show = (stream) => {
      log.stream = stream;
      log.next = 0;
      pre.textContent = "";
      for (const b of tabs.children) b.classList.toggle("on", b.dataset.stream === stream);
      download.href = `/api/trials/${key}/files/${stream}.log?download=1`;
      download.textContent = `download ${stream}.log`;
      fetchLog(true);
    };
    for (const stream of ["stdout", "stderr"]) {
      tabs.append(
        h("button", { type: "button", "data-stream": stream, onclick: () => show(stream) }, stream),
      );
    }
    replace(logsCard, h("header", {}, h("h2", {}, "Output"), tabs, download));
    logsCard.append(pre);
    show(detail.status.state === "failed" && detail.logs.stderr > 0 ? "stderr" : "stdout");
  }

  async function fetchLog(first) {
    const stream = log.stream;
    try {
      const chunk = await getJson(
        `/api/trials/${key}/logs/${stream}`,
        first ? { tail: 65536 } : { offset: log.next },
        { signal: controller.signal },
      );
      if (stream !== log.stream) return;
      const atBottom = log.pre.scrollTop + log.pre.clientHeight >= log.pre.scrollHeight - 4;
      if (first && chunk.text === "") log.pre.textContent = `(${stream} is empty)`;
      else if (chunk.text !== "") {
        if (log.pre.textContent.startsWith("(")) log.pre.textContent = "";
        log.pre.append(chunk.text);
      }
      log.next = chunk.next;
      if (atBottom) log.pre.scrollTop = log.pre.scrollHeight;
    } catch (error) {
      if (!isAbort(error)) log.pre.textContent = error.message;
    }
  }

  function renderMedia() {
    const texts = groupBy(detail.texts, (t) => t.name);
    const images = groupBy(detail.artifacts.filter((a) => a.kind === "image"), (a) => a.name);
    const figures = groupBy(detail.artifacts.filter((a) => a.kind === "figure"), (a) => a.name);
    const files = detail.artifacts.filter((a) => a.kind === "artifact");
    const blocks = [];
    if (files.length > 0) {
      blocks.push(card(
        "Artifacts",
        h(
          "table",
          { class: "plain" },
          h(
            "tr",
            {},
            h("th", {}, "name"),
            h("th", {}, "path"),
            h("th", {}, "type"),
            h("th", { class: "num" }, "size"),
            h("th", {}, ""),
          ),
          files.map((a) =>
            h(
              "tr",
              {},
              h("td", {}, a.name),
              h("td", { class: "mono" }, a.path ?? ""),
              h("td", { class: "muted" }, a.media_type ?? ""),
              h("td", { class: "num" }, fmtBytes(a.bytes)),
              h(
                "td",
                {},
                a.url
                  ? h(
                    "a",
                    { href: downloadUrl(a), download: a.path?.split("/").at(-1) ?? a.name },
                    "download",
                  )
                  : "",
              ),
            )
          ),
        ),
      ));
    }
    for (const [name, items] of texts) {
      blocks.push(stepper(`Text: ${name}`, items, (t) => h("pre", { class: "text" }, t.value)));
    }
    for (const [name, items] of images) {
      blocks.push(
        stepper(`Image: ${name}`, items, (a) =>
          h(
            "div",
            { class: "media" },
            a.url
              ? h("img", { src: a.url, alt: `${name} at step ${a.step ?? ""}`, loading: "lazy" })
              : h("span", { class: "muted" }, "not stored"),
          )),
      );
    }
    for (const [name, items] of figures) {
      blocks.push(stepper(`Figure: ${name}`, items, (a) => figureView(a)));
    }
    replace(mediaArea, h("div", { class: "grid-2" }, blocks));
  }

  const reload = debounce(load, 300);
  const stopLive = onLive((event) => {
    if (event.key !== key) return;
    if (event.type === "trial") reload();
    if (event.type === "log" && event.stream === log.stream && log.pre) fetchLog(false);
  });
  load();

  return {
    unmount() {
      controller.abort();
      reload.cancel();
      stopLive();
    },
  };
}

function fact(label, value) {
  if (value === undefined || value === null || value === "") return null;
  return h("span", {}, `${label} `, h("b", {}, value));
}

function card(title, ...content) {
  return h("section", { class: "card" }, h("h2", {}, title), content);
}

function kvTable(rows) {
  return h(
    "table",
    { class: "plain kv" },
    rows.map(([k, v]) => h("tr", {}, h("td", {}, k), h("td", {}, v))),
  );
}

function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const k = keyOf(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(item);
  }
  for (const list of groups.values()) list.sort((a, b) => (a.step ?? -1) - (b.step ?? -1));
  return groups;
}

function downloadUrl(artifact) {
  const name = artifact.path?.split("/").at(-1) ?? artifact.name;
  return artifact.url.startsWith("/api/blobs/")
    ? `${artifact.url}?download=1&name=${encodeURIComponent(name)}`
    : `${artifact.url}?download=1`;
}

/** A card showing one of `items` at a time, chosen by a step slider. */
function stepper(title, items, render) {
  const body = h("div");
  const label = h("span", { class: "muted mono" });
  const show = (i) => {
    const item = items[i];
    label.textContent = item.step === null || item.step === undefined
      ? `${i + 1} of ${items.length}`
      : `step ${item.step} (${i + 1} of ${items.length})`;
    replace(body, render(item));
  };
  const slider = h("input", {
    type: "range",
    min: 0,
    max: items.length - 1,
    value: items.length - 1,
    "aria-label": `${title} step`,
    oninput: (e) => show(Number(e.target.value)),
  });
  show(items.length - 1);
  return h(
    "section",
    { class: "card", "data-test": "media" },
    h("h2", {}, title),
    items.length > 1
      ? h("div", { class: "stepper" }, slider, label)
      : h("div", { class: "stepper" }, label),
    body,
  );
}

/** A figure: a Plotly spec drawn as SVG, or an SVG file shown as an image (so it runs no script). */
function figureView(artifact) {
  const box = h("div", { class: "figure" });
  if (artifact.spec !== undefined) {
    box.append(plotlyToSvg(artifact.spec));
  } else if (artifact.media_type === "application/json" && artifact.url) {
    box.append(h("span", { class: "muted" }, "loading…"));
    getJson(artifact.url).then((spec) => replace(box, plotlyToSvg(spec))).catch((error) =>
      replace(box, errorBox(error))
    );
  } else if (artifact.url) {
    box.append(h("img", { src: artifact.url, alt: artifact.name }));
  } else {
    box.append(h("span", { class: "muted" }, "not stored"));
  }
  return box;
}
