/**
 * DoReMi end to end (Xie et al., 2023): (1) a reference model on the reference mixture;
 * (2) a proxy of the same size trained with Group DRO — each step one sub-batch per domain,
 * the proxy's and the reference's per-domain losses on the same windows, the excess
 * λ_d = max(ℓ_proxy,d − ℓ_ref,d, 0), the update of doremi/update.ts, and the proxy updated with
 * Σ_d α'_d ∇ℓ_proxy,d; (3) the output mixture = the mean of α' over the steps.
 *
 * The paper clips the excess per token; here it is clipped per domain sub-batch (the issue's
 * formulation), and the proxy's gradient is that of the α'-weighted proxy loss (the reference
 * term has no gradient; the clip's zero region is not applied to the gradient).
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { tokenPrior } from "../data/prior.js";
import type { SearchCost } from "../train/cost.js";
import { createEngine, type BackendChoice } from "../model/backend.js";
import { flopsPerToken } from "../model/config.js";
import { sameArchitecture } from "../model/params.js";
import { configForCorpus } from "../model/vocab.js";
import { recipeModelConfig } from "../train/recipe.js";
import { createGroupProxy } from "../train/group-step.js";
import { trainAndScore } from "../train/train-and-score.js";
import { deriveSeed } from "../util/rng.js";
import type { DoremiSpec } from "./config.js";
import { doremiSearchCost } from "./cost.js";
import { doremiUpdate } from "./update.js";

/** DoReMi's mixture, its evidence and its cost (plain JSON). */
export type DoremiChoice = {
  /** mean of α' over the proxy's steps — the method's output */
  mixture: Record<string, number>;
  /** α' at the last step */
  lastWeights: Record<string, number>;
  /** the reference model's validation loss per domain, nats/token */
  referenceLosses: Record<string, number>;
  /** mean per-domain excess λ over the steps */
  meanExcess: Record<string, number>;
  proxyFinalTrainLoss: number;
  perDomainBatch: number;
  cost: SearchCost;
};

/** The mean of the reference's per-token losses on one [b, T+1] sub-batch. */
function meanTokenLoss(losses: Float32Array): number {
  let s = 0;
  for (let i = 0; i < losses.length; i++) s += losses[i];
  return s / losses.length;
}

/**
 * Run DoReMi. Deterministic in `seed` on a given engine.
 *
 * @example
 * const c = await runDoremi(corpus, doremiSpecSchema.parse(spec), 42);
 * c.mixture; c.cost.flops;
 */
export async function runDoremi(corpus: Corpus, spec: DoremiSpec, seed: number, o: { backend?: BackendChoice } = {}): Promise<DoremiChoice> {
  const domains = [...corpus.domains];
  const k = domains.length;
  const refMix = spec.referenceMixture === "uniform" ? Mixture.uniform(domains) : tokenPrior(corpus);
  const proxy = await createGroupProxy(corpus, spec.proxy, deriveSeed(seed, "doremi/proxy"), { perDomainBatch: spec.perDomainBatch, backend: o.backend });
  try {
    // one engine serves both models when they have one architecture (it takes the params per call)
    const shared = sameArchitecture(configForCorpus(recipeModelConfig(spec.reference), corpus), proxy.config);
    const reference = await trainAndScore(corpus, refMix, spec.reference, deriveSeed(seed, "doremi/reference"), {
      eval: { windowsPerDomain: spec.referenceEvalWindows, domains }, backend: o.backend, ...(shared ? { engine: proxy.engine } : {}),
    });
    const refEngine = shared ? proxy.engine : (await createEngine(reference.model.config, o.backend)).engine;
    try {
      let alpha: Float64Array = new Float64Array(k).fill(1 / k);
      const sum = new Float64Array(k);
      const excessSum = new Float64Array(k);
      let last = new Float64Array(k).fill(1 / k);
      let lastLoss = Number.NaN;
      for (let s = 0; s < spec.proxy.steps; s++) {
        const g = proxy.gradients();
        const excess = new Float64Array(k);
        for (let d = 0; d < k; d++) {
          // ℓ_ref,d on the very windows the proxy saw (forward only)
          const ref = meanTokenLoss(refEngine.tokenLosses(reference.model.params, g.batches[d].tokens, proxy.perDomainBatch, proxy.seqLen));
          excess[d] = Math.max(g.losses[d] - ref, 0);
          excessSum[d] += excess[d];
        }
        const u = doremiUpdate(alpha, excess, spec);
        alpha = u.alpha;
        last = u.smoothed;
        for (let d = 0; d < k; d++) sum[d] += u.smoothed[d];
        lastLoss = g.losses.reduce((a, l, d) => a + u.smoothed[d] * l, 0);
        proxy.apply(u.smoothed);
      }
      const record = (w: ArrayLike<number>) => Mixture.normalised(domains, w).toRecord();
      const trained = proxy.cost(spec.proxy.steps);
      const evalTokens = k * spec.referenceEvalWindows * spec.reference.seqLen;
      return {
        mixture: record(sum),
        lastWeights: record(last),
        referenceLosses: { ...reference.losses },
        meanExcess: Object.fromEntries(domains.map((d, i) => [d, excessSum[i] / spec.proxy.steps])),
        proxyFinalTrainLoss: lastLoss,
        perDomainBatch: proxy.perDomainBatch,
        cost: doremiSearchCost(
          { tokens: reference.tokens, flops: reference.flops },
          { tokens: evalTokens, flops: (evalTokens * flopsPerToken(reference.model.config, spec.reference.seqLen)) / 3 },
          trained,
        ),
      };
    } finally {
      if (!shared) refEngine.dispose();
    }
  } finally {
    proxy.dispose();
  }
}
