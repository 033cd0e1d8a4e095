/**
 * A pretraining temperature fitted to the leverage scores at hand — NOT part of the official
 * method (which fixes τ_pt = 5); an option of mixlab's experiments, reported as such.
 *
 * Why: τ_pt = 5 was set for 7 SlimPajama domains embedded by GPT-2, where the normalised scores
 * lie in a narrow band (≈ 0.09–0.22 in the official figure) and the logits 1/(5S) span ≈ 1.4
 * nats: the largest pretraining weight is ≈ 4× the smallest. With more domains, or a small
 * proxy whose centred kernel is tiny next to the ridge λk (then S ∝ ‖xᵢ − x̄‖², which spans
 * orders of magnitude), 1/S spans hundreds and softmax((1/S)/5) puts all weight on the single
 * most central domain. Choosing τ so that max α / min α equals a given ratio keeps the method's
 * ordering (lower leverage → higher weight) at the official example's dynamic range.
 *
 * Since α_i ∝ exp(1/(τ(S_i + ε))), max α / min α = exp((1/S_min − 1/S_max)/τ), so
 *   τ = (1/(S_min + ε) − 1/(S_max + ε)) / ln(ratio).
 */
import { MixlabError } from "../util/errors.js";

/** Max/min pretraining weight of the official worked example (0.2756 / 0.0676). */
export const OFFICIAL_PT_WEIGHT_RATIO = 0.2756 / 0.0676;

/**
 * τ_pt that makes max α / min α = `ratio` for normalised leverage scores S.
 * Errors: `BAD_TEMPERATURE` (ratio ≤ 1 or not finite), `DEGENERATE_KERNEL` (all scores equal:
 * any τ gives uniform weights).
 *
 * @example
 * ptTemperatureForRatio(Float64Array.of(0.25, 0.75), Math.E); // 1/0.25 − 1/0.75 = 2.667
 */
export function ptTemperatureForRatio(S: ArrayLike<number>, ratio: number, epsilon = 1e-12): number {
  if (!Number.isFinite(ratio) || ratio <= 1) throw new MixlabError("BAD_TEMPERATURE", `weight ratio must be a finite number > 1, got ${ratio}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < S.length; i++) {
    if (!Number.isFinite(S[i]) || S[i] < 0) throw new MixlabError("NON_FINITE", `leverage[${i}] is ${S[i]}`);
    lo = Math.min(lo, S[i]);
    hi = Math.max(hi, S[i]);
  }
  const spread = 1 / (lo + epsilon) - 1 / (hi + epsilon);
  if (!(spread > 0)) throw new MixlabError("DEGENERATE_KERNEL", "all leverage scores are equal: no temperature changes the (uniform) weights");
  return spread / Math.log(ratio);
}
