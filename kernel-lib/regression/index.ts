/**
 * Regression layer shared by RegMix and MergeMix: mixture → loss regressors (OLS, histogram
 * GBDT) and the metrics used to judge them.
 */
export type { FeatureMatrix } from "./design.js";
export { fitLinear, linearFromJSON, type LinearModel, type LinearModelJson, type LinearOptions } from "./linear.js";
export {
  fitGbdt, GbdtModel, GBDT_DEFAULTS, resolveGbdtOptions, compileForest, predictForest, predictForestOne, predictForestPlain,
  findBins, valueToBin, nextUp, treeValue,
  type EvalSet, type GbdtModelJson, type GbdtOptions, type EvalMetric, type FlatForest, type BinMapper, type Tree,
} from "./gbdt/index.js";
export { spearman, spearmanBrown, pearson, mse, mae, averageRanks } from "./metrics.js";
