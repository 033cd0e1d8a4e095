/**
 * Aioli's LearnParams (Algorithm 2; HazyResearch/aioli `trainer/aioli_trainer.py`,
 * `AioliTrainer.learn_params_subroutine`): the mixing-law matrix A^t estimated from the run
 * itself. Each round sweeps the k domains `lp_rounds` times in random order; on visiting
 * domain j the model trains `lp_steps` steps on the smoothed one-hot mixture
 *
 *   w^(j) = one_hot_factor on j, (1 − one_hot_factor)/(k − 1) on every other domain,
 *
 * and the held-out loss drop of every domain i is added to G[i, j] (G is [k, k]); then
 * G /= lp_rounds. With one_hot_factor < 1 the drops are of mixtures, not of single domains, so
 * each row is un-mixed: A[i] solves W·A[i] = G[i], W[j] = w^(j) (`np.linalg.solve`). W is
 * c·I + a·11ᵀ with a = (1 − f)/(k − 1), c = f − a and c + k·a = 1, so (Sherman–Morrison)
 *
 *   A[i] = (G[i] − a·Σ_j G[i, j]) / c,
 *
 * defined for f ≠ 1/k. `--aioli_diagonal` keeps A_ii = G_ii / f only.
 */
import { MixlabError } from "../util/errors.js";
import type { Rng } from "../util/rng.js";

/**
 * The smoothed one-hot mixture of LearnParams on domain `j` of `k`.
 *
 * @example
 * learnParamsMixture(3, 0, 0.5); // [0.5, 0.25, 0.25]
 */
export function learnParamsMixture(k: number, j: number, oneHotFactor: number): Float64Array {
  const w = new Float64Array(k).fill(k > 1 ? (1 - oneHotFactor) / (k - 1) : 0);
  w[j] = k > 1 ? oneHotFactor : 1;
  return w;
}

/**
 * The visiting order of one LearnParams: `rounds` random permutations of 0..k−1, concatenated
 * (`np.concatenate([np.random.permutation(k) for _ in range(lp_rounds)])`).
 *
 * @example
 * learnParamsOrder(3, 2, createRng(1)); // e.g. [2, 0, 1, 1, 2, 0]
 */
export function learnParamsOrder(k: number, rounds: number, rng: Rng): number[] {
  const order: number[] = [];
  for (let r = 0; r < rounds; r++) order.push(...rng.shuffle(Array.from({ length: k }, (_, i) => i)));
  return order;
}

/**
 * A from the summed loss drops G ([k][k], G[i][j]: domain i's drop after training on w^(j),
 * summed over the rounds).
 *
 * @example
 * estimateMixingMatrix([[0.3, 0.1], [0.1, 0.2]], 1, 1, false); // one-hot: A = G
 */
export function estimateMixingMatrix(drops: readonly ArrayLike<number>[], rounds: number, oneHotFactor: number, diagonal: boolean): Float64Array[] {
  const k = drops.length;
  const G = drops.map((row) => Float64Array.from(row, (x) => x / rounds));
  if (oneHotFactor === 1 || k === 1) return G;
  if (diagonal) return G.map((row, i) => Float64Array.from(row, (x, j) => (i === j ? x / oneHotFactor : 0)));
  const a = (1 - oneHotFactor) / (k - 1);
  const c = oneHotFactor - a;
  if (Math.abs(c) < 1e-12) throw new MixlabError("AIOLI_BAD_CONFIG", `one_hot_factor ${oneHotFactor} = 1/k makes every LearnParams mixture uniform: A cannot be solved for`);
  return G.map((row) => {
    const sum = row.reduce((s, x) => s + x, 0);
    return Float64Array.from(row, (x) => (x - a * sum) / c);
  });
}
