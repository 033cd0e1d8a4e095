// `npm run notebooks [-- NAME…] [--profile ci|full] [--out DIR] [--timeout S]`
// Executes notebooks/*.ipynb headless with the mixlab tslab kernel (Jupyter's nbclient, the
// engine of `jupyter nbconvert --execute`), writes executed copies to results/notebooks/, prints
// each failing cell's stderr, and exits 1 when any notebook fails (2 on bad usage).
import { parseArgs } from "node:util";
import { isMixlabError } from "../kernel-lib/util/errors.js";
import { profile as envProfile } from "../kernel-lib/util/profile.js";
import { runNotebooks } from "./kernel/runner.js";

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: "string" },
      out: { type: "string" },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm run notebooks -- [NAME…] [--profile ci|full] [--out DIR] [--timeout SECONDS_PER_CELL]");
    return 0;
  }
  const profile = envProfile(values.profile !== undefined ? { MIXLAB_PROFILE: values.profile } : process.env);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0)) {
    console.error(`error[BAD_OPTION]: --timeout must be a whole number of seconds (0 = none), got ${values.timeout}`);
    return 2;
  }
  const summary = runNotebooks({ names: positionals, profile, outDir: values.out, cellTimeoutS: timeout });
  return summary.ok ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (isMixlabError(e)) {
    console.error(`error[${e.code}]: ${e.message}`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
