/**
 * DoReMi's domain-weight update (Xie et al., 2023, Algorithm 1, lines 8–9): an exponentiated-
 * gradient step on the per-domain excess losses, then smoothing toward uniform.
 *
 *   α ← normalise(α ⊙ exp(η λ))        λ_d = max(ℓ_proxy,d − ℓ_ref,d, 0)   (k,)
 *   α' = (1 − c) α + c / k               (what weights the proxy's loss this step)
 *
 * Pure and deterministic; the log-space form keeps large η λ finite.
 */
import { MixlabError } from "../util/errors.js";

export interface DoremiUpdateOptions {
  /** η, the exponentiated-gradient step size (paper: 1) */
  stepSize: number;
  /** c, the smoothing toward uniform (paper: 1e-3) */
  smoothing: number;
}

export const DOREMI_DEFAULTS: Readonly<DoremiUpdateOptions> = { stepSize: 1, smoothing: 1e-3 };

/**
 * One DoReMi update. `alpha` (k,) is the unsmoothed weight carried between steps; `excess` (k,)
 * the clipped excess losses λ (negative values are clipped here too).
 *
 * @example
 * doremiUpdate([1 / 3, 1 / 3, 1 / 3], [0, 0, Math.log(2)], { stepSize: 1, smoothing: 0 }).alpha; // [0.25, 0.25, 0.5]
 */
export function doremiUpdate(alpha: ArrayLike<number>, excess: ArrayLike<number>, o: DoremiUpdateOptions): { alpha: Float64Array; smoothed: Float64Array } {
  const k = alpha.length;
  if (k === 0 || excess.length !== k) throw new MixlabError("DOREMI_BAD_INPUT", `alpha has ${k} domains, excess ${excess.length}`);
  if (!(o.stepSize >= 0) || !(o.smoothing >= 0 && o.smoothing <= 1)) throw new MixlabError("DOREMI_BAD_INPUT", `stepSize must be ≥ 0 and smoothing in [0, 1], got ${o.stepSize}, ${o.smoothing}`);
  const logits = new Float64Array(k);
  let max = -Infinity;
  for (let d = 0; d < k; d++) {
    if (!(alpha[d] > 0) || !Number.isFinite(excess[d])) throw new MixlabError("DOREMI_BAD_INPUT", `alpha must be > 0 and excess finite (domain ${d}: ${alpha[d]}, ${excess[d]})`);
    logits[d] = Math.log(alpha[d]) + o.stepSize * Math.max(excess[d], 0);
    max = Math.max(max, logits[d]);
  }
  const next = new Float64Array(k);
  let z = 0;
  for (let d = 0; d < k; d++) z += (next[d] = Math.exp(logits[d] - max));
  const smoothed = new Float64Array(k);
  for (let d = 0; d < k; d++) {
    next[d] /= z;
    smoothed[d] = (1 - o.smoothing) * next[d] + o.smoothing / k;
  }
  return { alpha: next, smoothed };
}
