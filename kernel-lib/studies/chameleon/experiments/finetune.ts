/**
 * Experiment 3 — finetuning. A base model is pretrained on the uniform mix of the pretraining
 * domains; it then serves as the (frozen) proxy: it embeds the few finetuning domains, and
 * Chameleon's finetuning weights α = softmax(S/τ_ft) — upweighting the distinctive, high-leverage
 * domains — are compared with the uniform mix by finetuning a copy of the base on each, with
 * the same budget and seed, and measuring per-domain test perplexity on the finetuning domains.
 * Getting the weights costs only the forward passes (no proxy is trained for it).
 *
 * With `ftWeightRatio` a third arm finetunes on FT weights whose τ_ft is fitted so the largest
 * weight is that many times the smallest (`ftTemperatureForRatio`: the rule pretraining's fitted
 * τ_pt follows; the official example's range is `OFFICIAL_FT_WEIGHT_RATIO` ≈ 1.94), beside the
 * official τ_ft = 0.2 arm — not the official method, reported as such. Absent: two arms, as before.
 */
import { trainAndScore } from "../../../train/train-and-score.js";
import type { ContinueRecipe, TrainRecipe } from "../../../train/recipe.js";
import type { Corpus } from "../../../data/corpus.js";
import { Mixture } from "../../../data/mixture.js";
import { MixlabError } from "../../../util/errors.js";
import { embedDomains } from "../../../chameleon/embed.js";
import { ftTemperatureForRatio } from "../../../chameleon/temperature.js";
import { finetuningWeights } from "../../../chameleon/weights.js";
import {
  embedOptions,
  experimentSeeds,
  matrixJson,
  evaluatedModel,
  scoreOn,
  weightsFromEmbeddings,
  type EmbedSpec,
  type EvalSpec,
  type EvaluatedModel,
  type WeightSpec,
} from "../../../chameleon/proxy-run.js";

/** Finetuning settings: as a `TrainSpec` without the preset (the base model's size is kept). */
export type FinetuneSpec = ContinueRecipe;

/** Config of the finetuning experiment. */
export type FinetuneConfig = {
  /** domains of the base model's uniform pretraining mix (default: all but the finetuning ones) */
  pretrainDomains?: string[];
  /** the few domains to finetune on (≥ 2) */
  finetuneDomains: string[];
  base: TrainRecipe;
  embed: EmbedSpec;
  chameleon: WeightSpec;
  finetune: FinetuneSpec;
  /** evaluation windows (the paper reports test perplexity: split "test") */
  eval: EvalSpec;
  /** add the fitted-τ_ft arm: max/min FT weight = this ratio (absent: no such arm) */
  ftWeightRatio?: number;
};

/** The experiment's outcome (JSON). */
export type FinetuneResult = {
  pretrainDomains: string[];
  finetuneDomains: string[];
  base: { preset: string; steps: number; trainFlops: number; perplexity: Record<string, number>; averagePerplexity: number };
  chameleon: {
    leverage: number[]; leverageRaw: number[]; ftWeights: number[]; tauFt: number; centeredKernel: number[][]; uniqueWindows: number[]; layer: number; embeddingFlops: number;
    /** with `ftWeightRatio`: the fitted τ_ft, its weights and the ratio asked for */
    fitted?: { ftWeightRatio: number; tauFt: number; ftWeights: number[] };
  };
  arms: { arm: "uniform" | "chameleon" | "chameleon-fitted"; label: string; mixture: Record<string, number>; weightFlops: number; evaluation: EvaluatedModel }[];
};

/**
 * Pretrain the base, embed the finetuning domains with it, finetune with uniform and Chameleon
 * FT weights, evaluate. Errors: `CONFIG_INVALID` (fewer than 2 finetuning domains, unknown or
 * duplicate names).
 *
 * @example
 * const r = await runFinetuningExperiment(corpus, config, 42);
 * finetuningTables(r).perplexity;
 */
