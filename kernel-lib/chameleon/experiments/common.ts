/**
 * Pieces the three Chameleon experiments share: the config blocks (how to embed, which weight
 * constants, how to evaluate), proxy → embeddings → weights in one step with its cost, training
 * one model on a mixture and measuring per-domain perplexity, and conversions of typed arrays to
 * JSON (experiment results are stored as JSON by the kit).
 *
 * Perplexity is per byte (tokens are bytes): exp(mean next-byte cross-entropy in nats). The
 * average over domains is the mean of the per-domain perplexities, as in the paper's Table 1.
 */
import type { Corpus, SplitName } from "../../data/corpus.js";
import type { Mixture } from "../../data/mixture.js";
import { validationSets } from "../../data/validation.js";
import { presetConfig } from "../../model/config.js";
import type { GptModel } from "../../model/params.js";
import { trainProxy } from "../../train/loop.js";
import { deriveSeed } from "../../util/rng.js";
import { trainingFlops } from "../cost.js";
import { embedDomains, type DomainEmbeddingSet, type EmbedDomainsOptions } from "../embed.js";
import { chameleonWeights, type ChameleonOptions, type ChameleonResult } from "../pipeline.js";
import { trainChameleonProxy, type ChameleonProxy, type TrainSpec } from "../proxy.js";
import { ptTemperatureForRatio } from "../temperature.js";
import { pretrainingWeights } from "../weights.js";

export type { TrainSpec };

/** How domains are embedded (step 2). */
export type EmbedSpec = {
  /** windows per domain (official 2048) */
  windowsPerDomain: number;
  /** bytes per window (official 512 tokens; ≤ the proxy's blockSize) */
  seqLen: number;
  split: SplitName;
  documentBoundaries: "pad" | "cross";
  includePadding: boolean;
  dedupe: boolean;
  /** residual state; default len(hidden_states)//2 */
  layer?: number;
};

/**
 * Weight constants (steps 3–5). `ptWeightRatio`, when set, replaces τ_pt by the temperature
 * that makes max/min pretraining weight equal that ratio (`ptTemperatureForRatio`; not the
 * official method — see `temperature.ts`).
 */
export type WeightSpec = {
  lambda?: number;
  tauPt?: number;
  tauFt?: number;
  ptWeightRatio?: number;
};

/** Fixed evaluation windows per domain. */
export type EvalSpec = {
  windowsPerDomain: number;
  seqLen: number;
  split: "validation" | "test";
};

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
 * embedOptions({ windowsPerDomain: 64, seqLen: 64, split: "train", documentBoundaries: "pad", includePadding: false, dedupe: true }, 7);
 */
export function embedOptions(spec: EmbedSpec, windowSeed: number): EmbedDomainsOptions {
  return {
    windows: { windowsPerDomain: spec.windowsPerDomain, seqLen: spec.seqLen, split: spec.split, seed: windowSeed, documentBoundaries: spec.documentBoundaries },
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
  embedding: { windowsPerDomain: number; seqLen: number; includePadding: boolean; flops: number; seconds: number };
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
    embedding: { windowsPerDomain: X.windowsPerDomain, seqLen: X.seqLen, includePadding: X.includePadding, flops: X.flops, seconds: X.seconds },
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
  proxySpec: TrainSpec,
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
 * Train one model on `mixture` with `train` (from `initialModel` when given, else a fresh init
 * from `seed`) and evaluate perplexity on `evalDomains` (default: the mixture's domains).
 * Returns the trained model too, for finetuning.
 *
 * @example
 * const { evaluation } = await trainAndEvaluate(corpus, Mixture.uniform(corpus.domains), spec, evalSpec, 1);
 * evaluation.averagePerplexity;
 */
export async function trainAndEvaluate(
  corpus: Corpus,
  mixture: Mixture,
  train: TrainSpec,
  evalSpec: EvalSpec,
  seed: number,
  opts: { initialModel?: GptModel; evalDomains?: readonly string[] } = {},
): Promise<{ evaluation: EvaluatedModel; model: GptModel }> {
  const evalDomains = opts.evalDomains ?? mixture.domains;
  const validation = validationSets(corpus, { seqLen: evalSpec.seqLen, windowsPerDomain: evalSpec.windowsPerDomain, split: evalSpec.split, domains: evalDomains });
  const config = opts.initialModel?.config ?? presetConfig(train.preset);
  const r = await trainProxy({
    corpus, mixture, seed,
    ...(opts.initialModel ? { initialModel: opts.initialModel } : { preset: train.preset }),
    steps: train.steps, batchSize: train.batchSize, seqLen: train.seqLen, lr: train.lr,
    schedule: train.schedule, warmupSteps: train.warmupSteps, minLrRatio: train.minLrRatio,
    validation,
  });
  try {
    const nats = Object.fromEntries(evalDomains.map((d) => [d, r.validation.domains[d].nats]));
    const { perplexity, average } = perplexities(nats);
    return {
      model: r.model,
      evaluation: {
        nats, perplexity, averagePerplexity: average, meanNats: r.validation.meanNats,
        trainFlops: trainingFlops(config, train.steps, train.batchSize, train.seqLen),
        trainSeconds: r.wallSeconds, finalTrainLoss: r.history.at(-1)?.loss ?? Number.NaN, engine: r.engine.engine,
      },
    };
  } finally {
    r.dispose();
  }
}
