/**
 * `mixlab run` — run or resume an experiment from its config file. A thin caller of
 * `runExperiment` (kernel-lib/experiment/run-experiment.ts).
 *
 * Exit codes: 0 every run finished (or a Slurm script was written / submitted without
 * waiting), 1 some runs failed or are missing, 2 bad input (config errors are named before
 * any work starts) or the results directory is locked by another `mixlab run` (RESULTS_LOCKED).
 */
import { intFlag, parseCommandArgs } from "../args.js";
import { listKinds } from "../../experiment/registry.js";
import { runExperiment } from "../../experiment/run-experiment.js";
import { MixlabError } from "../../util/errors.js";

const USAGE = `usage: mixlab run CONFIG.json [--profile NAME] [--out DIR] [--fresh]
         [--executor local|slurm] [--workers N] [--keep-going] [--no-png]
         slurm: [--dry-run] [--no-wait] [--partition P] [--time HH:MM:SS] [--mem 4G]
                [--cpus-per-task N] [--max-parallel N] [--sbatch-arg=--account=X ...]
  Runs the experiment into DIR (default results/<name>[-<profile>]); re-running the same
  command resumes (finished runs are skipped, corrupt ones redone). --fresh starts over in a
  new directory (DIR-2, …) and keeps the old one.
  DIR is locked while this command runs (DIR's sibling .<name>.lock: pid, host, command): a second
  \`mixlab run\` on it stops at once with error[RESULTS_LOCKED]; a lock left by a killed run on this
  host is taken over. Slurm array tasks (\`mixlab run-task\`) take no lock: each writes its own run file.
  --workers N   local worker processes (default: one per core; 0 = in this process)
  --no-png      report figures as HTML only (default: also PNG when Chromium is installed)
  --executor slurm  writes DIR/slurm/sweep.sbatch (one array task per pending run), submits
                it and waits; --no-wait returns after submitting, --dry-run only writes it.
                When tasks wait for others: DIR/slurm/level-<k>.sbatch per dependency level,
                each submitted with --dependency=afterok:<previous level's job> (DIR/slurm/submit.sh).
                Collect with: mixlab report DIR
  kinds: ${listKinds().map((k) => k.name).join(", ")}`;

/**
 * `mixlab run …`; returns the exit code.
 *
 * @example
 * await run(["experiments/proxy-sweep-tiny.json", "--profile", "ci", "--workers", "2"]); // 0
 */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: "string" },
      out: { type: "string" },
      fresh: { type: "boolean" },
      executor: { type: "string" },
      workers: { type: "string" },
      "keep-going": { type: "boolean" },
      "no-png": { type: "boolean" },
      "dry-run": { type: "boolean" },
      "no-wait": { type: "boolean" },
      partition: { type: "string" },
      time: { type: "string" },
      mem: { type: "string" },
      "cpus-per-task": { type: "string" },
      "max-parallel": { type: "string" },
      "sbatch-arg": { type: "string", multiple: true },
      "poll-seconds": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }, USAGE, "BAD_FLAG");
  const { values: v, positionals } = parsed;
  if (v.help) { console.log(USAGE); return 0; }
  if (positionals.length !== 1) throw new MixlabError("BAD_FLAG", `expected one config file, got ${positionals.length}\n${USAGE}`);
  const executor = v.executor ?? "local";
  if (executor !== "local" && executor !== "slurm") throw new MixlabError("BAD_FLAG", `--executor must be local or slurm, got "${executor}"`);
  const slurmOnly = ["dry-run", "no-wait", "partition", "time", "mem", "cpus-per-task", "max-parallel", "sbatch-arg", "poll-seconds"] as const;
  if (executor === "local") {
    const stray = slurmOnly.filter((f) => v[f] !== undefined);
    if (stray.length) throw new MixlabError("BAD_FLAG", `--${stray[0]} only applies with --executor slurm`);
  } else if (v.workers !== undefined) {
    throw new MixlabError("BAD_FLAG", "--workers only applies with --executor local");
  }

  const r = await runExperiment({
    config: positionals[0],
    profile: v.profile,
    out: v.out,
    fresh: v.fresh,
    executor,
    workers: intFlag(v.workers, "--workers", { min: 0 }),
    keepGoing: v["keep-going"],
    png: v["no-png"] ? false : "auto",
    slurm: {
      dryRun: v["dry-run"],
      wait: !v["no-wait"],
      pollSeconds: intFlag(v["poll-seconds"], "--poll-seconds", { min: 1 }),
      partition: v.partition,
      time: v.time,
      mem: v.mem,
      cpusPerTask: intFlag(v["cpus-per-task"], "--cpus-per-task", { min: 1 }),
      maxParallel: intFlag(v["max-parallel"], "--max-parallel", { min: 1 }),
      extra: v["sbatch-arg"],
    },
  });
  if (r.failed.length > 0) {
    console.error(`${r.failed.length} run(s) failed: ${r.failed.map((f) => f.taskId).join(", ")}; re-run the same command to retry them`);
    if (r.blocked.length > 0) console.error(`${r.blocked.length} run(s) not started because a task they wait for failed: ${r.blocked.map((b) => `${b.taskId} (after ${b.dependency})`).join(", ")}`);
    return 1;
  }
  const leftToSlurm = executor === "slurm" && (v["dry-run"] || v["no-wait"]);
  if (r.missing.length > 0 && !leftToSlurm) {
    console.error(`${r.missing.length} run(s) missing: ${r.missing.slice(0, 20).join(", ")}${r.missing.length > 20 ? ", …" : ""}`);
    return 1;
  }
  return 0;
}
