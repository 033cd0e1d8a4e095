/**
 * The contract every experiment kind fulfils. The kit (config loading, result store,
 * executors, report) is generic; a kind says what a config of its kind looks like, how it
 * splits into independent tasks, how one task runs, and how finished runs become a report.
 *
 * A kind module exports one `ExperimentKind` value and is listed in `kinds/index.ts`.
 */
import type { z } from "zod";
import type { Json } from "./json.js";
import type { Manifest } from "./manifest.js";

/** One unit of work of a sweep: independent of every other task, identified by `id`. */
export interface Task<P extends Json = Json> {
  /** stable id, `run-0000`, `run-0001`, … (the position in the plan, zero-padded) */
  id: string;
  /** position in the plan (also the Slurm array index) */
  index: number;
  /** per-task seed: `deriveSeed(resolvedSeed, id)` — independent of execution order */
  seed: number;
  /** what the kind's `plan` returned for this task */
  params: P;
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
