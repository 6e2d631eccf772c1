/**
 * What the viewer's event stream (`GET /api/events`) carries, and the `LiveSource` seam that
 * produces it: the store poller in production, a hand-fed source in tests.
 *
 * @module
 */

import type { TrialState } from "../../lib/store/trial_files.ts";

/** One thing that changed in the store. */
export type LiveEvent =
  /** A run started, ended or finished one of its trials: refetch `/api/runs`. */
  | { type: "run"; run_id: string; status: string }
  /** A trial's `status.json` changed (it started, retried or ended). */
  | {
    type: "trial";
    key: string;
    stage: string;
    name: string;
    state: TrialState;
    attempt: number;
    run_id: string;
  }
  /** New points of a running trial's series, columnar; `time` in seconds (NaN when unknown). */
  | {
    type: "scalars";
    key: string;
    name: string;
    context: string | null;
    step: number[];
    value: (number | null)[];
    time: (number | null)[];
  }
  /** A running trial's stdout or stderr grew to `size` bytes. */
  | { type: "log"; key: string; stream: "stdout" | "stderr"; size: number }
  /** The index changed (trials were ingested): tables and charts may have new rows. */
  | { type: "index" }
  /**
   * Sent to each new listener once the source follows the store: anything that happened before
   * it is in the API's answers, anything after comes as events.
   */
  | { type: "ready" };

/** Produces live events for whoever listens. */
export interface LiveSource {
  /**
   * Calls `listener` for every event from now on; returns the function that stops it. The
   * source does its work (polling) only while someone listens.
   */
  subscribe(listener: (event: LiveEvent) => void): () => void;
}
