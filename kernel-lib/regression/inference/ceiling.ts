/**
 * Noise ceilings for rank-correlation claims: how high a correlation between two measurements
 * of the same models can be when each measurement is noisy, and the claim judged against it.
 *
 * Reliability. Two runs of the same n models that differ only in their seed are parallel
 * measurements; the correlation of their scores, r, estimates the reliability of one run (the
 * share of its variance that is the models' own; classical test theory). With several repeats,
 * `seedAgreement` takes the Spearman ρ of every pair of repeats and their mean (also min and
 * max: the spread shows how much one pair says). A score averaged over k repeats has the
 * Spearman–Brown reliability k·r/(1 + (k − 1)·r) (`spearmanBrown(r, k)` in metrics.ts);
 * a split-half reliability of a suite (MergeMix's judge suite) is already stepped up to the
 * whole suite.
 *
 * Ceiling. Noise that is independent between two measurements a and b attenuates their
 * correlation: ρ_observed = ρ_true·√(rel_a·rel_b) (Spearman 1904, Am. J. Psychol. 15, 72–101),
 * so √(rel_a·rel_b) is the highest correlation the data allow even when the true orders are
 * identical — the "noise ceiling" (Nili et al. 2014, PLoS Comput. Biol. 10, e1003553, for
 * rank correlations between model and data). With one side measured (the other has no repeats
 * yet), √rel_a is an upper bound of the ceiling (rel_b ≤ 1) and is labelled so; with neither,
 * the ceiling is "not measured".
 *
 * The claim against it. "The ranking is kept (true ρ ≥ t)" is "observed ρ ≥ t·ceiling": the
 * observed interval divided by the ceiling (the disattenuated ρ; ends clipped to [−1, 1], where
 * a value above 1 is sampling error in ρ or in the reliability) is judged against t. The
 * ceiling is taken as known — its own sampling error is not in the interval, so a ceiling from
 * two repeats is rough; the row shows it. `atCeiling`: the observed interval reaches the
 * ceiling (ρ is as high as the noise allows).
 */
import { MixlabError } from "../../util/errors.js";
import type { Interval } from "../intervals.js";
import { spearman } from "../metrics.js";
import { verdictAbove, type Verdict } from "../verdicts.js";

/** The seed-to-seed agreement of the same models. */
export interface SeedAgreement {
  /** ρ of every pair of repeats (indices into the repeats) */
  pairs: { a: number; b: number; rho: number }[];
  /** mean over pairs: the reliability of one run */
  mean: number;
  min: number;
  max: number;
  models: number;
  repeats: number;
}

/**
 * Rank agreement between repeats of the same models: `repeats[k][i]` is repeat k's score of
 * model i (every repeat scores the same models in the same order).
 *
 * @example
 * seedAgreement([[1, 2, 3, 4], [1, 3, 2, 4]]); // { mean: 0.8, pairs: [{ a: 0, b: 1, rho: 0.8 }], … }
 */
export function seedAgreement(repeats: readonly (readonly number[])[]): SeedAgreement {
  if (repeats.length < 2) throw new MixlabError("STATS_TOO_FEW", `seed agreement needs at least 2 repeats, got ${repeats.length}`);
  const models = repeats[0].length;
  if (models < 3) throw new MixlabError("STATS_TOO_FEW", `seed agreement needs at least 3 models, got ${models}`);
  repeats.forEach((r, k) => { if (r.length !== models) throw new MixlabError("METRIC_LENGTH_MISMATCH", `repeat ${k} scores ${r.length} models, repeat 0 scores ${models}`); });
  const pairs: SeedAgreement["pairs"] = [];
  for (let a = 0; a < repeats.length; a++) for (let b = a + 1; b < repeats.length; b++) pairs.push({ a, b, rho: spearman(repeats[a], repeats[b]) });
  const rhos = pairs.map((x) => x.rho);
  return { pairs, mean: rhos.reduce((s, x) => s + x, 0) / rhos.length, min: Math.min(...rhos), max: Math.max(...rhos), models, repeats: repeats.length };
}

