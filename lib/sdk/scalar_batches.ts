/**
 * Scalar points held back per series until the writer flushes. A series with more than
 * {@linkcode FEW_POINTS} points pending goes out as one `scalars` line (xp's compact form of
 * ARCHITECTURE section 7): on disk a point then costs its step, value and time, about 40 bytes,
 * where a `scalar` line of its own costs about 95. A few points go out as section 7's `scalar`
 * lines, which any reader of the protocol knows.
 *
 * @module
 */

import { encodeNumber } from "./protocol.ts";

/** Where the lines go: the trial's `EventWriter`. */
export interface HoldingSink {
  /** Takes one line, without its newline. */
  write(line: string): void;
  /** Registers the callback that writes the held lines; the sink calls it on every flush. */
  hold(release: () => void): void;
  /** Says that points are held, so that the sink flushes them within its delay. */
  touch(): void;
}

/** At most this many pending points of a series are written as `scalar` lines, one each. */
export const FEW_POINTS = 16;

/** One series' held points, and the step its next point gets by default. */
export interface SeriesBatch {
  /** `{"t":"scalars","name":…,"context":…,` — a `scalars` line up to its arrays. */
  readonly head: string;
  /** `{"t":"scalar","name":…,"value":` — a `scalar` line up to its value. */
  readonly pointHead: string;
  /** `}` or `,"context":…}` — a `scalar` line after its time. */
  readonly pointTail: string;
  /** The default step of the next point. */
  next: number;
  steps: number[];
  values: number[];
  times: number[];
  /** Whether a held value is NaN or ±Infinity (written as strings). */
  nonFinite: boolean;
}

/**
 * The held points of every series of a trial. They go out when the sink flushes (within a
 * second, on exit, on a crash), or once `maxHeld` points are held, which bounds both the memory
 * and the length of a line (4,096 points are at most ~250 KB, under the 1 MB line limit).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { ScalarBatches } from "./scalar_batches.ts";
 * const lines: string[] = [];
 * let release = () => {};
 * const batches = new ScalarBatches({
 *   write: (line) => lines.push(line),
 *   hold: (callback) => release = callback,
 *   touch: () => {},
 * });
 * const loss = batches.series("loss", undefined);
 * batches.add(loss, loss.next, 0.5, 1763900000.5);
 * batches.add(loss, loss.next, NaN, 1763900000.5);
 * assert.equal(lines.length, 0);
 * release();
 * assert.deepEqual(lines, [
 *   '{"t":"scalar","name":"loss","value":0.5,"step":0,"time":1763900000.5}',
 *   '{"t":"scalar","name":"loss","value":"NaN","step":1,"time":1763900000.5}',
 * ]);
 * for (let i = 0; i < 20; i++) batches.add(loss, loss.next, i, 1763900001);
 * release();
 * assert.match(lines[2]!, /^\{"t":"scalars","name":"loss","step":\[2,3,/);
 * ```
 */
export class ScalarBatches {
  readonly #sink: HoldingSink;
  readonly #maxHeld: number;
  readonly #byId = new Map<string, SeriesBatch>();
  /** Series with held points, in the order their first held point came. */
  #waiting: SeriesBatch[] = [];
  #held = 0;

  /** Holds points for `sink`, writing them out once `maxHeld` are held. */
  constructor(sink: HoldingSink, maxHeld = 4096) {
    this.#sink = sink;
    this.#maxHeld = maxHeld;
    sink.hold(() => this.release());
  }

  /** The series `name` with `context` (canonical JSON, or undefined for none), added if new. */
  series(name: string, context: string | undefined): SeriesBatch {
    const id = context === undefined ? name : `${name}\0${context}`;
    let batch = this.#byId.get(id);
    if (batch === undefined) {
      const contextField = context === undefined ? "" : `"context":${context},`;
      batch = {
        head: `{"t":"scalars","name":${JSON.stringify(name)},${contextField}`,
        pointHead: `{"t":"scalar","name":${JSON.stringify(name)},"value":`,
        pointTail: context === undefined ? "}" : `,"context":${context}}`,
        next: 0,
        steps: [],
        values: [],
        times: [],
        nonFinite: false,
      };
      this.#byId.set(id, batch);
    }
    return batch;
  }

  /** Holds a point of `batch`; `time` in seconds since the epoch. */
  add(batch: SeriesBatch, step: number, value: number, time: number): void {
    if (batch.steps.length === 0) this.#waiting.push(batch);
    batch.steps.push(step);
    batch.values.push(value);
    batch.times.push(time);
    if (!Number.isFinite(value)) batch.nonFinite = true;
    batch.next = step + 1;
    if (++this.#held >= this.#maxHeld) this.release();
    else this.#sink.touch();
  }

  /** Writes every held point (see the class) and holds none. */
  release(): void {
    const waiting = this.#waiting;
    if (waiting.length === 0) return;
    this.#waiting = [];
    this.#held = 0;
    for (const batch of waiting) {
      const { steps, values, times } = batch;
      const lines: string[] = [];
      if (steps.length <= FEW_POINTS) {
        for (let i = 0; i < steps.length; i++) {
          lines.push(
            `${batch.pointHead}${encodeNumber(values[i]!)},"step":${steps[i]},"time":${
              times[i]
            }${batch.pointTail}`,
          );
        }
      } else {
        // Array#join writes numbers as JSON does, except the non-finite ones.
        const encoded = batch.nonFinite ? values.map(encodeNumber) : values;
        lines.push(
          `${batch.head}"step":[${steps.join(",")}],"value":[${encoded.join(",")}],"time":[${
            times.join(",")
          }]}`,
        );
      }
      batch.steps = [];
      batch.values = [];
      batch.times = [];
      batch.nonFinite = false;
      for (const line of lines) this.#sink.write(line);
    }
  }
}
