/**
 * The buffered appender of `events.ndjson`. Writes are synchronous: measured on 100,000 scalars
 * they cost less than async writes, keep lines in order without a queue, and let the process's
 * exit and crash handlers flush what is pending.
 *
 * @module
 */

/** Options of {@linkcode EventWriter}. */
export interface EventWriterOptions {
  /** Flush once this many bytes (UTF-16 code units) are pending. @default {65536} */
  maxPending?: number;
  /** Flush lines at most this many milliseconds after they were written. @default {1000} */
  maxDelayMs?: number;
}

/** The global events on which pending lines are flushed: exit, an uncaught error or rejection. */
const EXIT_EVENTS = ["unload", "error", "unhandledrejection"] as const;

/**
 * Appends NDJSON lines to a file, buffered: a flush happens when the buffer passes 64 KiB, within
 * a second of a line being written (by an unref'd timer, or on the next write when the event loop
 * is busy), on `close()`, and when the process exits or dies of an uncaught error, so a crash
 * loses at most the last second. Lines a caller holds back (the log's scalar batches) are
 * released into the buffer by the callbacks given to {@linkcode hold} at every flush.
 *
 * The file is opened, and the exit handlers registered, on the first write: a trial that logs
 * nothing but its result starts ~0.5 ms sooner, which counts when a sweep is 10,000 of them.
 */
export class EventWriter {
  readonly #path: string;
  #file: Deno.FsFile | undefined;
  readonly #encoder = new TextEncoder();
  readonly #maxPending: number;
  readonly #maxDelayMs: number;
  readonly #onExit = () => this.flush();
  readonly #releases: (() => void)[] = [];
  #pending = "";
  /** When the oldest unflushed line, here or held by a caller, was written; 0 when none. */
  #pendingSince = 0;
  #releasing = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #listening = false;

  /** A writer appending to `path`, which is created if needed when the first line is flushed. */
  constructor(path: string, options: EventWriterOptions = {}) {
    this.#path = path;
    this.#maxPending = options.maxPending ?? 65536;
    this.#maxDelayMs = options.maxDelayMs ?? 1000;
  }

  /** Queues one line (a JSON text without its newline). */
  write(line: string): void {
    if (this.#closed) throw new Error("The trial has finished: nothing more can be logged");
    this.#pending += line + "\n";
    if (this.#pending.length >= this.#maxPending) this.flush();
    else this.touch();
  }

  /**
   * Registers `release`, called at the start of every flush to write the lines its caller holds
   * back (through {@linkcode write}).
   */
  hold(release: () => void): void {
    this.#releases.push(release);
  }

  /** Says that a caller holds lines back: they are flushed within the delay, as written ones. */
  touch(): void {
    if (this.#closed) throw new Error("The trial has finished: nothing more can be logged");
    if (!this.#listening) {
      this.#listening = true;
      for (const type of EXIT_EVENTS) globalThis.addEventListener(type, this.#onExit);
    }
    if (this.#pendingSince === 0) {
      this.#pendingSince = Date.now();
      this.#arm();
    } else if (Date.now() - this.#pendingSince >= this.#maxDelayMs) {
      // A busy loop starves the timer, so a write also checks the time.
      this.flush();
    }
  }

  /** Writes the pending lines, and those held back, to the file now. */
  flush(): void {
    // A release writes lines, which may flush when the buffer fills: that flush must not release.
    if (!this.#releasing) {
      this.#releasing = true;
      try {
        for (const release of this.#releases) release();
      } finally {
        this.#releasing = false;
      }
    }
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#pendingSince = 0;
    if (this.#pending === "") return;
    let bytes = this.#encoder.encode(this.#pending);
    this.#pending = "";
    this.#file ??= Deno.openSync(this.#path, { append: true, create: true });
    while (bytes.length > 0) bytes = bytes.subarray(this.#file.writeSync(bytes));
  }

  /**
   * Appends `lastLine` (if any), flushes and closes the file; later writes throw. Closing twice
   * does nothing. The last line skips {@linkcode write}'s timer: a process's first `setTimeout`
   * costs about 5 ms, which a trial that logs nothing but its result should not pay.
   */
  close(lastLine?: string): void {
    if (this.#closed) return;
    if (this.#listening) {
      for (const type of EXIT_EVENTS) globalThis.removeEventListener(type, this.#onExit);
    }
    try {
      // Held lines go before the last one (the result), in the order they were logged.
      for (const release of this.#releases) release();
      if (lastLine !== undefined) this.#pending += lastLine + "\n";
      this.flush();
    } finally {
      this.#closed = true;
      this.#file?.close();
    }
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.#maxDelayMs);
    // The timer must not keep a finished trial alive.
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }
}
