/**
 * SQL: a console over the index (read-only: the server refuses writes). Ctrl+Enter runs; the
 * result is a table (at most 10,000 rows shown), an error is shown with a caret under its
 * position, and "Download CSV" fetches the whole result as a file.
 */

import { isAbort, postJson } from "../api.js";
import { errorBox, fmtValue, h, replace } from "../dom.js";
import { pref, setPref } from "../state.js";

const EXAMPLES = [
  "select name, params.lr, metrics.accuracy from trials order by metrics.accuracy desc limit 10",
  "select key, name, max(value) as max_loss from scalars where name = 'loss' group by key, name",
  "select status, count(*) from trials group by status",
  "select run_id, started_at, status, counts from runs order by started_at desc",
];

/** Mounts the SQL page. */
export function mount(view) {
  let controller = new AbortController();
  const editor = h("textarea", {
    class: "sql-editor",
    spellcheck: false,
    "aria-label": "SQL",
    onkeydown: (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      }
    },
  });
  editor.value = pref("sql.text", EXAMPLES[0]);
  const runButton = h("button", { type: "button", class: "primary", onclick: run }, "Run");
  const csvButton = h("button", { type: "button", onclick: downloadCsv }, "Download CSV");
  const examples = h(
    "select",
    {
      "aria-label": "Examples",
      onchange: (e) => {
        if (e.target.value !== "") editor.value = e.target.value;
        e.target.value = "";
      },
    },
    h("option", { value: "" }, "Examples…"),
    EXAMPLES.map((sql) =>
      h("option", { value: sql }, sql.length > 70 ? `${sql.slice(0, 70)}…` : sql)
    ),
  );
  const status = h("span", { class: "muted", "data-test": "sql-status" });
  const errorArea = h("div");
  const result = h("div", { class: "sql-result", hidden: true });
  replace(
    view,
    h(
      "div",
      { class: "card" },
      editor,
      h(
        "div",
        { class: "toolbar", style: { marginTop: "8px", marginBottom: "0" } },
        runButton,
        csvButton,
        examples,
        status,
        h(
          "span",
          { class: "muted", style: { marginLeft: "auto" } },
          "views: trials, results, params, metrics, scalars, texts, artifacts, runs, deps · Ctrl+Enter runs",
        ),
      ),
    ),
    errorArea,
    result,
  );

  async function run() {
    const sql = editor.value;
    setPref("sql.text", sql);
    controller.abort();
    controller = new AbortController();
    status.textContent = "running…";
    const started = performance.now();
    try {
      const answer = await postJson("/api/sql", { sql }, { signal: controller.signal });
      const ms = Math.round(performance.now() - started);
      status.textContent = `${answer.rows.length.toLocaleString("en-US")} row${
        answer.rows.length === 1 ? "" : "s"
      }${answer.truncated ? " (first 10,000; download CSV for all)" : ""} in ${ms} ms`;
      replace(errorArea);
      renderTable(answer);
    } catch (error) {
      if (isAbort(error)) return;
      status.textContent = "";
      result.hidden = true;
      replace(errorArea, errorBox(error));
    }
  }

  function renderTable(answer) {
    result.hidden = false;
    replace(
      result,
      h(
        "table",
        { class: "plain", "data-test": "sql-table" },
        h("tr", {}, answer.columns.map((c, i) => h("th", { title: answer.types[i] }, c))),
        answer.rows.map((row) =>
          h(
            "tr",
            {},
            row.map((v) =>
              h(
                "td",
                { class: typeof v === "number" ? "num" : "", title: fmtValue(v) },
                v === null ? h("span", { class: "muted" }, "NULL") : fmtValue(v),
              )
            ),
          )
        ),
      ),
    );
  }

  async function downloadCsv() {
    try {
      const res = await postJson("/api/sql", { sql: editor.value, format: "csv" }, { raw: true });
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = h("a", { href: url, download: "query.csv" });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      replace(errorArea, errorBox(error));
    }
  }

  editor.focus();
  return { unmount: () => controller.abort() };
}
