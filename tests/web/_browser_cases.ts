/**
 * The viewer in a real browser: Debian's Chromium driven by playwright-core against
 * `xp serve --port 0` on a fixture store. Each page is loaded, its controls are used, what it
 * shows is checked, the console must stay free of errors, and a screenshot of each page is
 * saved (the path is printed). The last test runs `xp run` while the Charts page is open and
 * waits for the new points to be drawn.
 *
 * Run by `browser_test.ts` in a `deno test -A` of its own: playwright-core reads /proc paths at
 * import that Deno grants only with --allow-all, which the project's test command does not give.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { generateFixtures } from "../../scripts/gen_fixtures.ts";
import { MAIN, withTempDir } from "../_helpers.ts";
import { KEYS, writeFixtureStore } from "./_fixture.ts";
import { startServe } from "./_serve.ts";

// The callbacks given to page.evaluate and page.waitForFunction run in Chromium, not in Deno.
// Declared here rather than with lib "dom", which would leak into every file type-checked with
// this one.
// deno-lint-ignore no-explicit-any
declare const document: any;

/** The browser: Debian's package (installed by .ci/run). */
export const CHROMIUM = "/usr/bin/chromium";
const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** Trials from the generator beside the hand-written ones: enough to need scrolling. */
const GENERATED = 300;

/** Where screenshots go: one stable directory, overwritten by each run. */
const SCREENSHOTS = join(Deno.env.get("TMPDIR") ?? "/tmp", "xp-web-screenshots");

interface Session {
  page: Page;
  origin: string;
  root: string;
  dir: string;
  /** Console errors and page errors since the last check. */
  errors: string[];
}

/** Runs `fn` with a browser page on `xp serve` over a fixture store. */
async function withViewer(fn: (session: Session) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const root = join(dir, ".xp");
    await writeFixtureStore(root);
    await generateFixtures(root, GENERATED, { steps: 50 });
    const served = await startServe(root);
    const profile = await Deno.makeTempDir({ prefix: "xp_chromium_" });
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: LAUNCH_ARGS,
        viewport: { width: 1400, height: 900 },
        acceptDownloads: true,
      });
      const page = context.pages()[0] ?? await context.newPage();
      page.setDefaultTimeout(20_000);
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
      await fn({ page, origin: served.origin, root, dir, errors });
    } finally {
      await context?.close();
      const stopped = await served.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      await Deno.remove(profile, { recursive: true });
    }
  });
}

/** Fails on console errors, except failed loads answered with an expected status. */
function assertNoErrors(session: Session, allowStatus: number[] = []): void {
  const unexpected = session.errors.filter((e) =>
    !allowStatus.some((s) => e.includes(`status of ${s}`))
  );
  session.errors.length = 0;
  assert.deepEqual(unexpected, []);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: name === "trial" });
}

async function countText(page: Page): Promise<string> {
  return (await page.textContent("[data-test=count]")) ?? "";
}

