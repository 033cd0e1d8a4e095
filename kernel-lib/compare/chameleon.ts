/**
 * Chameleon's weight search inside the comparison: steps 1–5 of kernel-lib/chameleon (proxy on
 * the uniform mix → domain embeddings → centred affinity → ridge leverage → pretraining
 * weights) via the pretraining experiment's `proxyWeights`. One proxy and one set of embeddings
 * give both Chameleon arms: the fitted-τ weights (`ptWeightRatio`) and the official τ_pt = 5
 * weights (which collapse onto one domain at this scale; see chameleon/temperature.ts).
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { proxyWeights, weightsFromEmbeddings } from "../chameleon/proxy-run.js";
import { CHAMELEON_DEFAULTS } from "../chameleon/pipeline.js";
import type { ChameleonSearchSpec } from "./config.js";
import { chameleonSearchCost, type SearchCost } from "./cost.js";

/** Both Chameleon mixtures, the scores behind them and what they cost. */
export type ChameleonChoice = {
  /** PT weights with τ_pt fitted to `ptWeightRatio` */
  fitted: Record<string, number>;
  /** PT weights with the official constants (λ = 10, τ_pt = 5) */
  official: Record<string, number>;
  /** the fitted τ_pt */
  tauPt: number;
  /** normalised leverage scores S, by domain */
  leverage: Record<string, number>;
  layer: number;
  proxyFinalTrainLoss: number;
  cost: SearchCost;
};

/**
 * Train Chameleon's proxy, embed every domain, compute both weight vectors.
 *
 * @example
 * const c = await chameleonSearch(corpus, spec, compareSeeds(42).chameleon);
 * c.fitted; c.official; c.cost.flops;
 */
export async function chameleonSearch(corpus: Corpus, spec: ChameleonSearchSpec, seed: number): Promise<ChameleonChoice> {
  const domains = [...corpus.domains];
  const { proxy, X, weights } = await proxyWeights(corpus, domains, spec.proxy, spec.embed, { ptWeightRatio: spec.ptWeightRatio }, seed);
  const official = weightsFromEmbeddings(X, { lambda: CHAMELEON_DEFAULTS.lambda, tauPt: CHAMELEON_DEFAULTS.tauPt });
  const record = (w: ArrayLike<number>) => Mixture.normalised(domains, w).toRecord();
  const windows = domains.length * X.windowsPerDomain;
  return {
    fitted: record(weights.result.ptWeights),
    official: record(official.result.ptWeights),
    tauPt: weights.tauPt,
    leverage: Object.fromEntries(domains.map((d, i) => [d, weights.result.leverage[i]])),
    layer: X.layer,
    proxyFinalTrainLoss: proxy.finalTrainLoss,
    cost: chameleonSearchCost({ tokens: proxy.tokens, flops: proxy.flops }, { windows, tokens: X.forwardTokens, flops: X.flops }),
  };
}
