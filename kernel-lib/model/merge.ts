import { MixlabError } from "../util/errors.js";
import { paramCount } from "./config.js";
import { sameArchitecture, type GptModel } from "./params.js";

/**
 * Parameter-wise weighted average Σₖ αₖ·θₖ of models of one architecture (MergeMix's merge of
 * domain experts). `alphas` must be on the simplex (αₖ ≥ 0, Σ αₖ = 1 ± 1e-6). Accumulates in
 * float64, so merging k copies of one model returns it to float32 precision.
 *
 * @example
 * const merged = mergeModels([expertA, expertB], [0.3, 0.7]);
 */
export function mergeModels(models: readonly GptModel[], alphas: ArrayLike<number>): GptModel {
  if (models.length === 0) throw new MixlabError("MERGE_EMPTY", "mergeModels needs at least one model");
  if (alphas.length !== models.length) throw new MixlabError("MERGE_BAD_ALPHAS", `${alphas.length} alphas for ${models.length} models`);
  let sum = 0;
  for (let k = 0; k < alphas.length; k++) {
    const a = alphas[k];
    if (!Number.isFinite(a) || a < 0) throw new MixlabError("MERGE_BAD_ALPHAS", `alpha[${k}] = ${a} is not a non-negative number`);
    sum += a;
  }
  if (Math.abs(sum - 1) > 1e-6) throw new MixlabError("MERGE_BAD_ALPHAS", `alphas sum to ${sum}, expected 1 ± 1e-6`);
  const cfg = models[0].config;
  const n = paramCount(cfg);
  models.forEach((m, k) => {
    if (!sameArchitecture(m.config, cfg) || m.params.length !== n) {
      throw new MixlabError("MERGE_MISMATCH", `model ${k} has a different architecture from model 0`);
    }
  });
  const acc = new Float64Array(n);
  models.forEach((m, k) => {
    const a = alphas[k];
    if (a === 0) return;
    const p = m.params;
    for (let i = 0; i < n; i++) acc[i] += a * p[i];
  });
  return { config: { ...cfg }, params: Float32Array.from(acc) };
}
