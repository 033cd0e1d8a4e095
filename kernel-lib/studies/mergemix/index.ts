/**
 * The MergeMix study (issue 16 §2): the paper's claims tested on mixlab's own runs — the
 * `mergemix-study` experiment kind runs the plan, the report recomputes the verdict table.
 *
 *   config.ts    the zod config, the task type, the arms, the suites' specs
 *   suites.ts    the choose and the judge suite (one function), the suite's two halves
 *   plan.ts      tasks in run order, seeds, expert groups per kind, the grid, dependencies
 *   models.ts    the base's and experts' weights beside the store (sha256-checked, retrained when missing)
 *   run.ts       how one task runs (MergeMix's steps, the comparison's final models)
 *   runs.ts      finished runs grouped by stage
 *   claims.ts    runs → per-claim summaries → verdict rows (bootstrap over mixtures, t over seeds, exact FLOPs)
 *   report.ts, figures.ts   the markdown, CSV tables and figures
 *   budget.ts    the plan's wall time at the measured training rates
 */
export { mergeMixStudySchema, studySuiteSpecs, finalsConfig, mergemixArm, EXPERT_KINDS, EXPERT_KIND_LABELS, BASELINE_ARMS, SCALE_BASELINES, ARM_LABELS, type MergeMixStudyConfig, type MergeMixStudyTask, type ExpertKind, type FinalArm, type BaselineArm, type GridFamily } from "./config.js";
export { studySuites, suiteHalves } from "./suites.js";
export { studyTasks, studyDependencies, studySeeds, studyGroups, studyGrid, studyArms, type GridMixture } from "./plan.js";
export { modelFile, modelSha256, saveStudyModel, loadStudyModel, type ModelRef } from "./models.js";
export { runStudyTask, judgeModel, bestTrained, searchObjective, type JudgedModel, type BaseRun, type ExpertRun, type TrainedRun, type MergedRun, type SearchRun, type FinalRun, type StudyResult, type StudyDependency } from "./run.js";
export { studyRuns, type MergeMixStudyRuns } from "./runs.js";
export { analyseMergeMixStudy, type MergeMixStudyAnalysis, type ConsistencySummary, type SuiteEvidenceRow, type ArmSummary, type FinalsSummary, type CostSummary } from "./claims.js";
export { mergeMixStudyMarkdown, mergeMixStudyTables, findings, stageProgress, studyTables } from "./report.js";
export { studyFigures } from "./figures.js";
export { taskSeconds, studyWallSeconds, SUITE_SCORING_FACTOR } from "./budget.js";
