/**
 * Histogram gradient-boosted trees, LightGBM-equivalent for the L2 objective (see the files:
 * binning → dataset → histogram/split-finder → grow-tree → booster → model/flat-predictor).
 */
export { fitGbdt, type EvalSet } from "./booster.js";
export { GbdtModel, type GbdtModelJson, type TreeJson } from "./model.js";
export { GBDT_DEFAULTS, resolveGbdtOptions, type GbdtOptions, type EvalMetric } from "./options.js";
export { compileForest, predictForest, predictForestOne, predictForestPlain, type FlatForest } from "./flat-predictor.js";
export { findBins, valueToBin, nextUp, ZERO_THRESHOLD, type BinMapper } from "./binning.js";
export { treeValue, type Tree } from "./tree.js";
