/**
 * DoGE's domain-weight update (Fan et al., 2024, Algorithm 1): each domain's gradient is scored
 * by its alignment with the sum of all training domains' gradients, and the weights take an
 * exponentiated step on the scores.
 *
 *   s_d = ⟨g_d, Σ_j g_j⟩                    g_d: (nParams,)   s: (k,)
 *   α ← normalise(α ⊙ exp(η s))
 *
 * Pure and deterministic (log-space, so a large η s stays finite). The trainer passes
 * η = stepSize · lr_t: s_d · lr_t is the first-order decrease of the summed loss from a step on
 * domain d alone, which is what DoGE's derivation scores (and keeps the update from collapsing
 * onto one domain at our gradient norms; see README.md).
 */
import { MixlabError } from "../util/errors.js";

/**
 * The alignment scores s_d = ⟨g_d, Σ_j g_j⟩ of k gradients of one length (float32 entries, as the
 * engine writes them; plain arrays are converted; float64 accumulation).
 *
 * @example
 * alignmentScores([Float32Array.of(1, 0), Float32Array.of(0, 2)]); // [1, 4]
 */
export function alignmentScores(grads: readonly ArrayLike<number>[]): Float64Array {
  const k = grads.length;
  if (k === 0) throw new MixlabError("DOGE_BAD_INPUT", "no gradients");
  const n = grads[0].length;
  if (grads.some((g) => g.length !== n)) throw new MixlabError("DOGE_BAD_INPUT", "gradients of different lengths");
  // one typed-array kind in the hot loops (the trainer's Float32Array buffers are used as they are)
  const gs = grads.map((g) => (g instanceof Float32Array ? g : Float32Array.from(g)));
  const total = new Float64Array(n);
  for (const g of gs) sumInto(total, g);
  const s = new Float64Array(k);
  for (let d = 0; d < k; d++) s[d] = dot(gs[d], total);
  return s;
}

function sumInto(total: Float64Array, g: Float32Array): void {
  for (let i = 0; i < g.length; i++) total[i] += g[i];
}

function dot(g: Float32Array, total: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < g.length; i++) acc += g[i] * total[i];
  return acc;
}

/**
 * One DoGE update. `scores` are either the alignment scores (k numbers) or the k gradients
 * themselves (scored with `alignmentScores`).
 *
 * @example
 * dogeUpdate([0.5, 0.5], [0, Math.log(3)], { stepSize: 1 }); // [0.25, 0.75]
 */
export function dogeUpdate(alpha: ArrayLike<number>, scores: ArrayLike<number> | readonly ArrayLike<number>[], o: { stepSize: number }): Float64Array {
  const k = alpha.length;
  const s = isGradientList(scores) ? alignmentScores(scores) : scores;
  if (k === 0 || s.length !== k) throw new MixlabError("DOGE_BAD_INPUT", `alpha has ${k} domains, scores ${s.length}`);
  if (!(o.stepSize >= 0)) throw new MixlabError("DOGE_BAD_INPUT", `stepSize must be ≥ 0, got ${o.stepSize}`);
  const logits = new Float64Array(k);
  let max = -Infinity;
  for (let d = 0; d < k; d++) {
    if (!(alpha[d] > 0) || !Number.isFinite(s[d])) throw new MixlabError("DOGE_BAD_INPUT", `alpha must be > 0 and scores finite (domain ${d}: ${alpha[d]}, ${s[d]})`);
    logits[d] = Math.log(alpha[d]) + o.stepSize * s[d];
    max = Math.max(max, logits[d]);
  }
  const next = new Float64Array(k);
  let z = 0;
  for (let d = 0; d < k; d++) z += (next[d] = Math.exp(logits[d] - max));
  for (let d = 0; d < k; d++) next[d] /= z;
  return next;
}

function isGradientList(x: ArrayLike<number> | readonly ArrayLike<number>[]): x is readonly ArrayLike<number>[] {
  return x.length > 0 && typeof (x as ArrayLike<unknown>)[0] === "object";
}
