/**
 * DoGE's domain-weight update as the official code does it — Olivia-fsm/DoGE@88400e9
 * (`src/trainer.py` last changed in 1fb7f7b), `DoGETrainer.update_domain_weights` (lines 590–664;
 * the same arithmetic in `update_domain_weights_distributed`, lines 719–788, the path the released `config/doge.json`
 * takes with `compute_pertoken_losses: false`). Per step, with k training domains:
 *
 *   g_d ← clip(g_d, max_grad_norm)                         each domain's gradient, lines 618–619 / 733–734
 *   M = G Gᵀ                                               G: [k, nParams], M: [k, k]   line 626
 *   s_d = lr_t · (Σ_j M_dj − M_dd)                         train = target domains: self term left out, 631–632
 *   s_d ← s_d / (mean_d ‖g_d‖ + 1e-6)                      mean L2 norm of the k gradients, 636–637
 *   s_d ← clip(s_d, lr_t · dw_min, lr_t · dw_max)          defaults [0, 5 lr_t], 638
 *   α ← softmax(log α + s / μ)                             μ default 0.05, 641–642
 *   α ← (1 − ε) α + ε / k                                  reweight_eps default 0 (no smoothing), 643
 *   model gradient = Σ_d α_d g_d  with the NEW α           add_model_grad_ls, 647
 *   output = mean over steps of the new α                  avg_dw += dw_new, 645
 *
 * Defaults are `FullTrainingArguments`' (lines 155–170: mu 0.05, dw_max 5.0, dw_min 0.0,
 * reweight_eps 0.0); the released `config/doge.json` sets mu 0.01 and max_grad_norm 5.0.
 * Two things of the official code are not reproduced, on purpose:
 *   - in `update_domain_weights` (the single-process path, 607–623) the per-domain backward
 *     passes run without `zero_grad` in between, so the d-th row is the clipped running sum of
 *     domains 0..d; `update_domain_weights_distributed` zeroes before each domain (723) and the
 *     paper scores each domain's own gradient — we score per-domain gradients;
 *   - the released config scores against a held-out "mix" target domain (tgt ≠ train, no self
 *     term removed, 633–634); mixlab's DoGE targets the training domains themselves (the
 *     universal-generalisation setting), which is the branch with the self term removed.
 * torch computes M in float32; we accumulate in float64.
 */
import { z } from "zod";
import { clipGradNorm } from "../train/optimizer.js";
import { MixlabError } from "../util/errors.js";
import { alignmentScores } from "./update.js";

/** The official update's constants (defaults: `FullTrainingArguments`, trainer.py lines 155–170). */
export const dogeOfficialSchema = z.strictObject({
  /** μ: the Bregman step is s/μ */
  mu: z.number().positive().default(0.05),
  /** score clip, in units of lr_t: [dwMin·lr_t, dwMax·lr_t] */
  dwMin: z.number().default(0),
  dwMax: z.number().default(5),
  /** ε: α ← (1−ε)α + ε/k after the step */
  reweightEps: z.number().min(0).max(1).default(0),
}).refine((o) => o.dwMax >= o.dwMin, { message: "dwMax must be ≥ dwMin", path: ["dwMax"] });
export type DogeOfficialOptions = z.infer<typeof dogeOfficialSchema>;

/**
 * Scales each gradient in place to L2 norm ≤ `maxNorm` (torch's clip_grad_norm_, the same
 * `clipGradNorm` the trainer uses; 0 = off). Returns the norms before clipping.
 *
 * @example
 * clipDomainGradients([Float32Array.of(3, 4)], 1); // [5]; the gradient becomes (0.6, 0.8)
 */
export function clipDomainGradients(grads: readonly Float32Array[], maxNorm: number): Float64Array {
  return Float64Array.from(grads, (g) => clipGradNorm(g, maxNorm));
}

/**
 * The official scores s (k numbers) of k (already clipped) gradients at learning rate `lr`:
 * lr·(⟨g_d, Σ_j g_j⟩ − ‖g_d‖²) / (mean ‖g‖ + 1e-6), clipped to [lr·dwMin, lr·dwMax].
 *
 * @example
 * officialScores([Float32Array.of(1, 0), Float32Array.of(1, 1)], 0.1, dogeOfficialSchema.parse({}));
 */
export function officialScores(grads: readonly ArrayLike<number>[], lr: number, o: DogeOfficialOptions): Float64Array {
  if (!(lr >= 0) || !Number.isFinite(lr)) throw new MixlabError("DOGE_BAD_INPUT", `lr must be finite and ≥ 0, got ${lr}`);
  const aligned = alignmentScores(grads); // ⟨g_d, Σ_j g_j⟩, float64
  const k = grads.length;
  const sq = new Float64Array(k);
  let meanNorm = 0;
  for (let d = 0; d < k; d++) {
    const g = grads[d];
    let acc = 0;
    for (let i = 0; i < g.length; i++) acc += g[i] * g[i];
    sq[d] = acc;
    meanNorm += Math.sqrt(acc) / k;
  }
  const lo = lr * o.dwMin, hi = lr * o.dwMax;
  return Float64Array.from(aligned, (a, d) => Math.min(hi, Math.max(lo, (lr * (a - sq[d])) / (meanNorm + 1e-6))));
}

/**
 * One official update of α from its scores: softmax(log α + s/μ), then ε-smoothing.
 *
 * @example
 * officialWeights([0.5, 0.5], [0, 0.05 * Math.log(3)], dogeOfficialSchema.parse({})); // [0.25, 0.75]
 */
export function officialWeights(alpha: ArrayLike<number>, scores: ArrayLike<number>, o: DogeOfficialOptions): Float64Array {
  const k = alpha.length;
  if (k === 0 || scores.length !== k) throw new MixlabError("DOGE_BAD_INPUT", `alpha has ${k} domains, scores ${scores.length}`);
  const logits = new Float64Array(k);
  let max = -Infinity;
  for (let d = 0; d < k; d++) {
    if (!(alpha[d] > 0) || !Number.isFinite(scores[d])) throw new MixlabError("DOGE_BAD_INPUT", `alpha must be > 0 and scores finite (domain ${d}: ${alpha[d]}, ${scores[d]})`);
    logits[d] = Math.log(alpha[d]) + scores[d] / o.mu;
    max = Math.max(max, logits[d]);
  }
  const next = new Float64Array(k);
  let z = 0;
  for (let d = 0; d < k; d++) z += (next[d] = Math.exp(logits[d] - max));
  for (let d = 0; d < k; d++) next[d] = (1 - o.reweightEps) * (next[d] / z) + o.reweightEps / k;
  return next;
}

/**
 * The official step on one step's gradients: clip each in place to `maxGradNorm`, score, update.
 * The caller then trains the proxy on Σ_d weights_d g_d (the clipped g_d) and averages `weights`.
 *
 * @example
 * const { weights, scores } = officialDogeStep(alpha, g.grads, g.lr, 1.0, dogeOfficialSchema.parse({}));
 */
export function officialDogeStep(alpha: ArrayLike<number>, grads: readonly Float32Array[], lr: number, maxGradNorm: number, o: DogeOfficialOptions): { weights: Float64Array; scores: Float64Array } {
  if (grads.length !== alpha.length) throw new MixlabError("DOGE_BAD_INPUT", `alpha has ${alpha.length} domains, ${grads.length} gradients`);
  clipDomainGradients(grads, maxGradNorm);
  const scores = officialScores(grads, lr, o);
  return { weights: officialWeights(alpha, scores, o), scores };
}
