/**
 * Options of the histogram GBDT. Defaults are LightGBM's defaults as RegMix calls them
 * (`LGBMRegressor(objective="regression", learning_rate=1e-2, num_iterations=1000, seed=42)` with
 * `early_stopping(stopping_rounds=3)` on an eval set whose metrics are `[l1, l2]`). Names follow
 * LightGBM's parameters in camelCase.
 */
import { MixlabError } from "../../util/errors.js";

/** Early-stopping metrics (mean absolute / mean squared error on the eval set). */
export type EvalMetric = "l1" | "l2";

/** Every knob of {@link fitGbdt}. */
export interface GbdtOptions {
  /** Shrinkage per tree (LightGBM `learning_rate`; RegMix uses 0.01). */
  learningRate: number;
  /** Boosting rounds (LightGBM `num_iterations`; RegMix: 1000). */
  numRounds: number;
  /** Max leaves per tree, grown best-first (LightGBM `num_leaves`). */
  numLeaves: number;
  /** Max depth; ≤ 0 means unlimited (LightGBM `max_depth` = -1). */
  maxDepth: number;
  /** Min rows in a leaf (`min_data_in_leaf`). */
  minDataInLeaf: number;
  /** Min hessian sum in a leaf (`min_sum_hessian_in_leaf`; with L2 the hessian is the row count). */
  minSumHessianInLeaf: number;
  /** Max histogram bins per feature (`max_bin`). */
  maxBin: number;
  /** Min rows per bin when building bin boundaries (`min_data_in_bin`). */
  minDataInBin: number;
  /** Drop features that cannot be split under `minDataInLeaf` (`feature_pre_filter`). */
  featurePreFilter: boolean;
  /** L1 / L2 regularisation of leaf values (`lambda_l1`, `lambda_l2`). */
  lambdaL1: number;
  lambdaL2: number;
  /** Min gain to make a split (`min_gain_to_split`). */
  minGainToSplit: number;
  /** Fraction of features sampled per tree (`feature_fraction`; 1 = all, no randomness). */
  featureFraction: number;
  /** Fraction of rows sampled every `baggingFreq` rounds (`bagging_fraction`; off unless < 1 and freq > 0). */
  baggingFraction: number;
  baggingFreq: number;
  /** Start from the mean of y (`boost_from_average`). */
  boostFromAverage: boolean;
  /** Stop when an eval metric has not improved for this many rounds (0 = never); needs an eval set. */
  earlyStoppingRounds: number;
  /** Metrics checked for early stopping, in order (the Python callback stops on the first that stalls). */
  evalMetrics: EvalMetric[];
  /** Seed of feature / row sampling (irrelevant when both fractions are 1). */
  seed: number;
}

/** RegMix's LightGBM call, written out. */
export const GBDT_DEFAULTS: Readonly<GbdtOptions> = Object.freeze({
  learningRate: 0.01,
  numRounds: 1000,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 20,
  minSumHessianInLeaf: 1e-3,
  maxBin: 255,
  minDataInBin: 3,
  featurePreFilter: true,
  lambdaL1: 0,
  lambdaL2: 0,
  minGainToSplit: 0,
  featureFraction: 1,
  baggingFraction: 1,
  baggingFreq: 0,
  boostFromAverage: true,
  earlyStoppingRounds: 3,
  evalMetrics: ["l1", "l2"] as EvalMetric[],
  seed: 42,
});

/**
 * Merge user options over the defaults and check ranges (`GBDT_BAD_OPTION` on a bad value).
 *
 * @example
 * resolveGbdtOptions({ numRounds: 200 }).numLeaves; // 31
 */
export function resolveGbdtOptions(opts: Partial<GbdtOptions> = {}): GbdtOptions {
  const o: GbdtOptions = { ...GBDT_DEFAULTS, evalMetrics: [...GBDT_DEFAULTS.evalMetrics], ...opts };
  const bad = (name: string, why: string): never => {
    throw new MixlabError("GBDT_BAD_OPTION", `${name} = ${String((o as unknown as Record<string, unknown>)[name])}: ${why}`);
  };
  if (!(o.learningRate > 0)) bad("learningRate", "must be > 0");
  if (!Number.isInteger(o.numRounds) || o.numRounds < 1) bad("numRounds", "must be an integer ≥ 1");
  if (!Number.isInteger(o.numLeaves) || o.numLeaves < 2) bad("numLeaves", "must be an integer ≥ 2");
  if (!Number.isInteger(o.maxDepth)) bad("maxDepth", "must be an integer");
  if (!Number.isInteger(o.minDataInLeaf) || o.minDataInLeaf < 1) bad("minDataInLeaf", "must be an integer ≥ 1");
  if (!(o.minSumHessianInLeaf >= 0)) bad("minSumHessianInLeaf", "must be ≥ 0");
  if (!Number.isInteger(o.maxBin) || o.maxBin < 2 || o.maxBin > 65535) bad("maxBin", "must be an integer in [2, 65535]");
  if (!Number.isInteger(o.minDataInBin) || o.minDataInBin < 1) bad("minDataInBin", "must be an integer ≥ 1");
  if (!(o.lambdaL1 >= 0)) bad("lambdaL1", "must be ≥ 0");
  if (!(o.lambdaL2 >= 0)) bad("lambdaL2", "must be ≥ 0");
  if (!(o.minGainToSplit >= 0)) bad("minGainToSplit", "must be ≥ 0");
  if (!(o.featureFraction > 0 && o.featureFraction <= 1)) bad("featureFraction", "must be in (0, 1]");
  if (!(o.baggingFraction > 0 && o.baggingFraction <= 1)) bad("baggingFraction", "must be in (0, 1]");
  if (!Number.isInteger(o.baggingFreq) || o.baggingFreq < 0) bad("baggingFreq", "must be an integer ≥ 0");
  if (!Number.isInteger(o.earlyStoppingRounds) || o.earlyStoppingRounds < 0) bad("earlyStoppingRounds", "must be an integer ≥ 0");
  if (!Array.isArray(o.evalMetrics) || o.evalMetrics.length === 0 || o.evalMetrics.some((m) => m !== "l1" && m !== "l2")) {
    bad("evalMetrics", 'must be a non-empty list of "l1" / "l2"');
  }
  if (!Number.isInteger(o.seed)) bad("seed", "must be an integer");
  return o;
}
