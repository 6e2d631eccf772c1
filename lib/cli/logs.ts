import { notBuilt } from "./_not_built.ts";

/** `xp logs`: prints a trial's stdout (or stderr). */
export const logsCommand = notBuilt({
  name: "logs",
  usage: "logs TRIAL",
  description: "Prints a trial's stdout (or stderr).",
  options: [
    { name: "stderr", kind: "boolean", summary: "stderr instead of stdout" },
    { name: "follow", short: "f", kind: "boolean", summary: "keep printing as the trial writes" },
  ],
  examples: [
    "xp logs 3fa2c1 --stderr",
    'xp logs "lr=0.1" -f',
  ],
});
