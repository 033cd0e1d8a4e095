/**
 * Pieces the three Chameleon experiments share: the config blocks (how to embed, which weight
 * constants, how to evaluate), proxy → embeddings → weights in one step with its cost, training
 * one model on a mixture and measuring per-domain perplexity, and conversions of typed arrays to
 * JSON (experiment results are stored as JSON by the kit).
 *
 * Perplexity is per byte (tokens are bytes): exp(mean next-byte cross-entropy in nats). The
 * average over domains is the mean of the per-domain perplexities, as in the paper's Table 1.
 */
import type { Corpus } from "../data/corpus.js";
import type { EmbedSpec, EvalSpec, WeightSpec } from "./spec.js";

export type { EmbedSpec, EvalSpec, WeightSpec };
import type { Mixture } from "../data/mixture.js";
import { deriveSeed } from "../util/rng.js";
import { embedDomains, type DomainEmbeddingSet, type EmbedDomainsOptions } from "./embed.js";
import type { WindowMode } from "./windows.js";
import { chameleonWeights, type ChameleonOptions, type ChameleonResult } from "./pipeline.js";
import { trainChameleonProxy, type ChameleonProxy } from "./proxy.js";
import type { TrainRecipe } from "../train/recipe.js";
import type { TrainedModel } from "../train/train-and-score.js";
import { ptTemperatureForRatio } from "./temperature.js";
import { pretrainingWeights } from "./weights.js";

/** Sub-seeds of an experiment seed: every arm uses the same ones, so arms differ only by mixture. */
export function experimentSeeds(seed: number): { proxy: number; windows: number; model: number; finetune: number } {
  return {
    proxy: deriveSeed(seed, "chameleon/proxy"),
    windows: deriveSeed(seed, "chameleon/windows"),
    model: deriveSeed(seed, "chameleon/model"),
    finetune: deriveSeed(seed, "chameleon/finetune"),
  };
}

/**
 * `embedDomains` options from an `EmbedSpec` and the window seed.
 *
 * @example
 * embedOptions({ windowsPerDomain: 64, seqLen: 64, split: "train", windowMode: "stream", includePadding: false, dedupe: true }, 7);
 */
export function embedOptions(spec: EmbedSpec, windowSeed: number): EmbedDomainsOptions {
  return {
    windows: { windowsPerDomain: spec.windowsPerDomain, seqLen: spec.seqLen, split: spec.split, seed: windowSeed, windowMode: spec.windowMode, documentBoundaries: spec.documentBoundaries },
    includePadding: spec.includePadding,
    dedupe: spec.dedupe,
    ...(spec.layer !== undefined ? { layer: spec.layer } : {}),
  };
}

/** Chameleon's result plus the temperature actually used for the pretraining weights. */
export type WeightsWithTemperature = { result: ChameleonResult; tauPt: number; tauPtSource: "fixed" | "ratio" };

/**
 * Steps 3–5 on embeddings with a `WeightSpec` (official constants where unset).
 *
 * @example
 * const w = weightsFromEmbeddings(X, { ptWeightRatio: 4 }); // w.tauPt fitted; w.result.ptWeights
 */
export function weightsFromEmbeddings(X: { domains: readonly string[]; embeddings: readonly Float64Array[] }, spec: WeightSpec = {}): WeightsWithTemperature {
  const opts: ChameleonOptions = { lambda: spec.lambda, tauPt: spec.tauPt, tauFt: spec.tauFt };
  const result = chameleonWeights({ domains: X.domains, embeddings: X.embeddings }, opts);
  if (spec.ptWeightRatio === undefined) return { result, tauPt: result.options.tauPt, tauPtSource: "fixed" };
  const tauPt = ptTemperatureForRatio(result.leverage, spec.ptWeightRatio, result.options.epsilon);
  const ptWeights = pretrainingWeights(result.leverage, { tau: tauPt, epsilon: result.options.epsilon });
  return { result: { ...result, ptWeights, options: { ...result.options, tauPt } }, tauPt, tauPtSource: "ratio" };
}

/** Everything steps 1–5 produced, as JSON (for the result store and reports). */
export type ChameleonRunJson = {
  domains: string[];
  kernel: number[][];
  centeredKernel: number[][];
  leverageRaw: number[];
  leverage: number[];
  ptWeights: number[];
  ftWeights: number[];
  lambda: number;
  tauPt: number;
  tauPtSource: string;
  tauFt: number;
  layer: number;
  uniqueWindows: number[];
  proxy: { preset: string; domains: string[]; steps: number; batchSize: number; seqLen: number; tokens: number; flops: number; finalTrainLoss: number; seconds: number; engine: string };
  embedding: { windowsPerDomain: number; seqLen: number; windowMode: WindowMode; includePadding: boolean; forwardTokens: number; flops: number; seconds: number };
};

/**
 * Float64Array rows → number[][] (JSON).
 *
 * @example
 * matrixJson([Float64Array.of(1, 2)]); // [[1, 2]]
 */
