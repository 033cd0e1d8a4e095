/**
 * ADO's mixture from the fitted laws (yidingjiang/ado `src/data_selectors/ado.py`,
 * `AdoSelector.curr_dist` and `clip_min_probability`), at step t with n samples seen:
 *
 *   credit   π̃_k = max(α_k, 0.05) · (L_k(n) − ε_k) / n · ρ_k · h_k^0.5
 *            (the law's slope −dL/dn, times the token prior ρ and the recent sampling history h)
 *   π        = clip_min_probability(π̃ / Σ π̃, 1e-2)
 *   p        = 0.9 · p̄ + 0.1 · π,    then p̄ ← (1 − 1/(t+1)) · p̄ + π/(t+1)
 *
 * n is the same for every domain: the official selector counts every sample of a step for
 * every domain (`use_same_step_size=True`).
 */
import type { AdoSpec } from "./config.js";
import { scalingLaw, type ScalingLaw } from "./scaling-law.js";

/**
 * `clip_min_probability`: scale, floor every entry at `min`, renormalise.
 *
 * @example
 * clipMinProbability([0.995, 0.005], 0.01); // [0.99005, 0.00995] (floored, then renormalised)
 */
export function clipMinProbability(p: ArrayLike<number>, min: number): Float64Array {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += p[i];
  const deficit = Math.max(min * p.length - sum, 0);
  const scale = (1 - deficit) / sum;
  const clipped = Float64Array.from(p, (x) => Math.max(x * scale, min));
  const total = clipped.reduce((a, x) => a + x, 0);
  return clipped.map((x) => x / total);
}

/**
 * The credit of each domain, normalised (before the floor): the `curr_dist` instant distribution.
 *
 * @example
 * adoCredit(laws, 1e4, prior, history, spec);
 */
export function adoCredit(laws: readonly ScalingLaw[], n: number, prior: ArrayLike<number>, history: ArrayLike<number>, spec: Pick<AdoSpec, "minExponent" | "historyPower">): Float64Array {
  const raw = Float64Array.from(laws, (law, k) => {
    const slope = (Math.max(law.alpha, spec.minExponent) * (scalingLaw(law, n) - Math.exp(law.e))) / n;
    return slope * prior[k] * history[k] ** spec.historyPower;
  });
  const total = raw.reduce((a, x) => a + x, 0);
  return raw.map((x) => x / total);
}

/**
 * One `curr_dist` step: the mixture p and the new running average p̄.
 *
 * @example
 * const { p, pAvg } = adoStep(laws, n, prior, history, pAvg, t, spec);
 */
export function adoStep(laws: readonly ScalingLaw[], n: number, prior: ArrayLike<number>, history: ArrayLike<number>, pAvg: Float64Array, t: number, spec: AdoSpec): { p: Float64Array; pAvg: Float64Array } {
  const pi = clipMinProbability(adoCredit(laws, n, prior, history, spec), spec.minProb);
  const p = pAvg.map((x, k) => spec.smoothing * x + (1 - spec.smoothing) * pi[k]);
  const next = pAvg.map((x, k) => (1 - 1 / (t + 1)) * x + (1 / (t + 1)) * pi[k]);
  return { p, pAvg: next };
}
