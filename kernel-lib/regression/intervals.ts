/**
 * 95 % intervals for the studies' claims: a percentile bootstrap over units (mixtures, proxies)
 * for statistics such as a Spearman correlation, and Student's t interval for a mean over a
 * few seeds (the t quantile from @stdlib, not a table).
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { createRng } from "../util/rng.js";
import { MixlabError } from "../util/errors.js";

/** A point estimate with its interval. */
export interface Interval {
  /** the statistic on the data as observed */
  value: number;
  lo: number;
  hi: number;
  /** units resampled (bootstrap) or averaged (t) */
  n: number;
}

export interface BootstrapOptions {
  /** resamples (default 2000) */
  resamples?: number;
  seed: number;
  /** coverage (default 0.95) */
  level?: number;
}

/** The q-quantile of sorted values, linear between order statistics (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q, i = Math.floor(h), f = h - i;
  return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * Percentile bootstrap of `statistic` over `n` units: each resample draws n unit indices with
 * replacement and calls `statistic(indices)`; the interval is the (1±level)/2 quantiles of the
 * resampled values. Resamples where the statistic is not finite (e.g. a Spearman correlation
 * of a resample whose values are all tied) are skipped. Deterministic in `seed`.
 *
 * @example
 * const x = [1, 2, 3, 4, 5];
 * bootstrapInterval(x.length, (idx) => idx.reduce((s, i) => s + x[i], 0) / idx.length, { seed: 1 });
 * // { value: 3, lo: ≈1.8, hi: ≈4.2, n: 5 }
 */
export function bootstrapInterval(n: number, statistic: (indices: Int32Array) => number, opts: BootstrapOptions): Interval {
  return bootstrapIntervals(n, (idx) => [statistic(idx)], opts)[0];
}

/**
 * {@link bootstrapInterval} of several statistics computed together on each resample (when
 * they share expensive work, e.g. one regression fit per resample).
 *
 * @example
 * const [mean, max] = bootstrapIntervals(x.length, (idx) => [meanOf(idx), maxOf(idx)], { seed: 1 });
 */
export function bootstrapIntervals(n: number, statistics: (indices: Int32Array) => readonly number[], opts: BootstrapOptions): Interval[] {
  const level = opts.level ?? 0.95;
  return bootstrapDistributions(n, statistics, opts).map((d) => percentileInterval(d, level));
}

/** A statistic's percentile-bootstrap distribution: what an interval at any level, or a p-value, is read from. */
export interface BootstrapDistribution {
  /** the statistic on the data as observed */
  value: number;
  /** the finite resampled values, ascending */
  replicates: readonly number[];
  /** units resampled */
  n: number;
}

/**
 * The resampled values behind {@link bootstrapIntervals} (the same draws: the same seed gives
 * the same intervals), kept so that intervals at other levels (a multiplicity-corrected
 * family) and p-values can be read from one set of resamples. `opts.level` is not used.
 *
 * @example
 * const [d] = bootstrapDistributions(x.length, (idx) => [meanOf(idx)], { seed: 1 });
 * percentileInterval(d, 0.99);
 */
export function bootstrapDistributions(n: number, statistics: (indices: Int32Array) => readonly number[], opts: BootstrapOptions): BootstrapDistribution[] {
  if (!Number.isInteger(n) || n < 2) throw new MixlabError("STATS_TOO_FEW", `a bootstrap needs at least 2 units, got ${n}`);
  const B = opts.resamples ?? 2000;
  const observed = statistics(Int32Array.from({ length: n }, (_, i) => i));
  const rng = createRng(opts.seed);
  const values = observed.map(() => [] as number[]);
  const idx = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    statistics(idx).forEach((v, k) => { if (Number.isFinite(v)) values[k].push(v); });
  }
  return observed.map((value, k) => ({ value, replicates: values[k].sort((a, b) => a - b), n }));
}

/**
 * The (1±level)/2 quantiles of a bootstrap distribution.
 *
 * @example
 * percentileInterval({ value: 2, replicates: [1, 2, 3, 4, 5], n: 5 }, 0.5); // { value: 2, lo: 2, hi: 4, n: 5 }
 */
export function percentileInterval(d: BootstrapDistribution, level = 0.95): Interval {
  return { value: d.value, lo: quantileSorted(d.replicates, (1 - level) / 2), hi: quantileSorted(d.replicates, (1 + level) / 2), n: d.n };
}

/**
 * Mean and sample standard deviation.
 *
 * @example
 * meanSd([1, 2, 3]); // { mean: 2, sd: 1 }
 */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  return { mean, sd };
}

/**
 * Student's t interval of a mean: mean ± t(1−(1−level)/2, n−1) · sd/√n — for a mean over a few
 * seeds, where a bootstrap has too few distinct resamples.
 *
 * @example
 * tInterval([1, 2, 3]); // { value: 2, lo: 2 − 4.303·1/√3 ≈ −0.484, hi: ≈ 4.484, n: 3 }
 */
export function tInterval(xs: readonly number[], level = 0.95): Interval {
  if (xs.length < 2) throw new MixlabError("STATS_TOO_FEW", `a t interval needs at least 2 values, got ${xs.length}`);
  const { mean, sd } = meanSd(xs);
  const half = tQuantile(1 - (1 - level) / 2, xs.length - 1) * sd / Math.sqrt(xs.length);
  return { value: mean, lo: mean - half, hi: mean + half, n: xs.length };
}
