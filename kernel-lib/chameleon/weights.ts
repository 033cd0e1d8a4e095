/**
 * Chameleon step 5 — domain weights from leverage scores.
 *
 * - Pretraining: α = softmax((1/(S + ε)) / τ_pt), τ_pt = 5, ε = 1e-12. A low score means the
 *   domain lies in the representation most domains share; for general pretraining Chameleon
 *   upweights those (inverse leverage), which the paper reports lowers average perplexity.
 * - Finetuning: α = softmax(S / τ_ft), τ_ft = 0.2. For adaptation the distinctive domains
 *   (high leverage, poorly covered by the rest) are upweighted instead.
 *
 * Temperatures are on the scale of the normalised scores (ΣS = 1). The softmax subtracts the
 * maximum logit first, so it never overflows (1/ε = 1e12 for a zero score is fine).
 */
import { MixlabError } from "../util/errors.js";

/** Options of `pretrainingWeights`. */
export interface PretrainingWeightOptions {
  /** Temperature τ_pt > 0 (official 5). */
  tau?: number;
  /** ε in 1/(S + ε), guarding a zero score (official 1e-12). */
  epsilon?: number;
}

/** Options of `finetuningWeights`. */
export interface FinetuningWeightOptions {
  /** Temperature τ_ft > 0 (official 0.2). */
  tau?: number;
}

function assertTau(tau: number, name: string): void {
  if (!Number.isFinite(tau) || tau <= 0) throw new MixlabError("BAD_TEMPERATURE", `${name} must be a finite number > 0, got ${tau}`);
}

function assertScores(S: ArrayLike<number>): void {
  if (S.length === 0) throw new MixlabError("TOO_FEW_DOMAINS", "no leverage scores given");
  for (let i = 0; i < S.length; i++) {
    if (!Number.isFinite(S[i])) throw new MixlabError("NON_FINITE", `leverage[${i}] is ${S[i]}`);
    if (S[i] < 0) throw new MixlabError("NEGATIVE_LEVERAGE", `leverage[${i}] is ${S[i]}; leverage scores are ≥ 0`);
  }
}

/**
 * Numerically stable softmax: exp(zᵢ − max z) / Σ exp(zⱼ − max z). Output sums to 1, all ≥ 0.
 * Errors: `NON_FINITE` (a logit is NaN or ±∞), `TOO_FEW_DOMAINS` (empty input).
 *
 * @example
 * softmax([0, Math.log(3)]); // [0.25, 0.75]
 * softmax([1000, 1000]);     // [0.5, 0.5] (no overflow)
 */
export function softmax(z: ArrayLike<number>): Float64Array {
  if (z.length === 0) throw new MixlabError("TOO_FEW_DOMAINS", "softmax of an empty vector");
  for (let i = 0; i < z.length; i++) {
    if (!Number.isFinite(z[i])) throw new MixlabError("NON_FINITE", `logit[${i}] is ${z[i]}`);
  }
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i]);
  const out = Float64Array.from(z, (v) => Math.exp(v - max));
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i];
  for (let i = 0; i < out.length; i++) out[i] /= sum; // sum ≥ 1: the max term is exp(0)
  return out;
}

/**
 * Pretraining weights α = softmax((1/(S + ε)) / τ) over normalised leverage scores S.
 * Lower leverage → higher weight. Errors: `BAD_TEMPERATURE`, `BAD_EPSILON`, `NON_FINITE`,
 * `NEGATIVE_LEVERAGE`.
 *
 * @example
 * pretrainingWeights(Float64Array.of(0.25, 0.75), { tau: 5 });
 * // logits [0.8, 0.2667] → [0.630, 0.370]
 */
export function pretrainingWeights(S: ArrayLike<number>, opts: PretrainingWeightOptions = {}): Float64Array {
  const tau = opts.tau ?? 5;
  const eps = opts.epsilon ?? 1e-12;
  assertTau(tau, "tau (pretraining)");
  if (!Number.isFinite(eps) || eps < 0) throw new MixlabError("BAD_EPSILON", `epsilon must be finite and ≥ 0, got ${eps}`);
  assertScores(S);
  return softmax(Float64Array.from(S, (s) => 1 / (s + eps) / tau));
}

/**
 * Finetuning weights α = softmax(S / τ) over normalised leverage scores S.
 * Higher leverage → higher weight. Errors: `BAD_TEMPERATURE`, `NON_FINITE`, `NEGATIVE_LEVERAGE`.
 *
 * @example
 * finetuningWeights(Float64Array.of(0.25, 0.75), { tau: 0.2 });
 * // logits [1.25, 3.75] → [0.0759, 0.9241]
 */
export function finetuningWeights(S: ArrayLike<number>, opts: FinetuningWeightOptions = {}): Float64Array {
  const tau = opts.tau ?? 0.2;
  assertTau(tau, "tau (finetuning)");
  assertScores(S);
  return softmax(Float64Array.from(S, (s) => s / tau));
}