export async function runFinetuningExperiment(corpus: Corpus, config: FinetuneConfig, seed: number): Promise<FinetuneResult> {
  const ft = [...config.finetuneDomains];
  if (ft.length < 2 || new Set(ft).size !== ft.length) throw new MixlabError("CONFIG_INVALID", "finetuneDomains: give at least 2 distinct domains");
  for (const d of ft) corpus.info(d);
  const pre = [...(config.pretrainDomains ?? corpus.domains.filter((d) => !ft.includes(d)))];
  if (pre.length < 1) throw new MixlabError("CONFIG_INVALID", "pretrainDomains: no domain left to pretrain on");
  const seeds = experimentSeeds(seed);

  const baseRun = await trainAndScore(corpus, Mixture.uniform(pre), config.base, seeds.model, { eval: scoreOn(config.eval, ft) });
  const base = baseRun.model;
  const baseTrain = evaluatedModel(baseRun);
  const X = await embedDomains(base, corpus, ft, embedOptions(config.embed, seeds.windows));
  const w = weightsFromEmbeddings(X, config.chameleon);
  const ftSpec: TrainRecipe = { ...config.finetune, preset: config.base.preset, overrides: config.base.overrides };
  const fitted = config.ftWeightRatio === undefined ? undefined : (() => {
    const tauFt = ftTemperatureForRatio(w.result.leverage, config.ftWeightRatio);
    return { ftWeightRatio: config.ftWeightRatio, tauFt, ftWeights: Array.from(finetuningWeights(w.result.leverage, { tau: tauFt })) };
  })();
  const arms: FinetuneResult["arms"] = [];
  const plan: [FinetuneResult["arms"][number]["arm"], string, Mixture, number][] = [
    ["uniform", "Uniform", Mixture.uniform(ft), 0],
    ["chameleon", "Chameleon FT", Mixture.normalised(ft, w.result.ftWeights), X.flops],
  ];
  if (fitted) plan.push(["chameleon-fitted", "Chameleon FT (fitted τ_ft)", Mixture.normalised(ft, fitted.ftWeights), X.flops]);
  for (const [arm, label, mixture, weightFlops] of plan) {
    const evaluation = evaluatedModel(await trainAndScore(corpus, mixture, ftSpec, seeds.finetune, { from: base, eval: scoreOn(config.eval, ft) }));
    arms.push({ arm, label, mixture: mixture.toRecord(), weightFlops, evaluation });
  }
  return {
    pretrainDomains: pre,
    finetuneDomains: ft,
    base: { preset: config.base.preset, steps: config.base.steps, trainFlops: baseTrain.trainFlops, perplexity: baseTrain.perplexity, averagePerplexity: baseTrain.averagePerplexity },
    chameleon: {
      leverage: Array.from(w.result.leverage), leverageRaw: Array.from(w.result.leverageRaw), ftWeights: Array.from(w.result.ftWeights),
      tauFt: w.result.options.tauFt, centeredKernel: matrixJson(w.result.centeredKernel), uniqueWindows: X.uniqueWindows, layer: X.layer, embeddingFlops: X.flops,
      ...(fitted ? { fitted } : {}),
    },
    arms,
  };
}

/** The finetuning experiment's tables. */
export type FinetuneTables = {
  /** model, test perplexity per finetuning domain, average */
  perplexity: Record<string, string | number>[];
  /** domain, leverage, FT weight */
  weights: Record<string, string | number>[];
};

/**
 * Tables of a finetuning result.
 *
 * @example
 * toMarkdown(finetuningTables(r).perplexity);
 */
export function finetuningTables(r: FinetuneResult): FinetuneTables {
  return {
    perplexity: [
      { model: "base (before finetuning)", ...r.base.perplexity, average: r.base.averagePerplexity },
      ...r.arms.map((a) => ({ model: `finetuned: ${a.label}`, ...a.evaluation.perplexity, average: a.evaluation.averagePerplexity })),
    ],
    weights: r.finetuneDomains.map((d, i) => ({
      domain: d, "leverage S": r.chameleon.leverage[i], "uniform": 1 / r.finetuneDomains.length, "Chameleon FT": r.chameleon.ftWeights[i],
      ...(r.chameleon.fitted ? { "Chameleon FT (fitted τ_ft)": r.chameleon.fitted.ftWeights[i] } : {}),
    })),
  };
}
