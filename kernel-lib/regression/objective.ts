/**
 * The objective a proposer minimises over mixtures when several targets are fitted: the
 * weighted mean of the targets' predictions, Σ_i w_i ŷ_i(x) with Σ w_i = 1 (Olmix's
 * `obj_weights`, `olmix/fit/core.py` `run_fit`: a weight per metric, 1 where unnamed; its
 * proposers average the predictions with them, `np.average(…, weights=obj_weights)`).
 * One difference: Olmix's exact proposer multiplies the raw weights into its objective without
 * normalising them (so naming weights changes the balance against the KL term); we always
 * normalise, so the KL weight λ means the same with or without objective weights.
 */
import { MixlabError } from "../util/errors.js";
import type { Regressor } from "./regressor.js";

/**
 * Normalised objective weights over `targets`: `given[name]` (default 1 for names not given),
 * divided by their sum. A name that is not a target, a negative or non-finite weight, or an
 * all-zero set is a named error.
 *
 * @example
 * objectiveWeights(["math", "code", "qa"], { qa: 2 }); // [0.25, 0.25, 0.5]
 */
export function objectiveWeights(targets: readonly string[], given: Readonly<Record<string, number>> = {}): Float64Array {
  if (targets.length === 0) throw new MixlabError("OBJECTIVE_NO_TARGETS", "no targets to weight");
  for (const name of Object.keys(given)) {
    if (!targets.includes(name)) throw new MixlabError("OBJECTIVE_UNKNOWN_TARGET", `objective weight for "${name}", which is not a fitted target (${targets.join(", ")})`);
  }
  const w = Float64Array.from(targets, (t) => given[t] ?? 1);
  let sum = 0;
  w.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new MixlabError("OBJECTIVE_BAD_WEIGHT", `objective weight of "${targets[i]}" must be a finite number ≥ 0, got ${v}`);
    sum += v;
  });
  if (!(sum > 0)) throw new MixlabError("OBJECTIVE_BAD_WEIGHT", "objective weights are all 0");
  for (let i = 0; i < w.length; i++) w[i] /= sum;
  return w;
}

/**
 * A flat predictor of the weighted mean Σ_i w_i ŷ_i over rows of a flat n × d matrix — what the
 * simulation proposer ranks candidates by.
 *
 * @example
 * const f = objectivePredictor([mathModel, codeModel], objectiveWeights(["math", "code"]));
 * f(candidates, new Float64Array(n)); // mean of the two predictions per candidate
 */
export function objectivePredictor(models: readonly Regressor[], weights: ArrayLike<number>): (X: Float64Array, out: Float64Array) => Float64Array {
  if (models.length === 0 || models.length !== weights.length) throw new MixlabError("OBJECTIVE_NO_TARGETS", `${models.length} models but ${weights.length} weights`);
  let scratch = new Float64Array(0);
  return (X, out) => {
    const n = out.length;
    if (scratch.length < n) scratch = new Float64Array(n);
    const tmp = scratch.subarray(0, n);
    out.fill(0);
    models.forEach((m, i) => {
      if (weights[i] === 0) return;
      m.predict(X, tmp);
      for (let r = 0; r < n; r++) out[r] += weights[i] * tmp[r];
    });
    return out;
  };
}
