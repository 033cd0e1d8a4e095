/**
 * RegMix (Liu et al., 2024, "RegMix: Data Mixture as Regression for Language Model
 * Pre-training"), in the paper's step order:
 *   1. mixtures  — sample training mixtures around the token prior (synthesize_mixture.py)
 *   2. sweep     — train one small proxy per mixture (experiment kit), export RegMix's CSVs
 *   3. fit       — mixture → target loss (fit.ts: the GBDT with LightGBM's defaults, OLS, from
 *                  kernel-lib/regression), scored on held-out proxies (choose.ts)
 *   4. simulate  — predict many candidate mixtures, average the top k
 *   5. experiment — held-out scores, the chosen mixture, the final comparison table
 * plus the repository's released runs (released.ts) for reproduction.
 */
export { sampleRegmixMixtures, logSpaced, roundToGrid, REGMIX_SAMPLER_DEFAULTS, type MixtureSamplerOptions } from "./mixtures.js";
export {
  mixtureColumn, lossColumn, regmixMixturesCsv, regmixLossesCsv,
  readRegmixTables, sweepDesign, mixtureDesign, targetLosses,
  type SweepRow, type RegmixTable,
} from "./sweep.js";
export { simulateWithBounds, capProportionally, type BoundedSimulation } from "./simulate-bounds.js";
export { simulateRegmix, sampleDirichletInto, sampleConstrainedInto, SIMULATE_DEFAULTS, type SimulateOptions, type SimulationResult, type FlatPredictor } from "./simulate.js";
export { fitRegmix, fitRegmixRegressor, regmixGbdtOptions, regmixLeafSize, checkRegressorRanks, REGMIX_GBDT_PRESETS, type RegmixFitOptions, type RegmixGbdtPreset, type RegmixRegressor } from "./fit.js";
export { analyseSweep, analyseDesign, chooseRegmixMixture, chooseTarget, lossTable, DEFAULT_TARGET, MEAN_TARGET, type AnalyseOptions, type DesignAnalyseOptions, type RegmixAnalysis, type RegmixDesign, type RegressorScore, type FinalRun } from "./choose.js";
export { loadReleasedRegmixRuns, releasedDir, RELEASED_DOMAIN_PREFIX, type ReleasedRegmixRuns, type ReleasedSimulation } from "./released.js";
export { heldOutScatter, simulatedLossHistogram, chosenWeightsBars } from "./figures.js";
