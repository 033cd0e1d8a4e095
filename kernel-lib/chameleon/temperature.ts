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

/**
 * Max/min pretraining weight of the official worked example (0.2756 / 0.0676): the official
 * pipeline (λ = 10, τ_pt = 5) run on the affinity matrix printed in the official repository's
 * pipeline figure. Not the paper's reported mixture: its weight tables were not obtained
 * (datasets/reference/chameleon/SOURCE.md); this example is the official code's own regime.
 */
export const OFFICIAL_PT_WEIGHT_RATIO = 0.2756 / 0.0676;

/**
 * That worked example's raw leverage scores S_i = [K_c (K_c + 70 I)⁻¹]_ii (7 SlimPajama domains,
 * 4 decimals; datasets/reference/chameleon/worked_example_from_figure_matrix.csv `krls_raw`,
 * checked against it by test/studies/chameleon.test.ts). Normalised and put through
 * softmax((1/S)/5) they give max/min weight ≈ 4.08 — where `OFFICIAL_PT_WEIGHT_RATIO` comes from —
 * and the study's reference row of the official regime (S spread, effective dimension Σ S_raw).
 */
export const OFFICIAL_EXAMPLE = Object.freeze({
  domains: Object.freeze(["arxiv", "book", "cc", "c4", "github", "stackexchange", "wikipedia"]),
  leverageRaw: Object.freeze([0.3388, 0.2093, 0.1773, 0.1479, 0.2784, 0.1916, 0.3748]),
  lambda: 10,
});

/** The smallest and largest of the normalised leverage scores S, after checking `ratio` > 1 and S finite and ≥ 0. */
function scoreRange(S: ArrayLike<number>, ratio: number): { lo: number; hi: number } {
  if (!Number.isFinite(ratio) || ratio <= 1) throw new MixlabError("BAD_TEMPERATURE", `weight ratio must be a finite number > 1, got ${ratio}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < S.length; i++) {
    if (!Number.isFinite(S[i]) || S[i] < 0) throw new MixlabError("NON_FINITE", `leverage[${i}] is ${S[i]}`);
    lo = Math.min(lo, S[i]);
    hi = Math.max(hi, S[i]);
  }
  return { lo, hi };
}

/**
 * τ_pt that makes max α / min α = `ratio` for normalised leverage scores S.
 * Errors: `BAD_TEMPERATURE` (ratio ≤ 1 or not finite), `DEGENERATE_KERNEL` (all scores equal:
 * any τ gives uniform weights).
 *
 * @example
 * ptTemperatureForRatio(Float64Array.of(0.25, 0.75), Math.E); // 1/0.25 − 1/0.75 = 2.667
 */
export function ptTemperatureForRatio(S: ArrayLike<number>, ratio: number, epsilon = 1e-12): number {
  const { lo, hi } = scoreRange(S, ratio);
  const spread = 1 / (lo + epsilon) - 1 / (hi + epsilon);
  if (!(spread > 0)) throw new MixlabError("DEGENERATE_KERNEL", "all leverage scores are equal: no temperature changes the (uniform) weights");
  return spread / Math.log(ratio);
}

/**
 * τ_ft that makes max α / min α = `ratio` for finetuning weights α = softmax(S/τ) over
 * normalised leverage scores S — the pretraining rule (`ptTemperatureForRatio`) for the FT
 * logits: max α / min α = exp((S_max − S_min)/τ), so τ = (S_max − S_min) / ln(ratio). NOT part
 * of the official method (τ_ft = 0.2). Errors: `BAD_TEMPERATURE`, `NON_FINITE`, `DEGENERATE_KERNEL`.
 *
 * @example
 * ftTemperatureForRatio(Float64Array.of(0.25, 0.75), Math.E); // 0.5
 */
export function ftTemperatureForRatio(S: ArrayLike<number>, ratio: number): number {
  const { lo, hi } = scoreRange(S, ratio);
  if (!(hi - lo > 0)) throw new MixlabError("DEGENERATE_KERNEL", "all leverage scores are equal: no temperature changes the (uniform) weights");
  return (hi - lo) / Math.log(ratio);
}

/**
 * Max/min finetuning weight of the official worked example: its normalised leverage scores
 * (`OFFICIAL_EXAMPLE`) through softmax(S/0.2), exp((S_max − S_min)/0.2) ≈ 1.935 — the FT
 * counterpart of `OFFICIAL_PT_WEIGHT_RATIO`, the range a fitted τ_ft reproduces. (The example's
 * leverage scores themselves spread 0.3748/0.1479 ≈ 2.5×.)
 */
export const OFFICIAL_FT_WEIGHT_RATIO = (() => {
  const raw = OFFICIAL_EXAMPLE.leverageRaw;
  const total = raw.reduce((a, b) => a + b, 0);
  return Math.exp((Math.max(...raw) - Math.min(...raw)) / total / 0.2);
})();
