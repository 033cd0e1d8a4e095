/**
 * Regression layer shared by the methods: mixture → metric regressors (OLS, histogram GBDT,
 * Olmix's log-linear mixing law) behind one interface, the swarm CSVs they are fitted to, the
 * objective across targets, and the metrics used to judge them.
 */
export type { FeatureMatrix } from "./design.js";
export { fitLinear, linearFromJSON, type LinearModel, type LinearModelJson, type LinearOptions } from "./linear.js";
export {
  fitGbdt, GbdtModel, GBDT_DEFAULTS, resolveGbdtOptions, compileForest, predictForest, predictForestOne, predictForestPlain,
  findBins, valueToBin, nextUp, treeValue,
  type EvalSet, type GbdtModelJson, type GbdtOptions, type EvalMetric, type FlatForest, type BinMapper, type Tree,
} from "./gbdt/index.js";
export { spearman, spearmanBrown, pearson, mse, mae, r2, averageRanks } from "./metrics.js";
export { fitLogLinear, logLinearFromJSON, huberLossAndGradient, LOG_LINEAR_DEFAULTS, type LogLinearModel, type LogLinearModelJson, type LogLinearOptions, type LogLinearFitStats } from "./log-linear.js";
export { minimiseNewton, NEWTON_DEFAULTS, type NewtonOptions, type NewtonResult, type ValueGradientHessian } from "./newton.js";
export { fitRegressor, regressorFromJSON, parseRegressionKind, REGRESSION_KINDS, type Regressor, type RegressorJson, type RegressionKind, type RegressorOptions } from "./regressor.js";
export { readSwarmCsv, familyTargets, metricTargets, SWARM_SUM_TOLERANCE, SWARM_ID_COLUMNS, type Swarm, type SwarmTargets, type ReadSwarmOptions } from "./swarm.js";
export { objectiveWeights, objectivePredictor } from "./objective.js";
