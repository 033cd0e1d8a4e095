/**
 * Run one planned task of a results directory — the single code path behind
 * `mixlab run-task`, every local pool worker and every Slurm array task.
 */
import { hostname } from "node:os";
import { resolve } from "node:path";
import { MixlabError } from "../util/errors.js";
import { currentBackend, currentEngineBuild } from "./backend.js";
import type { Json } from "./json.js";
import type { AnyExperimentKind, RunMeta, RunRecord, Task } from "./kind.js";
import { getKind } from "./registry.js";
import { openStore, quarantineRun, readRun, writeRun, type Store } from "./store.js";

/** Keys of `manifest.config` that belong to the kit, not to the kind's schema. */
const KIT_KEYS = new Set(["kind", "version", "name", "profile", "seed", "description"]);

/** A results directory opened for running tasks: the store, its kind, the parsed fields. */
export interface TaskRunner {
  store: Store;
  kind: AnyExperimentKind;
  /** the kind's config fields, re-parsed from the manifest by the kind's schema */
  fields: unknown;
}

/** What happened to one task. */
export interface TaskOutcome {
  taskId: string;
  index: number;
  /** "skipped": a verified result was already there; "ran": it ran now */
  status: "skipped" | "ran";
  /** set when a corrupt run file was found and moved aside before rerunning */
  corrupt?: { reason: string; movedTo: string };
  record: RunRecord;
  seconds: number;
}

/**
 * Open a results directory for running tasks.
 *
 * @example
 * const runner = openTaskRunner("results/proxy-sweep-tiny-ci");
 */
export function openTaskRunner(dir: string): TaskRunner {
  const store = openStore(resolve(dir));
  const kind = getKind(store.manifest.kind, `${dir}/manifest.json`);
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(store.manifest.config)) if (!KIT_KEYS.has(k)) own[k] = v;
  const parsed = kind.schema.safeParse(own);
  if (!parsed.success) {
    throw new MixlabError("RESULTS_BAD_MANIFEST", `${dir}/manifest.json: its config no longer validates for kind "${kind.name}" (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`);
  }
  return { store, kind, fields: parsed.data };
}

/**
 * The verified runs of the tasks `task` waits for, sorted by index. TASK_DEPENDENCY_MISSING
 * names those without a verified result (the executors never start such a task; this guards
 * `mixlab run-task` called by hand).
 *
 * @example
 * dependencyRuns(store, store.tasks[70]).map((r) => r.taskId); // ["run-0000", …, "run-0063"]
 */
export function dependencyRuns(store: Store, task: Task): RunRecord[] {
  const records: RunRecord[] = [];
  const lacking: string[] = [];
  for (const d of [...task.after].sort((a, b) => a - b)) {
    const dep = store.tasks[d];
    const s = dep ? readRun(store, dep) : ({ status: "missing" } as const);
    if (s.status === "done") records.push(s.record);
    else lacking.push(`${dep?.id ?? `#${d}`} (${s.status === "corrupt" ? `corrupt: ${s.reason}` : "no result"})`);
  }
  if (lacking.length > 0) {
    throw new MixlabError("TASK_DEPENDENCY_MISSING", `${task.id} waits for ${lacking.join(", ")}; run those first (\`mixlab run\` orders tasks by their dependencies)`);
  }
  return records;
}

/**
 * Run the task at `index` unless a verified result exists; a corrupt result is moved aside
 * (reported in the outcome) and the task reruns.
 *
 * @example
 * const out = await runTaskAt(openTaskRunner("results/x"), 3, { executor: "local" });
 * out.status; // "ran" or "skipped"
 */
export async function runTaskAt(
  runner: TaskRunner,
  index: number,
  opts: { executor: RunMeta["executor"]; log?: (message: string) => void },
): Promise<TaskOutcome> {
  const { store, kind, fields } = runner;
  const task = store.tasks[index];
  if (!Number.isInteger(index) || !task) {
    throw new MixlabError("TASK_INDEX_OUT_OF_RANGE", `task index ${index} is not in 0..${store.tasks.length - 1} (${store.dir})`);
  }
  const before = readRun(store, task);
  if (before.status === "done") return { taskId: task.id, index, status: "skipped", record: before.record, seconds: 0 };
  let corrupt: TaskOutcome["corrupt"];
  if (before.status === "corrupt") corrupt = { reason: before.reason, movedTo: quarantineRun(store, task) };

  const dependencies = dependencyRuns(store, task);
  const t0 = performance.now();
  const result: Json = await kind.runTask(fields, task, { resultsDir: store.dir, log: opts.log ?? (() => {}), dependencies });
  const seconds = (performance.now() - t0) / 1000;
  const meta: RunMeta = {
    seconds: Math.round(seconds * 1000) / 1000,
    finishedAt: new Date().toISOString(),
    host: hostname(),
    pid: process.pid,
    backend: await currentBackend(),
    executor: opts.executor,
  };
  const build = await currentEngineBuild();
  if (build) meta.engineBuild = build;
  if (process.env.SLURM_ARRAY_JOB_ID) meta.slurmJob = `${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID ?? "?"}`;
  const record = writeRun(store, task, result, meta);
  return { taskId: task.id, index, status: "ran", corrupt, record, seconds };
}
