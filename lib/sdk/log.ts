/**
 * `ctx.log`: validates what a trial logs, writes bytes it is given into `out/`, and turns each
 * call into a protocol line (scalars into a batch line per series).
 *
 * @module
 */

import type { Json, ScalarOptions, StepOptions, TrialLog } from "./experiment.ts";
import { describe } from "./describe.ts";
import { toJsonValue } from "./json.ts";
import { detectImageFormat, isSvg } from "./media.ts";
import { outRelativePath, safeFileName } from "./paths.ts";
import { type HoldingSink, ScalarBatches } from "./scalar_batches.ts";
import {
  encodeEvent,
  isLineTooLong,
  MAX_LINE_BYTES,
  MAX_NAME_LENGTH,
  type TrialEvent,
} from "./protocol.ts";

/**
 * The {@linkcode TrialLog} of a trial whose output directory is `out` (absolute): lines go to
 * `sink`, scalars held back and written when the sink flushes (see ScalarBatches); bytes
 * logged as images, figures and artifacts are written under `out/images/`, `out/figures/` and
 * `out/artifacts/`. Every method throws a TypeError on a bad argument.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTrialLog } from "./log.ts";
 * const lines: string[] = [];
 * let flush = () => {};
 * const sink = { write: (line: string) => lines.push(line), hold: (f: () => void) => flush = f, touch() {} };
 * const log = createTrialLog(sink, "/tmp/out");
 * log.scalar("loss", 0.5);
 * log.scalar("loss", 0.25, { context: { subset: "val" } });
 * log.metric("accuracy", 0.9);
 * for (let step = 1; step <= 100; step++) log.scalar("loss", 1 / step);
 * flush();
 * assert.equal(lines[0], '{"t":"metric","name":"accuracy","value":0.9}');
 * // A few points of a series as scalar lines; many as one scalars line.
 * assert.match(lines[1]!, /^\{"t":"scalars","name":"loss","step":\[0,1,2,/);
 * assert.match(lines[2]!, /^\{"t":"scalar","name":"loss","value":0.25,"step":0,"time":[\d.]+,"context":\{"subset":"val"\}\}$/);
 * ```
 */
export function createTrialLog(sink: HoldingSink, out: string): TrialLog {
  const batches = new ScalarBatches(sink);
  const files = new Set<string>();
  const dirs = new Set<string>();

  function emit(event: TrialEvent, what: string): void {
    const line = encodeEvent(event);
    if (isLineTooLong(line)) {
      const limit = `${MAX_LINE_BYTES / 1e6} MB`;
      throw new TypeError(
        `${what}: the event is over ${limit} as JSON; log it as an artifact instead`,
      );
    }
    sink.write(line);
  }

  /** Writes bytes to a new file `<dir>/<stem>.<ext>` in out/ (`_1`, `_2`… if taken); its path. */
  function writeBytes(dir: string, stem: string, ext: string, bytes: Uint8Array): string {
    const dot = ext === "" ? "" : `.${ext}`;
    let path = `${dir}/${stem}${dot}`;
    // Two names can map to one file name, and a name can be logged twice: keep each file.
    for (let n = 1; files.has(path); n++) path = `${dir}/${stem}_${n}${dot}`;
    if (!dirs.has(dir)) {
      Deno.mkdirSync(`${out}/${dir}`, { recursive: true });
      dirs.add(dir);
    }
    Deno.writeFileSync(`${out}/${path}`, bytes);
    files.add(path);
    return path;
  }

  return {
    scalar(name: string, value: number, options?: ScalarOptions): void {
      checkName("scalar", name);
      checkNumber("scalar", name, value);
      const context = options?.context;
      const contextJson = context === undefined ? undefined : encodeContext(name, context);
      const batch = batches.series(name, contextJson);
      let step = options?.step;
      if (step === undefined) step = batch.next;
      else checkStep("scalar", name, step);
      batches.add(batch, step, value, Date.now() / 1000);
    },

    metric(name: string, value: number): void {
      checkName("metric", name);
      checkNumber("metric", name, value);
      emit({ t: "metric", name, value }, `ctx.log.metric("${name}")`);
    },

    param(name: string, value: Json): void {
      checkName("param", name);
      const what = `ctx.log.param("${name}")`;
      emit({ t: "param", name, value: jsonArgument(value, what, "value") }, what);
    },

    text(name: string, value: string, options?: StepOptions): void {
      checkName("text", name);
      if (typeof value !== "string") {
        throw new TypeError(
          `ctx.log.text("${name}"): the text must be a string, got ${describe(value)}`,
        );
      }
      const step = optionalStep("text", name, options);
      emit({ t: "text", name, value, ...stepField(step) }, `ctx.log.text("${name}")`);
    },

    image(name: string, image: Uint8Array | string, options?: StepOptions): void {
      checkName("image", name);
      const what = `ctx.log.image("${name}")`;
      const step = optionalStep("image", name, options);
      let path: string;
      if (typeof image === "string") path = outRelativePath(image, what);
      else if (image instanceof Uint8Array) {
        const format = detectImageFormat(image);
        if (format === undefined) {
          throw new TypeError(
            `${what}: the bytes are not a PNG, JPEG, WebP or SVG image; log other files with ctx.log.artifact()`,
          );
        }
        path = writeBytes("images", safeFileName(name) + stepSuffix(step), format, image);
      } else {
        throw new TypeError(
          `${what}: the image must be a Uint8Array of PNG/JPEG/WebP/SVG bytes or a path relative to out/, got ${
            describe(image)
          }`,
        );
      }
      emit({ t: "image", name, path, ...stepField(step) }, what);
    },

    figure(name: string, figure: Record<string, unknown> | string, options?: StepOptions): void {
      checkName("figure", name);
      const what = `ctx.log.figure("${name}")`;
      const step = optionalStep("figure", name, options);
      if (typeof figure === "string") {
        if (!isSvg(figure)) {
          throw new TypeError(
            `${what}: a string figure must be an SVG document (starting with <svg); pass a Plotly spec as an object`,
          );
        }
        const stem = safeFileName(name) + stepSuffix(step);
        const path = writeBytes("figures", stem, "svg", new TextEncoder().encode(figure));
        emit({ t: "figure", name, format: "svg", path, ...stepField(step) }, what);
        return;
      }
      if (figure === null || typeof figure !== "object" || Array.isArray(figure)) {
        throw new TypeError(
          `${what}: the figure must be a Plotly spec object ({ data, layout }) or an SVG string, got ${
            describe(figure)
          }`,
        );
      }
      const spec = jsonArgument(figure, what, "spec") as { [key: string]: Json };
      emit({ t: "figure", name, format: "plotly", spec, ...stepField(step) }, what);
    },

    artifact(name: string, artifact: Uint8Array | string): void {
      checkName("artifact", name);
      const what = `ctx.log.artifact("${name}")`;
      let path: string;
      if (typeof artifact === "string") path = outRelativePath(artifact, what);
      else if (artifact instanceof Uint8Array) {
        // Keep the name's extension last, so that `model.bin` twice gives `model_1.bin`.
        const [, stem, ext] = /^(.+?)(?:\.([A-Za-z0-9]{1,10}))?$/.exec(safeFileName(name))!;
        path = writeBytes("artifacts", stem!, ext ?? "", artifact);
      } else {
        throw new TypeError(
          `${what}: the artifact must be a Uint8Array or a path relative to out/, got ${
            describe(artifact)
          }`,
        );
      }
      emit({ t: "artifact", name, path }, what);
    },
  };
}