Deno.test({
  name: "the viewer's pages work in Chromium",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withViewer(async (session) => {
      const { page, origin } = session;
      const total = GENERATED + 3;

      await t.step(
        "Trials: rows, virtual scroll, sort, filter, errors, columns, select",
        async () => {
          await page.goto(`${origin}/#/trials`);
          await page.waitForSelector(".grid-row[data-key]");
          assert.equal(await countText(page), `${total} trials · 1 running`);
          const rendered = await page.locator(".grid-row").count();
          assert.ok(rendered < 100, `only the rows in view exist (${rendered})`);
          assert.equal(await page.locator("text=Not indexed yet (1)").count(), 1);

          await page.locator(".grid-body").evaluate((el) => (el.scrollTop = el.scrollHeight));
          await page.waitForSelector(`.grid-row[data-index="${total - 1}"][data-key]`);

          await page.click(".grid-head >> text=name");
          await page.waitForFunction(() =>
            document.querySelector('.grid-row[data-index="0"] a')?.textContent === "lr=0.001"
          );

          await page.fill("input[aria-label=Filter]", "lr < 0.001 and status = 'ok'");
          await page.keyboard.press("Enter");
          await page.waitForFunction((n) => {
            const text = document.querySelector("[data-test=count]")?.textContent ?? "";
            return text !== "" && !text.startsWith(`${n} `);
          }, total);
          assert.match(await countText(page), /^\d+ trials?$/);

          await page.fill("input[aria-label=Filter]", "lr <<< 1");
          await page.keyboard.press("Enter");
          await page.waitForSelector(".error-box");
          assert.match((await page.textContent(".error-box .caret")) ?? "", /lr <<< 1\n\s+\^/);
          assertNoErrors(session, [400]);

          await page.fill("input[aria-label=Filter]", "experiment = 'demo'");
          await page.keyboard.press("Enter");
          await page.waitForFunction(() =>
            document.querySelector("[data-test=count]")?.textContent === "3 trials"
          );
          assert.equal(await page.locator(".error-box").count(), 0);

          await page.click("text=Columns");
          await page.fill(".column-panel input[type=search]", "accuracy");
          await page.check(".column-panel label:has-text('accuracy') input");
          await page.waitForSelector(".grid-head >> text=accuracy");
          await page.click("text=Columns");

          for (const key of [KEYS.a, KEYS.b]) {
            await page.click(`.grid-row[data-key="${key}"] input[type=checkbox]`);
          }
          await page.waitForFunction(() =>
            document.getElementById("selection-count")?.textContent === "2 selected"
          );
          assert.equal(await page.textContent("text=Compare 2"), "Compare 2");
          await screenshot(page, "trials");
          assertNoErrors(session);
        },
      );

      await t.step(
        "Trials: tags as badges and columns, a tag in the filter, parent links",
        async () => {
          const demo = encodeURIComponent("experiment = 'demo'");
          await page.goto(`${origin}/#/trials?filter=${demo}`);
          await page.waitForFunction(() =>
            document.querySelector("[data-test=count]")?.textContent === "3 trials"
          );
          await page.click("text=Columns");
          assert.equal(await page.locator(".column-panel h3:has-text('Tags')").count(), 1);
          for (const name of ["tags", "tags.best", "parent"]) {
            await page.check(`.column-panel label[data-name="${name}"] input`);
          }
          await page.click("text=Columns");
          await page.waitForSelector(".grid-head >> text=best");
          const a = page.locator(`.grid-row[data-key="${KEYS.a}"]`);
          assert.deepEqual(await a.locator(".tag").allTextContents(), ["best=yes", "paper=fig 3"]);
          assert.equal(
            await page.locator(`.grid-row[data-key="${KEYS.failed}"] a[href="#/trial/${KEYS.b}"]`)
              .textContent(),
            KEYS.b.slice(0, 8),
          );
          await screenshot(page, "trials_tags");

          await page.fill("input[aria-label=Filter]", "tags.best = 'yes'");
          await page.keyboard.press("Enter");
          await page.waitForFunction(() =>
            document.querySelector("[data-test=count]")?.textContent === "1 trial"
          );
          assert.equal(await page.locator(`.grid-row[data-key="${KEYS.a}"]`).count(), 1);
          await page.click(".grid-head >> text=best");
          await page.waitForFunction(() => location.hash.includes("sort=tags.best"));
          assertNoErrors(session);
        },
      );

      await t.step("Trial: tags, note and lineage with links to the ancestors", async () => {
        await page.goto(`${origin}/#/trial/${KEYS.a}`);
        await page.waitForSelector("[data-test=note]");
        assert.equal(await page.textContent("[data-test=note]"), "the baseline\nkeep it");
        assert.deepEqual(await page.locator("[data-test=tags] .tag").allTextContents(), [
          "best=yes",
          "paper=fig 3",
        ]);
        assert.equal(await page.locator("[data-test=lineage]").count(), 0);
        await page.goto(`${origin}/#/trial/${KEYS.failed}`);
        await page.waitForSelector("[data-test=lineage]");
        assert.deepEqual(await page.locator("[data-test=lineage] a").allTextContents(), [
          "lr=0.01",
          "lr=0.1",
        ]);
        await screenshot(page, "trial_lineage");
        await page.click("[data-test=lineage] a:has-text('lr=0.01')");
        await page.waitForSelector(".trial-head h1:has-text('lr=0.01')");
        await page.waitForSelector(`[data-test=lineage] a[href="#/trial/${KEYS.a}"]`);
        assertNoErrors(session);
      });

      await t.step("Trial: metrics, params, logs, texts with a step slider, media", async () => {
        await page.goto(`${origin}/#/trial/${KEYS.a}`);
        await page.waitForSelector(".trial-head h1:has-text('lr=0.1')");
        await page.waitForSelector("[data-test=log-text]:has-text('hello from a')");
        assert.ok(await page.locator("td:has-text('accuracy')").count() > 0);
        const text = page.locator("section:has(h2:has-text('Text: sample'))");
        assert.equal(await text.locator("pre").textContent(), "second text");
        await text.locator("input[type=range]").fill("0");
        assert.equal(await text.locator("pre").textContent(), "first text");
        await page.waitForFunction(() => {
          const img = document.querySelector("section:has(h2) .media img");
          return img !== null && img.complete && img.naturalWidth === 1;
        });
        assert.ok(
          await page.locator("section:has(h2:has-text('Figure: roc')) svg path").count() > 0,
        );
        assert.equal(
          await page.locator("section:has(h2:has-text('Figure: drawing')) img").count(),
          1,
          "an SVG figure is an <img>, so its script cannot run",
        );
        assert.equal(await page.locator("a:has-text('download')").count() >= 2, true);
        await screenshot(page, "trial");
        await page.goto(`${origin}/#/trial/${KEYS.failed}`);
        await page.waitForSelector("[data-test=trial-error]:has-text('ValueError')");
        await page.waitForSelector("[data-test=log-text]:has-text('Traceback')");
        assertNoErrors(session);
      });

      await t.step("Charts: overlaid series, legend by params, log, smoothing, zoom", async () => {
        await page.goto(`${origin}/#/charts`);
        await page.waitForSelector("body[data-charts-ready]");
        const chart = page.locator('[data-chart="loss"]');
        await chart.waitFor();
        const legend = (await chart.locator(".u-legend").textContent()) ?? "";
        assert.match(legend, /lr=0\.1, depth=2/);
        assert.match(legend, /lr=0\.01, depth=4 \{"subset":"val"\}/);
        const before = Number(await chart.getAttribute("data-points"));
        assert.ok(before > 1000 && before <= 2000 + 30, `${before} points drawn`);
        assert.match((await chart.locator(".chart-note").textContent()) ?? "", /downsampled/);

        // Drag over a narrow step range: refetched at full resolution.
        const over = chart.locator(".u-over");
        const box = (await over.boundingBox())!;
        await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
        await page.mouse.up();
        await page.waitForFunction(() =>
          document.querySelector('[data-chart="loss"] .chart-note')?.textContent?.includes("zoomed")
        );
        await page.waitForFunction((n) => {
          const el = document.querySelector('[data-chart="loss"]');
          return el !== null && Number(el.dataset.points) !== n;
        }, before);
        await over.dblclick();
        await page.waitForFunction(() =>
          !document.querySelector('[data-chart="loss"] .chart-note')?.textContent?.includes(
            "zoomed",
          )
        );

        await page.check("label:has-text('log y') input");
        await page.locator("input[aria-label=smoothing]").fill("0.6");
        await page.selectOption("select[aria-label='x axis']", "relative");
        await page.waitForSelector('[data-chart="loss"] .uplot');
        await screenshot(page, "charts");
        await page.selectOption("select[aria-label='x axis']", "step");
        await page.uncheck("label:has-text('log y') input");
        await page.locator("input[aria-label=smoothing]").fill("0");
        assertNoErrors(session);
      });

      await t.step("Compare: side by side, differences highlighted", async () => {
        await page.goto(`${origin}/#/compare`);
        await page.waitForSelector("[data-test=compare]");
        assert.equal(await page.locator("[data-test=compare] th a").count(), 2);
        assert.equal(await page.locator('tr.diff[data-row="lr"]').count(), 1);
        assert.equal(await page.locator('tr.diff[data-row="model.depth"]').count(), 1);
        assert.equal(await page.locator('tr[data-row="stage"]:not(.diff)').count(), 1);
        await page.check("label:has-text('only differences') input");
        assert.equal(await page.locator('tr[data-row="lr"]').count(), 1);
        await screenshot(page, "compare");
        assertNoErrors(session);
      });

      await t.step("SQL: run, error with position, CSV download", async () => {
        await page.goto(`${origin}/#/sql`);
        await page.fill(
          "textarea[aria-label=SQL]",
          "select name, params.lr from trials where experiment = 'demo' order by params.lr",
        );
        await page.click("button:has-text('Run')");
        await page.waitForSelector("[data-test=sql-table]");
        assert.equal(await page.locator("[data-test=sql-table] tr").count(), 4);
        assert.match((await page.textContent("[data-test=sql-status]")) ?? "", /^3 rows/);
        await screenshot(page, "sql");
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.click("button:has-text('Download CSV')"),
        ]);
        const csv = await Deno.readTextFile((await download.path())!);
        assert.equal(csv, "name,lr\nlr=0.001,0.001\nlr=0.01,0.01\nlr=0.1,0.1\n");

        await page.fill("textarea[aria-label=SQL]", "select nme from trials");
        await page.keyboard.press("Control+Enter");
        await page.waitForSelector(".error-box");
        assert.match((await page.textContent(".error-box")) ?? "", /nme/);
        assert.match(
          (await page.textContent(".error-box .caret")) ?? "",
          /select nme from trials\n {7}\^/,
        );
        await page.fill("textarea[aria-label=SQL]", "create table x (a int)");
        await page.click("button:has-text('Run')");
        await page.waitForSelector(".error-box:has-text('read-only')");
        await screenshot(page, "sql_error");
        assertNoErrors(session, [400]);
      });

      await t.step("Runs: history, progress of the running run, a run's trials", async () => {
        await page.goto(`${origin}/#/runs`);
        await page.waitForSelector("[data-test=runs]");
        assert.equal(await page.locator("[data-test=runs] tr[data-run]").count(), 3);
        assert.equal(await page.textContent("[data-test=progress]"), "0/2");
        await page.click('tr[data-run="20260101T000000000Z-aaaa"]');
        await page.waitForSelector("tr.run-detail a:has-text('aaaa')");
        await screenshot(page, "runs");
        assertNoErrors(session);
      });
    });
    Deno.stderr.writeSync(new TextEncoder().encode(`screenshots: ${SCREENSHOTS}\n`));
  },
});

