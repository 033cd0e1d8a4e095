/**
 * `mixlab run`: load and validate a config, create or resume its results directory, run the
 * pending tasks on an executor, rebuild the report. The same function serves the CLI and
 * notebooks.
 */
import { randomInt } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { deriveSeed } from "../util/rng.js";
import { MixlabError } from "../util/errors.js";
import { acquireLock } from "../util/lock.js";
import { projectRoot } from "../util/paths.js";
import { BASE_PROFILE, loadExperimentConfig, type LoadedExperiment } from "./config.js";
import { runLocalPool, defaultWorkers, type PoolEvent } from "./executors/local-pool.js";
import { sbatchCommands, slurmTasksLeft, submitSbatch, waitForSlurmJob, writeSbatchScripts, type SlurmOptions } from "./executors/slurm.js";
import { canonicalJson, type Json } from "./json.js";
import type { Task } from "./kind.js";
import { currentBackend } from "./backend.js";
import { checkDependencies, dependencyLevels } from "./dependencies.js";
import { buildManifest } from "./manifest.js";
import { createProgress, formatDuration, shown } from "./progress.js";
import { buildReport, type ReportSummary } from "./report.js";
import { createStore, freshDir, isStore, openStore, quarantineRun, scanRuns, taskIdFor, type Store } from "./store.js";

export interface RunExperimentOptions {
  /** config file path, or an already loaded config */
  config: string | LoadedExperiment;
  /** profile to apply when `config` is a path (default: none) */
  profile?: string;
  /** results directory (default: the config's `results`, else `results/<name>` or `results/<name>-<profile>` under the project root) */
  out?: string;
  /** start over in a new directory (`<out>-2`, …) when `out` exists; nothing is deleted */
  fresh?: boolean;
  /** "local" (default) or "slurm" */
  executor?: "local" | "slurm";
  /** local pool size (default: one per core); 0 runs inline in this process */
  workers?: number;
  /** keep going after a task fails */
  keepGoing?: boolean;
  slurm?: SlurmOptions & {
    /** only write the sbatch script */
    dryRun?: boolean;
    /** wait for the array to finish, then collect (default true) */
    wait?: boolean;
    pollSeconds?: number;
  };
  /** PNG copies of report figures: "auto" (default: when Chromium is installed), true, false */
  png?: boolean | "auto";
  /** where progress lines go (default console.log) */
  log?: (line: string) => void;
}

export interface RunExperimentResult {
  /** absolute results directory */
  dir: string;
  total: number;
  /** verified runs present at the end */
  done: number;
  /** runs executed in this call */
  ran: number;
  /** corrupt run files found, moved aside and rerun */
  corrupt: { taskId: string; reason: string; movedTo: string }[];
  failed: { taskId: string; code: string | null; message: string }[];
  /** tasks not started because a task they wait for failed (local executor) */
  blocked: { taskId: string; dependency: string; message: string }[];
  /** ids still without a result (failed, blocked, not started, or left to a Slurm job) */
  missing: string[];
  report: ReportSummary | null;
  /**
   * what the Slurm executor wrote and submitted: one level per dependency level of the pending
   * tasks (one level, `slurm/sweep.sbatch`, when none waits for another); `script` and `jobId`
   * are level 0's
   */
  slurm?: { script: string; jobId?: string; levels: { script: string; indices: number[]; jobId?: string }[] };
}

/**
 * The default results directory of an experiment.
 *
 * @example
 * defaultResultsDir("proxy-sweep-tiny", "ci"); // "<root>/results/proxy-sweep-tiny-ci"
 */
export function defaultResultsDir(name: string, profile: string): string {
  return join(projectRoot(), "results", profile === BASE_PROFILE ? name : `${name}-${profile}`);
}

/** Top-level keys whose values differ between two resolved configs. */
function differingKeys(a: Record<string, Json>, b: Record<string, Json>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]));
}

async function createOrResume(exp: LoadedExperiment, dir: string, log: (l: string) => void): Promise<Store> {
  if (isStore(dir)) {
    const store = openStore(dir);
    const stored = store.manifest.config;
    const diff = differingKeys(stored, exp.resolved);
    if (diff.length > 0) {
      throw new MixlabError("RESULTS_CONFIG_MISMATCH", `${dir} holds results of a different config (differs in: ${diff.join(", ")}); use --fresh for a new directory or --out to choose one`);
    }
    return store;
  }
  const seed = exp.seed ?? randomInt(0, 2 ** 31);
  const params = await exp.kind.plan(exp.fields, { seed, profile: exp.profile });
  if (params.length === 0) throw new MixlabError("EXPERIMENT_EMPTY", `${exp.file}: the plan has no tasks`);
  const after = exp.kind.dependencies
    ? checkDependencies(exp.kind.dependencies(exp.fields, params), params.length, `${exp.file}: kind "${exp.kind.name}"`)
    : params.map(() => []);
  const tasks: Task[] = params.map((p, index) => {
    const id = taskIdFor(index, params.length);
    return { id, index, seed: deriveSeed(seed, id), params: p, after: after[index] };
  });
  const inputs = exp.kind.describeInputs ? await exp.kind.describeInputs(exp.fields) : null;
  const manifest = await buildManifest({
    name: exp.name, kind: exp.kind.name, profile: exp.profile, configFile: exp.file, config: exp.resolved,
    resolvedSeed: seed, seedSource: exp.seed === undefined ? "drawn" : "config", tasks: tasks.length, inputs,
  });
  log(`created ${dir} (${tasks.length} tasks, seed ${seed}${exp.seed === undefined ? ", drawn" : ""})`);
  return createStore(dir, manifest, tasks);
}