function checkName(method: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      `ctx.log.${method}: the name must be a non-empty string, got ${describe(name)}`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new TypeError(
      `ctx.log.${method}: the name "${
        name.slice(0, 40)
      }…" has ${name.length} characters; the limit is ${MAX_NAME_LENGTH}`,
    );
  }
}

function checkNumber(method: string, name: string, value: unknown): void {
  if (typeof value !== "number") {
    const hint = typeof value === "string" || typeof value === "bigint"
      ? " (convert it with Number())"
      : "";
    throw new TypeError(
      `ctx.log.${method}("${name}"): the value must be a number, got ${describe(value)}${hint}`,
    );
  }
}

function checkStep(method: string, name: string, step: unknown): asserts step is number {
  if (!Number.isSafeInteger(step)) {
    throw new TypeError(
      `ctx.log.${method}("${name}"): step must be an integer, got ${describe(step)}`,
    );
  }
}

function optionalStep(
  method: string,
  name: string,
  options: StepOptions | undefined,
): number | undefined {
  const step = options?.step;
  if (step !== undefined) checkStep(method, name, step);
  return step;
}

/** The `step` field of an event: present only when a step was given. */
function stepField(step: number | undefined): { step?: number } {
  return step === undefined ? {} : { step };
}

function stepSuffix(step: number | undefined): string {
  return step === undefined ? "" : `_${step}`;
}

/** The canonical JSON of a scalar's context (keys sorted), validated; built by hand for speed. */
function encodeContext(name: string, context: unknown): string {
  const what = `ctx.log.scalar("${name}")`;
  if (context === null || typeof context !== "object" || Array.isArray(context)) {
    throw new TypeError(
      `${what}: context must be an object such as { subset: "val" }, got ${describe(context)}`,
    );
  }
  const keys = Object.keys(context);
  if (keys.length > 1) keys.sort();
  let json = "";
  for (const key of keys) {
    const value = (context as Record<string, unknown>)[key];
    let encoded: string;
    if (typeof value === "string") encoded = JSON.stringify(value);
    else if (typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
      encoded = String(value);
    } else if (value === undefined) continue;
    else {
      throw new TypeError(
        `${what}: context.${key} must be a string, a finite number or a boolean, got ${
          describe(value)
        }`,
      );
    }
    json += `${json === "" ? "" : ","}${JSON.stringify(key)}:${encoded}`;
  }
  return `{${json}}`;
}

function jsonArgument(value: unknown, what: string, root: string): Json {
  try {
    return toJsonValue(value, root);
  } catch (error) {
    throw new TypeError(`${what}: ${(error as Error).message}`);
  }
}
