import { notBuilt } from "./_not_built.ts";

/** `xp show`: shows one trial: config, status, metrics, artifacts and the tail of stderr. */
export const showCommand = notBuilt({
  name: "show",
  usage: "show TRIAL",
  description:
    "Shows one trial: config, status, metrics, artifacts and the tail of stderr.\nTRIAL is a key prefix or a trial name.",
  options: [
    { name: "json", kind: "boolean", summary: "the trial as one JSON object" },
  ],
  examples: [
    "xp show 3fa2c1        # by key prefix",
    'xp show "lr=0.1"      # by name',
  ],
});