/**
 * A profile's `engineBuild` becomes MIXLAB_NATIVE_BUILD for this process and its workers (set
 * before the engine is first chosen); the user's own MIXLAB_NATIVE_BUILD wins, with a line saying
 * that runs made now will not be bit-identical to the store's.
 */
function applyEngineBuild(exp: LoadedExperiment, log: (l: string) => void): void {
  if (!exp.engineBuild) return;
  const own = process.env.MIXLAB_NATIVE_BUILD;
  if (own === undefined || own === "") {
    process.env.MIXLAB_NATIVE_BUILD = exp.engineBuild;
  } else if (own !== exp.engineBuild) {
    log(`note: profile ${exp.profile} is made with the ${exp.engineBuild} native build; MIXLAB_NATIVE_BUILD=${own} is used instead, so runs made now will not match stored ones bit for bit`);
  }
}

/**
 * Run (or resume) an experiment. Returns what happened; throws `MixlabError` on bad input
 * before any work starts.
 *
 * @example
 * const r = await runExperiment({ config: "experiments/proxy-sweep-tiny.json", profile: "ci", workers: 2 });
 * r.done === r.total; // true
 */
export async function runExperiment(opts: RunExperimentOptions): Promise<RunExperimentResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const exp = typeof opts.config === "string" ? loadExperimentConfig(opts.config, opts.profile) : opts.config;
  applyEngineBuild(exp, log);
  const backend = await currentBackend(); // a bad MIXLAB_BACKEND fails here, before any work
  const requested = opts.out ? resolve(opts.out) : exp.results ? join(projectRoot(), exp.results) : defaultResultsDir(exp.name, exp.profile);
  const dir = opts.fresh ? freshDir(requested) : requested;
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new MixlabError("RESULTS_DIR_NOT_DIR", `--out ${dir} is a file, not a directory; choose another --out`);
  // One coordinator per store: a second `mixlab run` on it stops here with RESULTS_LOCKED.
  // Pool workers and Slurm array tasks (`mixlab run-task`) take no lock: each writes its own
  // run file atomically, and the lock is held while they run (and, with Slurm, waited for).
  const lock = acquireLock(dir, { code: "RESULTS_LOCKED", command: `mixlab run ${exp.file}${opts.profile ? ` --profile ${opts.profile}` : ""}`, log });
  try {
    return await runLocked(opts, exp, backend, dir, requested, log);
  } finally {
    lock.release();
  }
}

