/**
 * MergeMix step 6 — one GBDT per capability, mapping merge weights α (features) to the
 * merged model's capability score, fitted on the evaluated seeds. The predicted utility is
 * the macro-average of predicted capability scores (or one capability's). The GBDT is the
 * regression layer's (the same one RegMix uses), with settings for 40 points instead of
 * LightGBM's defaults (min 20 rows per leaf would allow one split).
 */
import { fitGbdt, spearman, type GbdtModel, type GbdtOptions } from "../regression/index.js";
import { MixlabError } from "../util/errors.js";

/** GBDT settings for a few dozen seeds. */
export const MERGEMIX_GBDT: Partial<GbdtOptions> = {
  learningRate: 0.05,
  numRounds: 300,
  numLeaves: 8,
  minDataInLeaf: 3,
  minDataInBin: 1,
  earlyStoppingRounds: 0,
};

/** The fitted surrogates. */
export interface CapabilitySurrogates {
  capabilities: string[];
  models: Record<string, GbdtModel>;
  /** predicted score of each capability at α */
  predict(alpha: ArrayLike<number>): Record<string, number>;
  /** predicted utility at α: macro-average over capabilities, or one capability */
  utility(alpha: ArrayLike<number>, capability?: string): number;
}

/**
 * Fit one GBDT per capability on (α, observed capability score) pairs.
 *
 * @example
 * const s = fitSurrogates(seeds, seedScores); // seedScores[i] = { code: 0.1, math: 0.3, ... }
 * s.utility(Float64Array.of(0.25, 0.25, 0.25, 0.25));
 */
export function fitSurrogates(alphas: readonly ArrayLike<number>[], scores: readonly Record<string, number>[], opts: Partial<GbdtOptions> = {}): CapabilitySurrogates {
  if (alphas.length !== scores.length || alphas.length < 2) throw new MixlabError("MERGEMIX_BAD_SEEDS", `need ≥ 2 seeds with one score row each (got ${alphas.length} α, ${scores.length} rows)`);
  const capabilities = Object.keys(scores[0]);
  const X = alphas.map((a) => Float64Array.from(a));
  const models: Record<string, GbdtModel> = {};
  for (const c of capabilities) {
    const y = scores.map((s, i) => {
      const v = s[c];
      if (!Number.isFinite(v)) throw new MixlabError("MERGEMIX_BAD_SEEDS", `seed ${i}: score of "${c}" is ${v}`);
      return v;
    });
    models[c] = fitGbdt(X, y, { ...MERGEMIX_GBDT, ...opts });
  }
  const predict = (alpha: ArrayLike<number>): Record<string, number> => Object.fromEntries(capabilities.map((c) => [c, models[c].predictOne(alpha)]));
  return {
    capabilities,
    models,
    predict,
    utility(alpha, capability) {
      if (capability !== undefined) {
        if (!models[capability]) throw new MixlabError("SUITE_UNKNOWN_CAPABILITY", `no capability "${capability}" (have: ${capabilities.join(", ")})`);
        return models[capability].predictOne(alpha);
      }
      let s = 0;
      for (const c of capabilities) s += models[c].predictOne(alpha);
      return s / capabilities.length;
    },
  };
}

/**
 * k-fold cross-validated Spearman of the surrogates (per capability and for the utility):
 * how well the GBDTs rank α they were not fitted on. Folds are interleaved (i mod k).
 *
 * @example
 * surrogateCrossValidation(seeds, seedScores, 5); // { code: 0.6, ..., utility: 0.7 }
 */
export function surrogateCrossValidation(alphas: readonly ArrayLike<number>[], scores: readonly Record<string, number>[], folds = 5, opts: Partial<GbdtOptions> = {}): Record<string, number> {
  const n = alphas.length;
  const caps = Object.keys(scores[0]);
  const pred: Record<string, Float64Array> = Object.fromEntries([...caps, "utility"].map((c) => [c, new Float64Array(n)]));
  for (let f = 0; f < folds; f++) {
    const train = [...Array(n).keys()].filter((i) => i % folds !== f);
    const test = [...Array(n).keys()].filter((i) => i % folds === f);
    if (test.length === 0) continue;
    const s = fitSurrogates(train.map((i) => alphas[i]), train.map((i) => scores[i]), opts);
    for (const i of test) {
      const p = s.predict(alphas[i]);
      for (const c of caps) pred[c][i] = p[c];
      pred.utility[i] = caps.reduce((a, c) => a + p[c], 0) / caps.length;
    }
  }
  const out: Record<string, number> = {};
  for (const c of caps) out[c] = spearman(pred[c], scores.map((s) => s[c]));
  out.utility = spearman(pred.utility, scores.map((s) => caps.reduce((a, c) => a + s[c], 0) / caps.length));
  return out;
}
