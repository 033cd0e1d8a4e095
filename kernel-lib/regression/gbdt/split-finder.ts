/**
 * Best threshold of one feature in one leaf, scanned as LightGBM does for a numerical feature
 * without missing values (`FeatureHistogram::FindBestThresholdSequentially`, REVERSE = true):
 * bins are moved to the right child from the highest down; a threshold t sends bins ≤ t left.
 * Gain of a split = G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (L1-thresholded G when λ₁ > 0);
 * only thresholds with ≥ minData rows and ≥ minHessian on both sides count, and on equal gains
 * the first one met (the highest threshold) wins — it decides where empty bins go.
 */

/** Split constraints and regularisation (from {@link GbdtOptions}). */
export interface SplitConfig {
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  lambdaL1: number;
  lambdaL2: number;
  minGainToSplit: number;
}

function thresholdL1(s: number, l1: number): number {
  const r = Math.abs(s) - l1;
  return r > 0 ? (s > 0 ? r : -r) : 0;
}

/**
 * Leaf objective term G²/(H+λ₂) (with L1 soft-thresholding), as LightGBM `GetLeafGain`.
 *
 * @example
 * leafGain(-4, 8, 0, 0); // 2
 */
export function leafGain(sumGrad: number, sumHess: number, l1: number, l2: number): number {
  const g = l1 > 0 ? thresholdL1(sumGrad, l1) : sumGrad;
  return (g * g) / (sumHess + l2);
}

/**
 * Leaf output −G/(H+λ₂) (LightGBM `CalculateSplittedLeafOutput`).
 *
 * @example
 * leafOutput(-4, 8, 0, 0); // 0.5
 */
export function leafOutput(sumGrad: number, sumHess: number, l1: number, l2: number): number {
  const g = l1 > 0 ? thresholdL1(sumGrad, l1) : sumGrad;
  return -g / (sumHess + l2);
}

/** Result slots of {@link findBestThreshold} in its `out` array. */
export const SPLIT_GAIN = 0;
export const SPLIT_THRESHOLD_BIN = 1;
export const SPLIT_LEFT_SUM_GRAD = 2;
export const SPLIT_LEFT_COUNT = 3;

/**
 * Scan one feature's histogram (bins at `hist[base + 2b]`, b < numBins) of a leaf with gradient
 * sum `sumGrad` and `count` rows. Writes the best split (gain relative to not splitting) into
 * `out` and returns whether any threshold passed the constraints with a positive gain
 * (LightGBM's `is_splittable`). Bin 0 is never read: the left side is leaf − right.
 *
 * @example
 * const out = new Float64Array(4);
 * findBestThreshold(hist, 2 * ds.binOffset[f], ds.mappers[f].numBins, G, n, cfg, out); // out[SPLIT_GAIN] …
 */
export function findBestThreshold(hist: Float64Array, base: number, numBins: number, sumGrad: number, count: number, cfg: SplitConfig, out: Float64Array): boolean {
  const { minDataInLeaf: minData, minSumHessianInLeaf: minHess, lambdaL1: l1, lambdaL2: l2 } = cfg;
  const minGainShift = leafGain(sumGrad, count, l1, l2) + cfg.minGainToSplit;
  let bestGain = -Infinity;
  let bestThreshold = numBins;
  let bestLeftGrad = NaN;
  let bestLeftCount = 0;
  let splittable = false;
  let rightGrad = 0;
  let rightCount = 0;
  for (let t = numBins - 1; t >= 1; t--) {
    const p = base + 2 * t;
    const c = hist[p + 1];
    const g = hist[p];
    // An empty bin with an exactly-zero gradient sum changes nothing: same sums, same gain (not
    // strictly better), same continue/break as the previous threshold — skip it. (A count-0 bin
    // with a tiny nonzero gradient left over from subtraction is not skipped: LightGBM adds it.)
    if (c === 0 && g === 0) continue;
    rightGrad += g;
    rightCount += c;
    if (rightCount < minData || rightCount < minHess) continue;
    const leftCount = count - rightCount;
    if (leftCount < minData || leftCount < minHess) break;
    const leftGrad = sumGrad - rightGrad;
    let gain: number;
    if (l1 > 0) {
      gain = leafGain(leftGrad, leftCount, l1, l2) + leafGain(rightGrad, rightCount, l1, l2);
    } else {
      gain = (leftGrad * leftGrad) / (leftCount + l2) + (rightGrad * rightGrad) / (rightCount + l2);
    }
    if (gain <= minGainShift) continue;
    splittable = true;
    if (gain > bestGain) {
      bestGain = gain;
      bestThreshold = t - 1;
      bestLeftGrad = leftGrad;
      bestLeftCount = leftCount;
    }
  }
  out[0] = splittable ? bestGain - minGainShift : -Infinity; // SPLIT_GAIN
  out[1] = bestThreshold; // SPLIT_THRESHOLD_BIN
  out[2] = bestLeftGrad; // SPLIT_LEFT_SUM_GRAD
  out[3] = bestLeftCount; // SPLIT_LEFT_COUNT
  return splittable;
}
