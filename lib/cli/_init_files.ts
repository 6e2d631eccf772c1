/** The files `xp init` writes, by form: a YAML experiment with two TS scripts, or one `xp.ts`. */
export function initFiles(form: "yaml" | "ts"): Record<string, string> {
  return form === "yaml" ? { "xp.yaml": XP_YAML, "train.ts": TRAIN_TS, "eval.ts": EVAL_TS } : {
    "xp.ts": XP_TS,
  };
}

const XP_YAML = `# An example xp experiment. Try: xp run --dry-run, then xp run.
name: quickstart
params:
  lr: 0.01
  epochs: 20
  model:
    depth: 2
    width: 64
sweep:                      # a grid: 3 learning rates × 2 depths = 6 trials per stage
  lr: [0.1, 0.03, 0.01]
  model.depth: { range: [2, 6, 2] }
stages:
  train:
    script: train.ts        # default export (cfg, ctx) => result
    timeout: 1m
  eval:
    script: eval.ts
    depends_on: [train]     # each eval trial gets the train trial with the same lr and depth
`;

const TRAIN_TS =
  `// A stand-in for training: the loss falls faster with a larger lr and a deeper model.
import type { TrialContext } from "xp";

interface Config {
  lr: number;
  epochs: number;
  model: { depth: number; width: number };
}

export default function train(cfg: Config, ctx: TrialContext<Config>) {
  let loss = 1;
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    loss *= 1 - Math.min(0.5, cfg.lr * cfg.model.depth);
    ctx.log.scalar("loss", loss, { step: epoch });
  }
  const accuracy = 1 - loss / 2;
  Deno.writeTextFileSync(\`\${ctx.out}/model.json\`, JSON.stringify({ loss }));
  ctx.log.artifact("model", "model.json");
  return { accuracy, loss };
}
`;

const EVAL_TS = `// Reads the matching train trial's result and scores it.
import type { TrialContext } from "xp";

export default function evaluate(_cfg: unknown, ctx: TrialContext<unknown>) {
  const train = ctx.deps.train as { result: { accuracy: number } };
  return { test_accuracy: train.result.accuracy * 0.98 };
}
`;

const XP_TS = `// An example xp experiment in TypeScript. Try: xp run --dry-run, then xp run.
import { experiment } from "xp";

export default experiment({
  name: "quickstart",
  params: { lr: 0.01, epochs: 20, model: { depth: 2, width: 64 } },
  sweep: { lr: [0.1, 0.03, 0.01], "model.depth": { range: [2, 6, 2] } },
  stages: {
    train: {
      timeout: "1m",
      run(cfg, ctx) {
        let loss = 1;
        for (let epoch = 0; epoch < cfg.epochs; epoch++) {
          loss *= 1 - Math.min(0.5, cfg.lr * cfg.model.depth);
          ctx.log.scalar("loss", loss, { step: epoch });
        }
        return { accuracy: 1 - loss / 2, loss };
      },
    },
    eval: {
      dependsOn: ["train"],
      run(_cfg, ctx) {
        const train = ctx.deps.train as { result: { accuracy: number } };
        return { test_accuracy: train.result.accuracy * 0.98 };
      },
    },
  },
});
`;
