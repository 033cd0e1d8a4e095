import { paramLayout, type GptConfig } from "../model/config.js";
import { SUMSQ_BLOCK } from "../model/engine.js";

/** AdamW hyper-parameters (defaults: nanoGPT / RegMix proxies). */
export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  /** decoupled weight decay, applied to matrices and embeddings only */
  weightDecay: number;
  /** clip the global gradient L2 norm to this (0 = off) */
  gradClip: number;
}

export const DEFAULT_ADAMW: Readonly<AdamWConfig> = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, gradClip: 1.0 };

/** Moments and step count: everything needed to resume the optimiser exactly. */
export interface AdamWState {
  /** updates applied so far */
  step: number;
  m: Float32Array;
  v: Float32Array;
}

/**
 * Fresh optimiser state for `n` parameters.
 *
 * @example
 * const st = createAdamWState(model.params.length);
 */
export function createAdamWState(n: number): AdamWState {
  return { step: 0, m: new Float32Array(n), v: new Float32Array(n) };
}

/**
 * 1 for parameters AdamW decays (matrices, embeddings), 0 for biases and LayerNorm parameters.
 *
 * @example
 * const mask = decayMask(cfg); // Uint8Array(paramCount(cfg))
 */
export function decayMask(c: GptConfig): Uint8Array {
  const layout = paramLayout(c);
  const last = layout[layout.length - 1];
  const mask = new Uint8Array(last.offset + last.size);
  for (const e of layout) if (e.decay) mask.fill(1, e.offset, e.offset + e.size);
  return mask;
}


/** Σ grad[i]² in double, in SUMSQ_BLOCK blocks (see there). */
export function gradSumSquares(grad: Float32Array): number {
  let s = 0;
  for (let b = 0; b < grad.length; b += SUMSQ_BLOCK) {
    const e = Math.min(grad.length, b + SUMSQ_BLOCK);
    let p = 0;
    for (let i = b; i < e; i++) p += grad[i] * grad[i];
    s += p;
  }
  return s;
}

/**
 * Global L2 norm of the gradient; scales it in place to `maxNorm` when larger (maxNorm 0: no
 * clipping). Returns the norm before clipping.
 *
 * @example
 * const norm = clipGradNorm(grad, 1.0);
 */
export function clipGradNorm(grad: Float32Array, maxNorm: number): number {
  const norm = Math.sqrt(gradSumSquares(grad));
  if (maxNorm > 0 && norm > maxNorm) {
    const k = maxNorm / (norm + 1e-6);
    for (let i = 0; i < grad.length; i++) grad[i] *= k;
  }
  return norm;
}

/**
 * One AdamW update in place (PyTorch's torch.optim.AdamW semantics: decoupled decay
 * p ← p − lr·wd·p, bias-corrected moments, p ← p − lr·m̂/(√v̂ + eps)).
 *
 * @example
 * adamwStep(model.params, grad, state, lr, DEFAULT_ADAMW, decayMask(cfg));
 */
export function adamwStep(params: Float32Array, grad: Float32Array, st: AdamWState, lr: number, cfg: AdamWConfig, mask: Uint8Array): void {
  st.step += 1;
  const { beta1: b1, beta2: b2, eps, weightDecay: wd } = cfg;
  const bc1 = 1 - Math.pow(b1, st.step);
  const sqrtBc2 = Math.sqrt(1 - Math.pow(b2, st.step));
  const stepSize = lr / bc1;
  const decay = 1 - lr * wd;
  const { m, v } = st;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i];
    const mi = (m[i] = b1 * m[i] + (1 - b1) * g);
    const vi = (v[i] = b2 * v[i] + (1 - b2) * g * g);
    const p = mask[i] ? params[i] * decay : params[i];
    params[i] = p - (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
  }
}
