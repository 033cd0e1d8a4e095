/**
 * Aioli's mixture update (Algorithm 1; HazyResearch/aioli `trainer/aioli_trainer.py`,
 * `AioliTrainer.train`, the dynamic loop):
 *
 *   normalise (--aioli_normalize_A): A ← A − min(A) if min(A) < 0, then A ← A / ΣA
 *   with ema:    Ā ← A (first round), Ā ← (1 − ema)·A + ema·Ā; p ∝ exp(η · Σ_i Ā[i, ·])
 *   without:     p ∝ p_prev · exp(η · Σ_i A[i, ·]), p_prev = 1 in the first round
 *
 * Σ_i A[i, j] is how much training on domain j lowers the loss summed over all domains. The
 * official code starts the update from ones (`weights_init = np.ones(k)`) even in the restricted
 * mode — the prior mixture is trained on for `prior_steps`, then dropped — and so does this.
 */
import { MixlabError } from "../util/errors.js";

/**
 * A shifted to be ≥ 0 and scaled to sum 1 (`--aioli_normalize_A`).
 *
 * @example
 * normaliseMixingMatrix([[1, -1], [0, 2]]); // [[2/6, 0], [1/6, 3/6]]
 */
export function normaliseMixingMatrix(A: readonly ArrayLike<number>[]): Float64Array[] {
  let min = Infinity;
  for (const row of A) for (let j = 0; j < row.length; j++) min = Math.min(min, row[j]);
  const shift = min < 0 ? -min : 0;
  const out = A.map((row) => Float64Array.from(row, (x) => x + shift));
  const sum = out.reduce((s, row) => s + row.reduce((a, x) => a + x, 0), 0);
  if (!(sum > 0)) throw new MixlabError("AIOLI_DEGENERATE", "the mixing matrix A sums to 0 after the shift (no loss changed in LearnParams)");
  return out.map((row) => row.map((x) => x / sum));
}

/** What carries from one round's update to the next. */
export interface AioliUpdateState {
  /** [k] unnormalised weights (no-ema path) */
  weights: Float64Array;
  /** the smoothed A (ema path), null before the first round */
  emaMatrix: Float64Array[] | null;
}

/**
 * One round's update: the next mixture (normalised) and state.
 *
 * @example
 * const s0 = { weights: new Float64Array(k).fill(1), emaMatrix: null };
 * const { mixture, state } = aioliUpdate(s0, A, { eta: 0.2, ema: 0.1, normalizeA: true });
 */
export function aioliUpdate(state: AioliUpdateState, A: readonly ArrayLike<number>[], o: { eta: number; ema: number | null; normalizeA: boolean }): { mixture: Float64Array; state: AioliUpdateState } {
  const k = A.length;
  const M = o.normalizeA ? normaliseMixingMatrix(A) : A.map((r) => Float64Array.from(r));
  const colSum = (m: readonly ArrayLike<number>[]) => Float64Array.from({ length: k }, (_, j) => m.reduce((s, row) => s + row[j], 0));
  let weights: Float64Array;
  let emaMatrix = state.emaMatrix;
  if (o.ema !== null) {
    const ema = o.ema;
    emaMatrix = emaMatrix === null ? M : M.map((row, i) => row.map((x, j) => (1 - ema) * x + ema * emaMatrix![i][j]));
    const g = colSum(emaMatrix);
    weights = g.map((x) => Math.exp(o.eta * x)); // weights_init (ones) · exp(η Σ_i Ā)
  } else {
    const g = colSum(M);
    weights = state.weights.map((w, j) => w * Math.exp(o.eta * g[j]));
  }
  const total = weights.reduce((a, x) => a + x, 0);
  return { mixture: weights.map((x) => x / total), state: { weights, emaMatrix } };
}