export function matrixJson(rows: readonly ArrayLike<number>[]): number[][] {
  return rows.map((r) => Array.from(r));
}

/**
 * The JSON record of a Chameleon computation.
 *
 * @example
 * const j = chameleonRunJson(proxy, X, weightsFromEmbeddings(X));
 */
export function chameleonRunJson(proxy: ChameleonProxy, X: DomainEmbeddingSet, w: WeightsWithTemperature): ChameleonRunJson {
  const r = w.result;
  return {
    domains: [...r.domains],
    kernel: matrixJson(r.kernel),
    centeredKernel: matrixJson(r.centeredKernel),
    leverageRaw: Array.from(r.leverageRaw),
    leverage: Array.from(r.leverage),
    ptWeights: Array.from(r.ptWeights),
    ftWeights: Array.from(r.ftWeights),
    lambda: r.options.lambda,
    tauPt: w.tauPt,
    tauPtSource: w.tauPtSource,
    tauFt: r.options.tauFt,
    layer: X.layer,
    uniqueWindows: [...X.uniqueWindows],
    proxy: {
      preset: proxy.preset, domains: [...proxy.domains], steps: proxy.train.steps, batchSize: proxy.train.batchSize, seqLen: proxy.train.seqLen,
      tokens: proxy.tokens, flops: proxy.flops, finalTrainLoss: proxy.finalTrainLoss, seconds: proxy.seconds, engine: proxy.engine,
    },
    embedding: {
      windowsPerDomain: X.windowsPerDomain, seqLen: X.seqLen, windowMode: X.windowMode, includePadding: X.includePadding,
      forwardTokens: X.forwardTokens, flops: X.flops, seconds: X.seconds,
    },
  };
}

/**
 * Steps 1–5: train the uniform proxy over `domains`, embed them, compute weights.
 *
 * @example
 * const { proxy, X, weights } = await proxyWeights(corpus, domains, proxySpec, embedSpec, {}, 42);
 */
export async function proxyWeights(
  corpus: Corpus,
  domains: readonly string[],
  proxySpec: TrainRecipe,
  embed: EmbedSpec,
  weightSpec: WeightSpec,
  seed: number,
): Promise<{ proxy: ChameleonProxy; X: DomainEmbeddingSet; weights: WeightsWithTemperature }> {
  const seeds = experimentSeeds(seed);
  const proxy = await trainChameleonProxy(corpus, proxySpec, seeds.proxy, { domains });
  const X = await embedDomains(proxy.model, corpus, domains, embedOptions(embed, seeds.windows));
  return { proxy, X, weights: weightsFromEmbeddings(X, weightSpec) };
}

/** A trained model's per-domain evaluation. */
export type EvaluatedModel = {
  /** nats per byte by domain */
  nats: Record<string, number>;
  /** exp(nats) by domain */
  perplexity: Record<string, number>;
  /** mean of the per-domain perplexities */
  averagePerplexity: number;
  /** mean of the per-domain nats */
  meanNats: number;
  trainFlops: number;
  trainSeconds: number;
  finalTrainLoss: number;
  engine: string;
};

/**
 * Per-domain perplexities from per-domain nats, and their mean.
 *
 * @example
 * perplexities({ a: 0, b: Math.log(3) }); // { perplexity: { a: 1, b: 3 }, average: 2 }
 */
export function perplexities(nats: Record<string, number>): { perplexity: Record<string, number>; average: number } {
  const perplexity = Object.fromEntries(Object.entries(nats).map(([d, v]) => [d, Math.exp(v)]));
  const xs = Object.values(perplexity);
  return { perplexity, average: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length) };
}

/**
 * A `trainAndScore` result as the Chameleon experiments report it: per-domain perplexity on
 * `domains` (default: every scored domain) and their mean.
 *
 * @example
 * const m = evaluatedModel(await trainAndScore(corpus, mixture, recipe, seed, { eval: { windowsPerDomain: 16, split: "test" } }));
 * m.averagePerplexity;
 */
export function evaluatedModel(r: TrainedModel, domains: readonly string[] = Object.keys(r.losses)): EvaluatedModel {
  const nats = Object.fromEntries(domains.map((d) => [d, r.losses[d]]));
  const { perplexity, average } = perplexities(nats);
  return {
    nats, perplexity, averagePerplexity: average, meanNats: r.meanLoss,
    trainFlops: r.flops, trainSeconds: r.seconds, finalTrainLoss: r.finalTrainLoss, engine: r.engine,
  };
}

/**
 * The score spec of an `EvalSpec` over `domains`.
 *
 * @example
 * await trainAndScore(corpus, mixture, recipe, seed, { eval: scoreOn(config.eval, corpus.domains) });
 */
export function scoreOn(spec: EvalSpec, domains: readonly string[]): { windowsPerDomain: number; seqLen: number; split: "validation" | "test"; domains: readonly string[] } {
  return { windowsPerDomain: spec.windowsPerDomain, seqLen: spec.seqLen, split: spec.split, domains };
}
