/**
 * The official regime (claim 2): does a larger or longer proxy bring the official τ_pt = 5 out
 * of collapse? One run = one proxy trained on the uniform mix of every domain, every domain
 * embedded (`embedDomains`), the official steps 3–5 (λ = 10). What is stored is raw (K_c, S
 * before and after normalisation); the measures are computed from it by `regimeMeasures`, so a
 * new measure needs no retraining.
 *
 * Why these measures: with ridge c = λk and K_c's eigenvalues μ_j, Σ_i S_raw,i = Σ_j μ_j/(μ_j + c)
 * (the effective dimension). When K_c is small next to c, S_raw,i ≈ [K_c]_ii / c, so S follows
 * the squared distances ‖x_i − x̄‖², which can span orders of magnitude; the pretraining logits
 * 1/(τ S) then span hundreds of nats and softmax puts everything on one domain. The official
 * example (7 domains, GPT-2) has Σ S_raw ≈ 1.72, S max/min ≈ 2.5 and max weight 0.28.
 */
import type { Corpus } from "../../data/corpus.js";
import { MixlabError } from "../../util/errors.js";
import { embedDomains } from "../../chameleon/embed.js";
import { embedOptions, matrixJson } from "../../chameleon/proxy-run.js";
import { normalizeLeverage } from "../../chameleon/leverage.js";
import { chameleonWeights, CHAMELEON_DEFAULTS } from "../../chameleon/pipeline.js";
import { trainChameleonProxy } from "../../chameleon/proxy.js";
import { ptTemperatureForRatio } from "../../chameleon/temperature.js";
import { pretrainingWeights } from "../../chameleon/weights.js";
import type { ChameleonStudyConfig } from "./config.js";
import { studySeeds } from "./plan.js";

/** One regime proxy, embedded (JSON). */
export type RegimeRun = {
  proxy: string;
  repeat: number;
  preset: string;
  steps: number;
  batchSize: number;
  seqLen: number;
  /** training tokens and FLOPs of the proxy */
  tokens: number;
  flops: number;
  finalTrainLoss: number;
  seconds: number;
  engine: string;
  /** every corpus domain, in corpus order */
  domains: string[];
  layer: number;
  windowsPerDomain: number;
  embedSeqLen: number;
  uniqueWindows: number[];
  embeddingFlops: number;
  /** λ of the ridge λk (official 10) */
  lambda: number;
  /** K_c (k × k) */
  centeredKernel: number[][];
  /** S_raw,i = [K_c (K_c + λk I)⁻¹]_ii (k) */
  leverageRaw: number[];
  /** S / ΣS (k) */
  leverage: number[];
};

/**
 * Train regime proxy `name` (seed repeat `repeat`), embed every domain, official steps 3–5.
 * Errors: `CONFIG_INVALID` (no such proxy).
 *
 * @example
 * const r = await runRegimeProxy(corpus, config, "445k-1000", 0, 15);
 * regimeMeasures(r, 4.08).maxOfficialWeight;
 */
export async function runRegimeProxy(corpus: Corpus, config: ChameleonStudyConfig, name: string, repeat: number, seed: number): Promise<RegimeRun> {
  const entry = config.regime.proxies.find((p) => p.name === name);
  if (!entry) throw new MixlabError("CONFIG_INVALID", `regime.proxies: no proxy "${name}" (${config.regime.proxies.map((p) => p.name).join(", ")})`);
  const seeds = studySeeds(seed);
  const domains = [...corpus.domains];
  const proxy = await trainChameleonProxy(corpus, entry.recipe, seeds.regimeProxy(repeat), { domains });
  const X = await embedDomains(proxy.model, corpus, domains, embedOptions(config.regime.embed, seeds.regimeWindows(repeat)));
  const r = chameleonWeights({ domains, embeddings: X.embeddings }, { lambda: CHAMELEON_DEFAULTS.lambda });
  const t = entry.recipe;
  return {
    proxy: name, repeat, preset: t.preset, steps: t.steps, batchSize: t.batchSize, seqLen: t.seqLen,
    tokens: proxy.tokens, flops: proxy.flops, finalTrainLoss: proxy.finalTrainLoss, seconds: proxy.seconds, engine: proxy.engine,
    domains, layer: X.layer, windowsPerDomain: X.windowsPerDomain, embedSeqLen: X.seqLen, uniqueWindows: [...X.uniqueWindows], embeddingFlops: X.flops,
    lambda: r.options.lambda, centeredKernel: matrixJson(r.centeredKernel), leverageRaw: Array.from(r.leverageRaw), leverage: Array.from(r.leverage),
  };
}

/** The regime of one set of leverage scores. */
export type RegimeMeasures = {
  /** max S / min S */
  spread: number;
  /** Σ S_raw = Σ_j μ_j/(μ_j + λk): 0 when K_c ≪ λk, up to k − 1 */
  effectiveDimension: number;
  /** trace(K_c) / (λk) (NaN when K_c is not given) */
  kernelToRidge: number;
  /** the largest weight of softmax((1/S)/5), the official τ_pt */
  maxOfficialWeight: number;
  /** max/min of those weights (the official example's is the fitted arm's ratio, ≈ 4.08) */
  officialRatio: number;
  /** τ_pt that would give max/min weight = the fitted ratio (NaN when all S are equal) */
  tauForRatio: number;
};

/**
 * The regime measures of raw leverage scores (normalised here, as the official code does).
 *
 * @example
 * regimeMeasures({ leverageRaw: OFFICIAL_EXAMPLE.leverageRaw, lambda: 10 }, 4.08).maxOfficialWeight; // ≈ 0.2756
 */
export function regimeMeasures(r: { leverageRaw: readonly number[]; lambda: number; centeredKernel?: readonly (readonly number[])[] }, ratio: number): RegimeMeasures {
  const S = normalizeLeverage(r.leverageRaw);
  const k = S.length;
  const max = Math.max(...S), min = Math.min(...S);
  const official = pretrainingWeights(S, { tau: CHAMELEON_DEFAULTS.tauPt, epsilon: CHAMELEON_DEFAULTS.epsilon });
  const trace = r.centeredKernel ? r.centeredKernel.reduce((a, row, i) => a + row[i], 0) : Number.NaN;
  return {
    spread: max / min,
    effectiveDimension: r.leverageRaw.reduce((a, b) => a + b, 0),
    kernelToRidge: trace / (r.lambda * k),
    maxOfficialWeight: Math.max(...official),
    officialRatio: Math.max(...official) / Math.min(...official),
    tauForRatio: max > min ? ptTemperatureForRatio(S, ratio, CHAMELEON_DEFAULTS.epsilon) : Number.NaN,
  };
}