Deno.test({
  name: "the Charts page draws the points of an `xp run` as they arrive",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withViewer(async (session) => {
      const { page, origin, dir } = session;
      // The experiment sits beside the store, so `xp run` uses that store (.xp/ beside the file).
      const experiment = dir;
      await Deno.writeTextFile(
        join(experiment, "xp.yaml"),
        "name: live\nsweep:\n  lr: [0.1, 0.2]\nscript: train.ts\n",
      );
      await Deno.writeTextFile(
        join(experiment, "train.ts"),
        `export default async function train(cfg: { lr: number }, ctx: any) {
  for (let step = 0; step < 40; step++) {
    ctx.log.scalar("live_loss", 1 / (1 + cfg.lr * step), { step });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { accuracy: 0.5 };
}
`,
      );
      await page.goto(`${origin}/#/charts`);
      await page.waitForSelector("body[data-charts-ready]");
      const run = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", MAIN, "run", "-j", "2", join(experiment, "xp.yaml")],
        env: { NO_COLOR: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const chart = '[data-chart="live_loss"]';
      try {
        await page.waitForSelector(chart, { timeout: 30_000 });
        const first = await page.waitForFunction(
          (selector) => {
            const n = Number(document.querySelector(selector)?.dataset.points);
            return n > 0 ? n : false;
          },
          chart,
          { timeout: 30_000 },
        );
        const before = Number(await first.jsonValue());
        await page.waitForFunction(
          ([selector, n]) =>
            Number(document.querySelector(selector as string)?.dataset.points) >
              (n as number),
          [chart, before] as const,
          { timeout: 30_000 },
        );
        await screenshot(page, "charts_live");
      } finally {
        const output = await run.output();
        const stderr = new TextDecoder().decode(output.stderr);
        assert.equal(output.code, 0, stderr);
      }
      assertNoErrors(session);
    });
  },
});
