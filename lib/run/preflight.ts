/**
 * Checks before anything runs: every command trial's `${…}` placeholders resolve, so a typo is a
 * config error (exit 2) rather than a failure in the middle of a sweep.
 *
 * @module
 */

import type { Plan } from "../plan/mod.ts";
import { substituteCommand } from "./command.ts";

/** Substitutes the command of every trial that will run, and throws the first ConfigError. */
export function preflightCommands(plan: Plan, states: ReadonlyMap<string, string>): void {
  const checked = new Set<string>();
  for (const trial of plan.trials) {
    if (states.get(trial.key) !== "todo") continue;
    const stage = plan.experiment.stages.find((s) => s.name === trial.stage)!;
    if (stage.command === undefined) continue;
    // Trials of a stage differ only in values, not in which names they have, unless params differ.
    const shape = `${stage.name}:${Object.keys(trial.effective).join(",")}`;
    if (checked.has(shape) && !stage.command.includes("deps.")) continue;
    checked.add(shape);
    const deps: Record<string, string[]> = {};
    for (const key of trial.deps) (deps[plan.byKey.get(key)!.stage] ??= []).push("/");
    substituteCommand(stage.command, {
      params: trial.effective,
      out: "/",
      trial: { key: trial.key, name: trial.name },
      experimentDir: plan.experiment.dir,
      deps,
    }, { at: plan.experiment.locate([...stage.path, "command"]), stage: stage.name });
  }
}
