/**
 * MergeMix (arXiv 2601.17858) in its paper's order: experts from a shared base, weighted
 * merging, downstream suite, GBDT surrogates + simplex search, cost, rank consistency.
 */
export { DEFAULT_EXPERT_GROUPS, resolveGroups, groupMixture, alphaToMixture, type ExpertGroups } from "./groups.js";
export { trainExperts, type Expert } from "./experts.js";
export { evaluateModel, evaluateMerge, scoreRow, suiteCapabilities, type ModelEvaluation, type ScoreRow } from "./evaluate.js";
export { simplexGrid, seedAlphas, DEFAULT_SEED_OPTIONS, type SeedOptions } from "./seeds.js";
export { fitSurrogates, surrogateCrossValidation, MERGEMIX_GBDT, type CapabilitySurrogates } from "./surrogate.js";
export { searchSimplex, DEFAULT_SEARCH_OPTIONS, type SimplexSearchOptions, type SimplexSearchResult } from "./search.js";
export { rankConsistency, rankShifts, splitHalfReliability, splitHalfReliabilityOf, type ConsistencyPoint, type ConsistencyRow, type RankShift } from "./consistency.js";
export { mergeMixCost, mixtureTrainingCost, suiteTokens, type CostRow, type MergeMixSpend } from "./cost.js";
export { mergeMixSchema, parseMergeMixConfig, mergeMixRecipes, type MergeMixConfig, type MergeMixSettings } from "./config.js";
export { runMergeMix, searchMergeWeights, evaluateAlpha, type MergeMixResult, type EvaluatedAlpha, type ConsistencyStudy, type RunHooks, type MergeSearchInputs, type MergeSearchResult } from "./run.js";
export { mergeMixReport, consistencyTable, costTable } from "./report.js";
export { utilityTernary, searchSurface, surfaceTernary, consistencyScatter, chosenMixtureBars, simplexSlice, type SearchView, type SearchSurface } from "./figures.js";
