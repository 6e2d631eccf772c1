import { notBuilt } from "./_not_built.ts";

/** `xp compare`: shows params and metrics of several trials side by side, differences marked. */
export const compareCommand = notBuilt({
  name: "compare",
  usage: "compare TRIAL TRIAL...",
  description: "Shows params and metrics of several trials side by side, differences marked.",
  options: [
    {
      name: "html",
      kind: "string",
      value: "FILE",
      summary: "write a self-contained HTML report with charts",
    },
  ],
  examples: [
    "xp compare 3fa2 91bc",
    "xp compare 3fa2 91bc --html report.html",
  ],
});
