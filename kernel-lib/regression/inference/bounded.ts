/**
 * Intervals that stay inside a quantity's range: shares and probabilities in [0, 1],
 * correlations in [−1, 1].
 *
 * A mean over a few seeds (3–5) has too few distinct bootstrap resamples (3 seeds: 10) for a
 * percentile interval, and Student's t interval mean ± t·sd/√n is symmetric, so it runs past
 * the bound: three largest weights 0.953 / 0.474 / 0.960 give 0.796 [0.103, 1.488]. Here the t
 * interval is built on the logit of the value's position in its range [a, b],
 *   g(x) = ln((x − a)/(b − x)),   mean m and sd s of g(xᵢ),   m ± t(1−α/2, n−1)·s/√n,
 * and mapped back with g⁻¹(y) = a + (b − a)/(1 + e^(−y)), which is monotone, so the ends stay in
 * (a, b) and the interval is asymmetric where the data sit near a bound. For [0, 1] that is the
 * logit; for [−1, 1] it is ln((1 + r)/(1 − r)) = 2·atanh(r), Fisher's z up to a factor that a t
 * interval does not see. The interval is for g⁻¹(E[g(x)]), a centre on the logit scale, so
 * `value` is g⁻¹(m) (always inside the interval) and the plain mean is kept beside it.
 * A value on a bound has an infinite logit: it is an error unless `eps` pulls it in by
 * eps·(b − a).
 *
 * Over units that are resampled (mixtures, proxies), the percentile bootstrap of
 * `intervals.ts` already respects the range: its ends are values of the statistic (Efron &
 * Tibshirani, An Introduction to the Bootstrap, 1993, ch. 13: the percentile interval respects
 * transformations and ranges). For one correlation over n units without resampling,
 * {@link fisherZInterval}: tanh(atanh r ± z(1−α/2)·se), se = 1/√(n − 3) for Pearson (Fisher
 * 1921) and √((1 + r²/2)/(n − 3)) for Spearman (Bonett & Wright 2000, Psychometrika 65, 23–28).
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { MixlabError } from "../../util/errors.js";
import { meanSd, type Interval } from "../intervals.js";
import { normalQuantile } from "./distributions.js";

/** The closed range a quantity lives in. */
export interface Range {
  lo: number;
  hi: number;
}

/** Shares, weights, probabilities, accuracies. */
export const SHARE: Range = { lo: 0, hi: 1 };
/** Correlation coefficients (Pearson, Spearman). */
export const CORRELATION: Range = { lo: -1, hi: 1 };

/** An interval on the logit scale of a range, with the plain mean of the values beside its centre. */
export interface BoundedInterval extends Interval {
  /** the arithmetic mean of the values (value is the centre on the logit scale, g⁻¹(mean g)) */
  mean: number;
}

function checkRange(r: Range): void {
  if (!(Number.isFinite(r.lo) && Number.isFinite(r.hi) && r.lo < r.hi)) throw new MixlabError("STATS_BAD_RANGE", `a range needs finite lo < hi, got [${r.lo}, ${r.hi}]`);
}

/**
 * g(x) = ln((x − a)/(b − x)), the logit of x's position in [a, b]. `eps` (default 0: none)
 * pulls values on a bound in by eps·(b − a); a value outside the range, or on it without eps,
 * is `STATS_OUT_OF_RANGE`.
 *
 * @example
 * rangeLogit(0.75, SHARE); // ln 3 ≈ 1.0986
 * rangeLogit(0.5, CORRELATION); // 2·atanh(0.5) = ln 3
 */
export function rangeLogit(x: number, range: Range, eps = 0): number {
  checkRange(range);
  const w = range.hi - range.lo;
  if (!(x >= range.lo && x <= range.hi)) throw new MixlabError("STATS_OUT_OF_RANGE", `${x} is outside [${range.lo}, ${range.hi}]`);
  const y = Math.min(range.hi - eps * w, Math.max(range.lo + eps * w, x));
  if (y <= range.lo || y >= range.hi) {
    throw new MixlabError("STATS_OUT_OF_RANGE", `${x} is on a bound of [${range.lo}, ${range.hi}]: its logit is infinite (pass eps to pull it in, or bootstrap over units)`);
  }
  return Math.log((y - range.lo) / (range.hi - y));
}

/**
 * g⁻¹(y) = a + (b − a)/(1 + e^(−y)), back from the logit scale into [a, b].
 *
 * @example
 * rangeExpit(Math.log(3), SHARE); // 0.75
 */
export function rangeExpit(y: number, range: Range): number {
  return range.lo + (range.hi - range.lo) / (1 + Math.exp(-y));
}

/**
 * Student's t interval on the logit scale of `range`, mapped back (see the header): for a
 * share or a correlation averaged over a few seeds.
 *
 * @example
 * boundedTInterval([0.953, 0.474, 0.960], SHARE);
 * // { value: 0.884, lo: 0.071, hi: 0.9987, mean: 0.796, n: 3 } — the t interval is [0.103, 1.488]
 */
export function boundedTInterval(values: readonly number[], range: Range, level = 0.95, eps = 0): BoundedInterval {
  if (values.length < 2) throw new MixlabError("STATS_TOO_FEW", `a t interval needs at least 2 values, got ${values.length}`);
  const g = values.map((x) => rangeLogit(x, range, eps));
  const { mean: m, sd } = meanSd(g);
  const half = tQuantile(1 - (1 - level) / 2, values.length - 1) * sd / Math.sqrt(values.length);
  return { value: rangeExpit(m, range), lo: rangeExpit(m - half, range), hi: rangeExpit(m + half, range), n: values.length, mean: meanSd(values).mean };
}

/**
 * Interval of one correlation coefficient r over n units on Fisher's z scale (n ≥ 4). r = ±1
 * gives the degenerate interval [r, r].
 *
 * @example
 * fisherZInterval(0.5, 28); // { value: 0.5, lo: 0.1560, hi: 0.7358, n: 28 }: tanh(atanh 0.5 ± 1.96/5)
 */
export function fisherZInterval(r: number, n: number, opts: { level?: number; kind?: "pearson" | "spearman" } = {}): Interval {
  if (!Number.isInteger(n) || n < 4) throw new MixlabError("STATS_TOO_FEW", `a Fisher z interval needs at least 4 units, got ${n}`);
  if (!(r >= -1 && r <= 1)) throw new MixlabError("STATS_OUT_OF_RANGE", `a correlation must be in [−1, 1], got ${r}`);
  const level = opts.level ?? 0.95;
  const se = opts.kind === "spearman" ? Math.sqrt((1 + (r * r) / 2) / (n - 3)) : 1 / Math.sqrt(n - 3);
  const z = Math.atanh(r), q = normalQuantile(1 - (1 - level) / 2);
  return { value: r, lo: Math.tanh(z - q * se), hi: Math.tanh(z + q * se), n };
}
