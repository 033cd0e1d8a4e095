/**
 * `mixlab run-task RESULTS_DIR INDEX` — run one planned task of a results directory (what
 * each Slurm array task calls). Skips a task whose verified result exists; a corrupt result is
 * moved aside and the task reruns. Exit 0 when the task's result is stored.
 */
import { parseCommandArgs } from "../args.js";
import { openTaskRunner, runTaskAt } from "../../experiment/run-one.js";
import { MixlabError } from "../../util/errors.js";

const USAGE = "usage: mixlab run-task RESULTS_DIR INDEX   (INDEX: 0-based position in RESULTS_DIR/plan.json)";

/**
 * `mixlab run-task …`; returns the exit code.
 *
 * @example
 * await run(["results/proxy-sweep-tiny-ci", "3"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } }, USAGE, "BAD_FLAG");
  if (values.help) { console.log(USAGE); return 0; }
  if (positionals.length !== 2) throw new MixlabError("BAD_FLAG", USAGE);
  const [dir, indexText] = positionals;
  const index = Number(indexText);
  if (!/^\d+$/.test(indexText) || !Number.isSafeInteger(index)) throw new MixlabError("BAD_FLAG", `INDEX must be a non-negative integer, got "${indexText}"\n${USAGE}`);
  const executor = process.env.SLURM_ARRAY_JOB_ID ? "slurm" : "inline";
  const runner = openTaskRunner(dir);
  const out = await runTaskAt(runner, index, { executor, log: (m) => console.log(`${runner.store.tasks[index]?.id}: ${m}`) });
  if (out.corrupt) console.log(`corrupt: ${out.taskId}: ${out.corrupt.reason} — moved to ${out.corrupt.movedTo}, reran`);
  console.log(out.status === "ran" ? `${out.taskId} ran in ${out.seconds.toFixed(1)}s` : `${out.taskId} already done (verified)`);
  return 0;
}
