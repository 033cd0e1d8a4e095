/**
 * `mixlab report RESULTS_DIR` — rebuild report.md and the CSVs from the stored runs (after a
 * Slurm sweep, on another machine, or mid-sweep). Exit 0 when every planned run is present,
 * 1 when some are missing or corrupt (the report is written either way).
 */
import { parseCommandArgs } from "../args.js";
import { shown } from "../../experiment/progress.js";
import { buildReport } from "../../experiment/report.js";
import { MixlabError } from "../../util/errors.js";

const USAGE = "usage: mixlab report RESULTS_DIR [--no-png]";

/**
 * `mixlab report …`; returns the exit code.
 *
 * @example
 * await run(["results/proxy-sweep-tiny-ci"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" }, "no-png": { type: "boolean" } } }, USAGE, "BAD_FLAG");
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length !== 1) throw new MixlabError("BAD_FLAG", USAGE);
  const r = await buildReport(positionals[0], { png: values["no-png"] ? false : "auto" });
  console.log(`${shown(r.path)}: ${r.done}/${r.total} runs${r.files.length ? ` (+ ${r.files.join(", ")})` : ""}`);
  for (const c of r.corrupt) console.log(`corrupt: ${c.taskId}: ${c.reason}`);
  if (r.missing.length) console.log(`missing: ${r.missing.join(", ")}`);
  return r.missing.length === 0 && r.corrupt.length === 0 ? 0 : 1;
}
