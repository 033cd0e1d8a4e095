/**
 * The downstream suite: multiple-choice tasks built from held-out text, scored by
 * log-likelihood (acc / acc_norm), grouped into capabilities.
 */
export type { ChoiceItem, ChoiceTask, ChoiceQuery, ChoiceScorer, BatchChoiceScorer, SuiteScorer, SuiteMetric, TaskKind, ItemTokens } from "./types.js";
export { DEFAULT_TEXT_TASK_OPTIONS, type TextTaskOptions } from "./tasks/options.js";
export { buildSuite, suiteConfig, defaultTaskSpecs, describeSuite, type Suite, type SuiteConfig, type SuiteCorpus, type TaskSpec, type TaskSummary } from "./build.js";
export { SUITE_ROLES, roleParts, roleSource, generatedRole, generatedSource, type SuiteRole, type TaskSource } from "./roles.js";
export { scoreTasks, scoreItems, taskScoresFrom, itemHalf, itemCredit, itemCredits, choiceProbability, TIE_TOLERANCE, type TaskScore } from "./score.js";
export { kindCapabilities, capabilityScores, capabilityOf, normalisedAccuracy, suiteUtility, type CapabilityMap, type CapabilityScore } from "./capabilities.js";
export { fitByteNgram, ngramScorer, type ByteNgram } from "./ngram-scorer.js";
export { evaluateSuite, type SuiteResult } from "./evaluate.js";
export { modelScorer } from "./model-scorer.js";
export { encodePair, encodeItem, withItemTokens, type ItemEncoder } from "./tokens.js";
export { suiteReliability, reliabilityMixtures, type ScoredModel, type CapabilityReliability, type SuiteReliability } from "./reliability.js";
