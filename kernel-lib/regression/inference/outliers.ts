/**
 * Outlier flags for the seeds of an arm: shown beside the verdict, never dropped (a dropped
 * seed would change the interval the verdict rests on; a flagged one tells the reader which
 * seed to look at — one seed at 2.472 nats beside seven at 2.198–2.229 is a diverged run or a
 * different regime, not noise).
 *
 * Rule (Hampel's identifier; Leys et al. 2013, J. Exp. Soc. Psychol. 49, 764–766): with the
 * median m and the median absolute deviation MAD = median |xᵢ − m|, a value is flagged when
 *   |xᵢ − m| > k · 1.4826 · MAD        (k = 3 by default).
 * The MAD is *scaled*: 1.4826 = 1/Φ⁻¹(3/4) makes 1.4826·MAD a consistent estimate of the
 * standard deviation for normal data (Rousseeuw & Croux 1993, JASA 88, 1273–1283), so "3 MADs"
 * means about 3 standard deviations of the well-behaved seeds; `scale: 1` gives the raw MAD.
 * The median and MAD ignore up to half the values, so the outlier does not hide itself by
 * inflating the spread (as it does with mean ± 3 sd: with 8 seeds no value can be more than
 * (n − 1)/√n = 2.47 sample sd from the mean). MAD = 0 (more than half the values equal):
 * every value off the median is flagged.
 */
import { MixlabError } from "../../util/errors.js";
import { quantileSorted } from "../intervals.js";

/** 1/Φ⁻¹(3/4): the MAD → standard deviation factor for normal data. */
export const MAD_NORMAL_SCALE = 1.482602218505602;

export interface OutlierFlag {
  /** position in the values */
  index: number;
  value: number;
  /** |value − median| in scaled MADs (Infinity when the MAD is 0) */
  distance: number;
}

export interface MadOutliers {
  median: number;
  mad: number;
  /** scale · MAD */
  scaledMad: number;
  k: number;
  flagged: OutlierFlag[];
  n: number;
}

const median = (xs: readonly number[]) => quantileSorted([...xs].sort((a, b) => a - b), 0.5);

/**
 * Values more than k scaled MADs from the median (at least 3 values).
 *
 * @example
 * madOutliers([2.198, 2.203, 2.207, 2.212, 2.216, 2.221, 2.229, 2.472]).flagged;
 * // [{ index: 7, value: 2.472, distance: 19.3 }]: median 2.214, MAD 0.009
 */
export function madOutliers(values: readonly number[], opts: { k?: number; scale?: number } = {}): MadOutliers {
  if (values.length < 3) throw new MixlabError("STATS_TOO_FEW", `outlier flags need at least 3 values, got ${values.length}`);
  for (const x of values) if (!Number.isFinite(x)) throw new MixlabError("STATS_NOT_FINITE", `outlier flags need finite values, got ${x}`);
  const k = opts.k ?? 3, scale = opts.scale ?? MAD_NORMAL_SCALE;
  if (!(k > 0) || !(scale > 0)) throw new MixlabError("STATS_BAD_OPTION", `k and scale must be > 0, got k = ${k}, scale = ${scale}`);
  const m = median(values);
  const mad = median(values.map((x) => Math.abs(x - m)));
  const scaledMad = scale * mad;
  const flagged = values.flatMap((value, index) => {
    const dev = Math.abs(value - m);
    const distance = scaledMad > 0 ? dev / scaledMad : dev > 0 ? Infinity : 0;
    return distance > k ? [{ index, value, distance }] : [];
  });
  return { median: m, mad, scaledMad, k, flagged, n: values.length };
}

/**
 * {@link madOutliers} of each arm's seeds (arms with fewer than 3 seeds are left out).
 *
 * @example
 * armOutliers({ uniform: [2.21, 2.20, 2.47, 2.22], regmix: [2.18, 2.19, 2.17] });
 */
export function armOutliers(arms: Readonly<Record<string, readonly number[]>>, opts: { k?: number; scale?: number } = {}): Record<string, MadOutliers> {
  return Object.fromEntries(Object.entries(arms).filter(([, xs]) => xs.length >= 3).map(([arm, xs]) => [arm, madOutliers(xs, opts)]));
}

/**
 * The outlier column: "uniform seed 3: 2.472 (19.3 MADs)" per flag, "none" when nothing is
 * flagged. `label(arm, index)` names a seed (default "seed <index>").
 *
 * @example
 * formatOutliers(armOutliers(arms), (arm, i) => `${arm} seed ${seeds[i]}`);
 */
export function formatOutliers(arms: Readonly<Record<string, MadOutliers>>, label: (arm: string, index: number) => string = (arm, i) => `${arm} seed ${i}`, digits = 3): string {
  const flags = Object.entries(arms).flatMap(([arm, o]) => o.flagged.map((f) => `${label(arm, f.index)}: ${f.value.toFixed(digits)} (${Number.isFinite(f.distance) ? f.distance.toFixed(1) : "∞"} MADs)`));
  return flags.length ? flags.join("; ") : "none";
}
