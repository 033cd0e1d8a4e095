/**
 * The Chameleon study (issue 15): the paper's claims tested on mixlab's own runs — the
 * `chameleon-study` experiment kind runs the plan, the report recomputes the verdict table.
 *
 *   config.ts    the zod config, the task type, the comparison config of the pretraining stage
 *   plan.ts      tasks in run order, seeds, dependencies
 *   regime.ts    one regime proxy (train, embed, S) and the regime measures
 *   run.ts       how one task runs (each stage calls its experiment's code)
 *   runs.ts      finished runs grouped by stage
 *   claims.ts    runs → per-claim summaries → verdict rows (t intervals over paired seeds)
 *   report.ts, figures.ts   the markdown, CSV tables and figures
 */
export { chameleonStudySchema, studyCompareConfig, proxyFlops, STUDY_METHODS, STUDY_EXTRA_METHODS, CHAMELEON_ARMS, type ChameleonStudyConfig, type ChameleonStudyTask, type StudyMethod } from "./config.js";
export { studyTasks, studyDependencies, studySeeds, studyDomains } from "./plan.js";
export { runRegimeProxy, regimeMeasures, type RegimeRun, type RegimeMeasures } from "./regime.js";
export { runStudyTask, transferConfig, transferredMixture, type TransferFinal, type StudyResult, type StudyDependency } from "./run.js";
export { studyRuns, comparisonArmsOf, type ChameleonStudyRuns } from "./runs.js";
export { analyseChameleonStudy, officialReference, type ChameleonStudyAnalysis, type ArmSummary, type RegimeSummary } from "./claims.js";
export { chameleonStudyMarkdown, chameleonStudyTables, findings, stageProgress, studyTables } from "./report.js";
export { studyFigures } from "./figures.js";
