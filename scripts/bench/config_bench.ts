/**
 * Expands a 5-axis sweep of 100,000 configs (10 values per axis) through the whole config path:
 * sweep expansion, merge into the base params, canonical JSON and trial names. Prints configs/s
 * and peak memory; the target is under 2 s on 2 cores.
 *
 * @module
 */

import { expandTrials } from "../../lib/config/trials.ts";
import { validateExperiment } from "../../lib/config/validate.ts";
import { peakRssMib, row } from "./_report.ts";

const values = (f: (i: number) => number) => Array.from({ length: 10 }, (_, i) => f(i));
const experiment = validateExperiment({
  name: "bench",
  params: {
    lr: 0.01,
    seed: 0,
    dropout: 0.1,
    model: { depth: 4, width: 128, activation: "relu" },
    data: { name: "mnist", batch: 64 },
  },
  sweep: {
    lr: { logspace: [-5, -1, 10] },
    "model.depth": { range: [1, 11] },
    "model.width": values((i) => 32 * (i + 1)),
    dropout: { linspace: [0, 0.9, 10] },
    seed: values((i) => i),
  },
  command: "true",
}, { file: "bench.yaml", dir: "/bench", locate: (_) => ({ file: "bench.yaml" }), dialect: "yaml" });

const start = performance.now();
const [stage] = expandTrials(experiment);
const seconds = (performance.now() - start) / 1000;
const trials = stage!.trials;
if (trials.length !== 100_000) throw new Error(`expected 100000 configs, got ${trials.length}`);
if (new Set(trials.map((t) => t.name)).size !== trials.length) throw new Error("names repeat");

row("config", "100k configs expanded + canonicalised", `${seconds.toFixed(2)} s`, "target < 2 s");
row("config", "configs/s", `${Math.round(trials.length / seconds).toLocaleString("en")}`, "");
row("config", "peak RSS", `${peakRssMib()} MiB`, "");
