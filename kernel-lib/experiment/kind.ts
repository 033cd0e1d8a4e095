/**
 * The contract every experiment kind fulfils. The kit (config loading, result store,
 * executors, report) is generic; a kind says what a config of its kind looks like, how it
 * splits into independent tasks, how one task runs, and how finished runs become a report.
 *
 * A kind module exports one `ExperimentKind` value and is listed in `kinds/index.ts`.
 *
 * Tasks run independently unless the kind declares `dependencies`: then a task waits for the
 * tasks it names (the executors hand it out, or submit it, only after their verified results
 * exist) and receives their runs in `TaskContext.dependencies`.
 */
import type { z } from "zod";
import type { Json } from "./json.js";
import type { Manifest } from "./manifest.js";
import type { EngineBuild } from "../model/engine.js";

/** One unit of work of a sweep, identified by `id`; it waits only for the tasks in `after`. */
export interface Task<P extends Json = Json> {
  /** stable id, `run-0000`, `run-0001`, … (the position in the plan, zero-padded) */
  id: string;
  /** position in the plan (also the Slurm array index) */
  index: number;
  /** per-task seed: `deriveSeed(resolvedSeed, id)` — independent of execution order */
  seed: number;
  /** what the kind's `plan` returned for this task */
  params: P;
  /** indices of the tasks this one waits for (sorted, each < `index`; empty when none) */
  after: number[];
}

/** What `plan` is told besides the config. */
export interface PlanContext {
  /** the experiment's resolved seed (from the config, or drawn once and recorded) */
  seed: number;
  /** the profile applied to the config ("base" when none) */
  profile: string;
}

/** What `runTask` is told besides the config and the task. */
export interface TaskContext {
  /** the results directory of the experiment (absolute) */
  resultsDir: string;
  /** a progress line for humans (the worker forwards it to the runner's output) */
  log(message: string): void;
  /**
   * the verified finished runs of the tasks in `task.after`, sorted by index (read from the
   * store by whichever process runs the task); empty for a task without dependencies
   */
  dependencies: RunRecord[];
}

/** A finished run as stored in `runs/<id>.json` (its checksum already verified). */
export interface RunRecord<P extends Json = Json, R extends Json = Json> {
  taskId: string;
  index: number;
  seed: number;
  params: P;
  result: R;
  meta: RunMeta;
}

/** Facts about how a run was produced; not part of the result (timings differ run to run). */
export interface RunMeta {
  seconds: number;
  finishedAt: string;
  host: string;
  pid: number;
  backend: string;
  /** the engine's compiled build (absent in records written before builds were recorded, and for tfjs engines) */
  engineBuild?: EngineBuild;
  executor: "inline" | "local" | "slurm";
  /** `SLURM_ARRAY_JOB_ID_SLURM_ARRAY_TASK_ID` when run by Slurm */
  slurmJob?: string;
}

/** What `report` is told besides the config and the finished runs. */
export interface ReportContext {
  /** the results directory; a kind may write figures under `<outDir>/figures/` */
  outDir: string;
  manifest: Manifest;
  /** number of planned tasks (runs.length < total while a sweep is unfinished) */
  total: number;
  /** PNG copies of figures (viz `savePlot`): "auto" = when Chromium is installed */
  png: boolean | "auto";
}

/** A kind's part of the report: markdown sections and extra CSV tables. */
export interface KindReport {
  /** markdown appended after the kit's header (run counts, seed, commit, backend) */
  markdown: string;
  /** file name (e.g. "validation_loss.csv") → CSV text, written next to report.md */
  tables?: Record<string, string>;
}

/**
 * An experiment kind. `C` is the kind's config (its fields only: the kit strips `kind`,
 * `version`, `name`, `description`, `seed` and `profiles` before parsing with `schema`),
 * `P` a task's params, `R` a run's result.
 */
export interface ExperimentKind<C = unknown, P extends Json = Json, R extends Json = Json> {
  /** the `"kind"` value in config files */
  name: string;
  /** one line for `mixlab run --help` and experiments/README.md */
  summary: string;
  /** strict zod schema of the kind's fields (unknown keys must fail) */
  schema: z.ZodType<C>;
  /** split the experiment into tasks; must be deterministic in (config, ctx.seed) */
  plan(config: C, ctx: PlanContext): P[] | Promise<P[]>;
  /**
   * Optional: for each planned task (same order and length as `params`), the indices of the
   * tasks it waits for. Each index must be smaller than the task's own (the plan order is
   * topological), else the run stops with PLAN_BAD_DEPENDENCY before any work. Omitted: all
   * tasks are independent.
   *
   * @example
   * // tasks 0..63 are proxies, task 64 fits on all of them
   * dependencies: (_config, params) => params.map((p) => (p.step === "fit" ? [...Array(64).keys()] : [])),
   */
  dependencies?(config: C, params: readonly P[]): readonly (readonly number[])[];
  /** run one task; same (config, task) → same result on the same backend */
  runTask(config: C, task: Task<P>, ctx: TaskContext): Promise<R>;
  /** turn finished runs (sorted by index, possibly fewer than planned) into a report */
  report(config: C, runs: RunRecord<P, R>[], ctx: ReportContext): KindReport | Promise<KindReport>;
  /** optional facts recorded in the manifest's `inputs` (e.g. corpus path and checksum) */
  describeInputs?(config: C): Json | Promise<Json>;
}

/**
 * An experiment kind with its type parameters erased, as the registry holds it. (Methods are
 * declared with method syntax, so any `ExperimentKind<C, P, R>` is assignable to this. Declare
 * `P` and `R` with `type`, not `interface`, so they are assignable to `Json`.)
 */
export type AnyExperimentKind = ExperimentKind<unknown, Json, Json>;

/**
 * Identity function that checks a kind against the interface and keeps its type parameters.
 *
 * @example
 * export const myKind = defineKind({ name: "my-kind", summary: "…", schema, plan, runTask, report });
 */
export function defineKind<C, P extends Json, R extends Json>(kind: ExperimentKind<C, P, R>): ExperimentKind<C, P, R> {
  return kind;
}