/** The highest correlation two noisy measurements allow. */
export interface NoiseCeiling {
  /** null: not measured */
  ceiling: number | null;
  basis: "√(rel_a·rel_b)" | "√rel_a (one side measured; an upper bound)" | "not measured";
  reliabilities: { a: number | null; b: number | null };
}

/**
 * The attenuation ceiling √(rel_a·rel_b) of two measurements' reliabilities (null: that side
 * has no repeats). A reliability ≤ 0 counts as 0 (no signal: ceiling 0).
 *
 * @example
 * noiseCeiling(0.81, 0.64).ceiling; // 0.72
 * noiseCeiling(0.81, null); // { ceiling: 0.9, basis: "√rel_a (one side measured; an upper bound)", … }
 */
export function noiseCeiling(relA: number | null, relB: number | null): NoiseCeiling {
  for (const r of [relA, relB]) if (r !== null && !(r <= 1)) throw new MixlabError("STATS_BAD_RELIABILITY", `a reliability is at most 1, got ${r}`);
  const reliabilities = { a: relA, b: relB };
  const known = [relA, relB].filter((r): r is number => r !== null).map((r) => Math.max(0, r));
  if (known.length === 0) return { ceiling: null, basis: "not measured", reliabilities };
  if (known.length === 1) return { ceiling: Math.sqrt(known[0]), basis: "√rel_a (one side measured; an upper bound)", reliabilities };
  return { ceiling: Math.sqrt(known[0] * known[1]), basis: "√(rel_a·rel_b)", reliabilities };
}

/** A rank-correlation claim judged against its noise ceiling. */
export interface CeilingJudgement {
  ceiling: NoiseCeiling;
  /** the observed interval ÷ the ceiling, clipped to [−1, 1] (null: not measured, or a zero ceiling) */
  disattenuated: Interval | null;
  verdict: Verdict | "not measured";
  /** the observed interval reaches the ceiling (null: not measured) */
  atCeiling: boolean | null;
}

const clip = (x: number) => Math.max(-1, Math.min(1, x));

/**
 * "True ρ ≥ threshold", judged on the observed interval over the ceiling.
 *
 * @example
 * judgeAgainstCeiling({ value: 0.9, lo: 0.8, hi: 0.95, n: 12 }, noiseCeiling(0.86, 0.86), 0.9).verdict; // "holds" (raw: "inconclusive")
 */
export function judgeAgainstCeiling(rho: Interval, ceiling: NoiseCeiling, threshold: number): CeilingJudgement {
  const c = ceiling.ceiling;
  if (c === null) return { ceiling, disattenuated: null, verdict: "not measured", atCeiling: null };
  if (c === 0) return { ceiling, disattenuated: null, verdict: "inconclusive", atCeiling: rho.hi >= 0 };
  const disattenuated = { ...rho, value: clip(rho.value / c), lo: clip(rho.lo / c), hi: clip(rho.hi / c) };
  return { ceiling, disattenuated, verdict: verdictAbove(disattenuated, threshold), atCeiling: rho.hi >= c };
}

/**
 * The ceiling for a table cell.
 *
 * @example
 * formatCeiling(judgeAgainstCeiling({ value: 0.9, lo: 0.8, hi: 0.95, n: 12 }, noiseCeiling(0.86, null), 0.8));
 * // "0.927 (√rel_a (one side measured; an upper bound)); ρ/ceiling 0.970 [0.863, 1.000]: holds"
 */
export function formatCeiling(j: CeilingJudgement, digits = 3): string {
  const c = j.ceiling.ceiling;
  if (c === null) return "not measured";
  const d = j.disattenuated;
  const f = (x: number) => x.toFixed(digits);
  return `${f(c)} (${j.ceiling.basis}); ρ/ceiling ${d ? `${f(d.value)} [${f(d.lo)}, ${f(d.hi)}]` : "—"}: ${j.verdict}`;
}
