/**
 * A counting semaphore: `-j N` execution slots that trials take only while their process runs,
 * so a trial's files are prepared (and the last one's recorded) while others use the slots.
 *
 * @module
 */

/** Hands out at most `size` slots at once, in request order. */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  /** A semaphore with `size` slots. */
  constructor(size: number) {
    this.#free = size;
  }

  /**
   * Waits for a free slot; resolves to the function that gives it back.
   *
   * @example Usage
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "./semaphore.ts";
   * const slots = new Semaphore(1);
   * const release = await slots.acquire();
   * let second = false;
   * const next = slots.acquire().then((r) => { second = true; return r; });
   * await Promise.resolve();
   * assert.equal(second, false);
   * release();
   * (await next)();
   * assert.equal(second, true);
   * ```
   */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          const next = this.#waiting.shift();
          if (next) next();
          else this.#free++;
        });
      };
      if (this.#free > 0) {
        this.#free--;
        grant();
      } else {
        this.#waiting.push(grant);
      }
    });
  }
}
