/**
 * Regression metrics used to score fitted regressors (RegMix reports Spearman ×100 between
 * predicted and observed validation losses). All take two equal-length numeric arrays
 * (`predicted`, `observed`); a length mismatch or fewer than 2 points is a `MixlabError`.
 */
import { MixlabError } from "../util/errors.js";

function checkPair(a: ArrayLike<number>, b: ArrayLike<number>, name: string, minLen: number): void {
  if (a.length !== b.length) throw new MixlabError("METRIC_LENGTH_MISMATCH", `${name}: arrays have lengths ${a.length} and ${b.length}`);
  if (a.length < minLen) throw new MixlabError("METRIC_TOO_FEW_POINTS", `${name}: needs at least ${minLen} points, got ${a.length}`);
}

/**
 * Ranks 1..n with ties given their average rank (scipy.stats.rankdata "average").
 *
 * @example
 * averageRanks([10, 20, 20, 5]); // Float64Array [2, 3.5, 3.5, 1]
 */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => x[i] - x[j] || i - j);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && x[order[j]] === x[order[i]]) j++;
    // positions i..j-1 (0-based) share rank mean(i+1..j) = (i + 1 + j) / 2
    const r = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]] = r;
    i = j;
  }
  return ranks;
}

/**
 * Pearson correlation coefficient (two-pass, centred sums). A constant input gives NaN, as
 * scipy does.
 *
 * @example
 * pearson([1, 2, 3], [2, 4, 7]); // 0.9933992677987828
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(a, b, "pearson", 2);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return NaN;
  const r = sab / Math.sqrt(saa * sbb);
  return Math.max(-1, Math.min(1, r));
}

/**
 * Spearman rank correlation: Pearson correlation of average ranks (ties share their mean rank,
 * matching scipy.stats.spearmanr).
 *
 * @example
 * spearman([1, 2, 3, 4], [10, 20, 20, 40]); // 0.9486832980505138
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPair(a, b, "spearman", 2);
  return pearson(averageRanks(a), averageRanks(b));
}

/**
 * Spearman–Brown step-up of a reliability r to that of a test k times as long, kr/(1+(k−1)r):
 * k = 2 (the default) takes a split-half correlation to the whole test's reliability, 2r/(1+r);
 * k seeds averaged, from the seed-to-seed correlation r of one run. For r ≥ 0; a negative r
 * means no reliability and is returned as it is (stepping it up is meaningless).
 *
 * @example
 * spearmanBrown(0.6); // 0.75
 * spearmanBrown(0.5, 3); // 0.75
 */
export function spearmanBrown(r: number, k = 2): number {
  return r >= 0 ? (k * r) / (1 + (k - 1) * r) : r;
}

/**
 * Mean squared error.
 *
 * @example
 * mse([1, 2], [1, 4]); // 2
 */
export function mse(predicted: ArrayLike<number>, observed: ArrayLike<number>): number {
  checkPair(predicted, observed, "mse", 1);
  let s = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = predicted[i] - observed[i];
    s += d * d;
  }
  return s / predicted.length;
}

/**
 * Mean absolute error.
 *
 * @example
 * mae([1, 2], [1, 4]); // 1
 */
export function mae(predicted: ArrayLike<number>, observed: ArrayLike<number>): number {
  checkPair(predicted, observed, "mae", 1);
  let s = 0;
  for (let i = 0; i < predicted.length; i++) s += Math.abs(predicted[i] - observed[i]);
  return s / predicted.length;
}

/**
 * Coefficient of determination R² = 1 − Σ(observed − predicted)² / Σ(observed − mean)², as
 * sklearn's `r2_score` (and Olmix's `calculate_r_squared`): 1 is a perfect fit, 0 the mean's,
 * negative worse than the mean. A constant `observed` gives NaN.
 *
 * @example
 * r2([1, 2, 3], [1, 2, 4]); // 1 − 1 / (14/3) ≈ 0.7857
 */
export function r2(predicted: ArrayLike<number>, observed: ArrayLike<number>): number {
  checkPair(predicted, observed, "r2", 2);
  const n = observed.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += observed[i];
  m /= n;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (observed[i] - predicted[i]) ** 2;
    ssTot += (observed[i] - m) ** 2;
  }
  return ssTot === 0 ? NaN : 1 - ssRes / ssTot;
}