/** `runExperiment` holding the store's lock. */
async function runLocked(opts: RunExperimentOptions, exp: LoadedExperiment, backend: string, dir: string, requested: string, log: (l: string) => void): Promise<RunExperimentResult> {
  if (dir !== requested) log(`--fresh: writing to ${shown(dir)} (${shown(requested)} is kept as it is)`);
  const store = await createOrResume(exp, dir, log);

  // Verify what is there; corrupt files are reported, set aside and rerun.
  const scan = scanRuns(store);
  const corrupt = scan.corrupt.map(({ task, reason }) => {
    const movedTo = quarantineRun(store, task);
    log(`corrupt: ${task.id}: ${reason} — moved to ${relative(dir, movedTo)}, will rerun`);
    return { taskId: task.id, reason, movedTo };
  });
  const pending = [...scan.missing, ...scan.corrupt.map((c) => c.task)].map((t) => t.index).sort((a, b) => a - b);
  const total = store.tasks.length;
  const executor = opts.executor ?? "local";
  const workers = opts.workers ?? defaultWorkers(pending.length);
  log(`mixlab run: ${exp.name} (${exp.kind.name}, profile ${exp.profile}, seed ${store.manifest.resolvedSeed}, backend ${backend}) → ${shown(dir)}`);
  log(`${total} tasks: ${scan.done.length} done, ${pending.length} to run${executor === "local" ? ` on ${workers === 0 ? "this process" : `${workers} worker${workers === 1 ? "" : "s"}`}` : " via Slurm"}`);

  const result: RunExperimentResult = { dir, total, done: scan.done.length, ran: 0, corrupt, failed: [], blocked: [], missing: [], report: null };
  const idOf = (index: number) => store.tasks[index].id;

  if (pending.length > 0 && executor === "local") {
    const progress = createProgress(total, scan.done.length);
    const onEvent = (e: PoolEvent) => {
      if (e.type === "done") log(progress.finished(idOf(e.index), e.status === "ran" ? `ran in ${e.seconds.toFixed(1)}s` : "already done"));
      else if (e.type === "failed") log(`FAILED ${idOf(e.index)}: ${e.code ? `error[${e.code}]: ` : ""}${e.message}`);
      else if (e.type === "blocked") log(`BLOCKED ${e.message}`);
      else if (e.type === "log") log(`  ${idOf(e.index)}: ${e.message}`);
      else if (e.type === "worker-died") log(`worker ${e.pid} died on ${idOf(e.index)} (${e.signal ?? `exit ${e.exitCode}`})${e.requeued ? ", requeued" : ""}`);
    };
    const t0 = performance.now();
    const pool = await runLocalPool(dir, pending, { workers, keepGoing: opts.keepGoing, onEvent });
    result.ran = pool.ran;
    result.failed = pool.failed.map((f) => ({ taskId: idOf(f.index), code: f.code, message: f.message }));
    result.blocked = pool.blocked.map((b) => ({ taskId: idOf(b.index), dependency: idOf(b.dependency), message: b.message }));
    const blocked = pool.blocked.length ? `, ${pool.blocked.length} blocked by a failed dependency` : "";
    log(`${pool.ran} ran, ${pool.failed.length} failed${blocked}${pool.notStarted.length ? `, ${pool.notStarted.length} not started` : ""} in ${formatDuration((performance.now() - t0) / 1000)}`);
  } else if (pending.length > 0 && executor === "slurm") {
    const root = projectRoot();
    const { dryRun, wait = true, pollSeconds = 5, ...options } = opts.slurm ?? {};
    const levels = dependencyLevels(pending, (i) => store.tasks[i].after);
    const scripts = writeSbatchScripts({ dir, root, name: exp.name, levels, options });
    result.slurm = { script: scripts[0], levels: levels.map((indices, k) => ({ script: scripts[k], indices })) };
    const rel = shown(dir);
    if (dryRun) {
      if (scripts.length === 1) {
        log(`wrote ${shown(scripts[0])} (dry run: not submitted)`);
        log(`submit with: sbatch ${shown(scripts[0])}    collect with: npx mixlab report ${rel}`);
      } else {
        log(`wrote ${scripts.length} level scripts (dry run: not submitted): ${scripts.map((sc, k) => `${shown(sc)} (${levels[k].length} task${levels[k].length === 1 ? "" : "s"})`).join(", ")}`);
        log(`submit them in order from ${shown(root)} (or: bash ${shown(join(dir, "slurm", "submit.sh"))}):`);
        for (const c of sbatchCommands(scripts, root)) log(`  ${c}`);
        log(`collect with: npx mixlab report ${rel}`);
      }
    } else {
      const jobIds: string[] = [];
      for (let k = 0; k < scripts.length; k++) {
        const jobId = submitSbatch(scripts[k], root, { afterOk: jobIds[k - 1] });
        jobIds.push(jobId);
        result.slurm.levels[k].jobId = jobId;
        const n = levels[k].length;
        const what = scripts.length === 1 ? "" : ` (level ${k}${k > 0 ? `, after job ${jobIds[k - 1]} succeeds` : ""})`;
        log(`submitted Slurm job ${jobId}: array of ${n} task${n === 1 ? "" : "s"}${what} (${shown(scripts[k])})`);
      }
      result.slurm.jobId = jobIds[0];
      if (!wait) {
        log(`not waiting; follow with \`squeue -j ${jobIds.join(",")}\`, collect with: npx mixlab report ${rel}`);
      } else {
        const t0 = performance.now();
        let lastDone = -1;
        for (const jobId of jobIds) {
          await waitForSlurmJob(jobId, {
            pollSeconds,
            onPoll: (left) => {
              const done = scanRuns(store).done.length;
              if (done !== lastDone) {
                lastDone = done;
                log(`[${done}/${total}] ${left} array task${left === 1 ? "" : "s"} of job ${jobId} queued or running · ${formatDuration((performance.now() - t0) / 1000)}`);
              }
            },
          });
          if (slurmTasksLeft(jobId) !== 0) throw new MixlabError("SLURM_QUERY_FAILED", `job ${jobId} still in the queue`);
        }
      }
    }
  }

  // Collect: rebuild the report from whatever is on disk now.
  const after = scanRuns(store);
  result.done = after.done.length;
  result.missing = [...after.missing, ...after.corrupt.map((c) => c.task)].map((t) => t.id);
  if (executor === "slurm") result.ran = Math.max(0, after.done.length - scan.done.length);
  if (after.done.length > 0) {
    result.report = await buildReport(dir, { png: opts.png });
    log(`report: ${shown(result.report.path)} (${result.done}/${total} runs)`);
  }
  if (executor === "slurm" && result.missing.length > 0 && result.slurm?.jobId && (opts.slurm?.wait ?? true)) {
    const later = result.slurm.levels.length > 1 ? " (a failed task cancels every later level: afterok)" : "";
    log(`missing after the Slurm job${later ? "s" : ""}: ${result.missing.join(", ")}${later} — see ${shown(join(dir, "slurm", "logs"))}/`);
  }
  return result;
}
