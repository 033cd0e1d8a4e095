/**
 * Experiment 1 — pretraining (the paper's Table 1, scaled to this corpus). Models of one size
 * are trained with the same budget (steps × batch × T) and seed on each method's mixture:
 *   chameleon           PT weights with the config's constants (`WeightSpec`)
 *   chameleon-official  PT weights with the official constants (λ = 10, τ_pt = 5)
 *   uniform, prior      the equal mixture and the token prior
 *   regmix              a RegMix mixture given in the config (with its sweep's cost), if any
 * and evaluated on fixed per-domain windows: per-domain perplexity and its average. Each
 * method's cost to get its weights is reported in FLOPs: proxy training + embedding for
 * Chameleon, 0 for the fixed baselines, the proxy sweep for RegMix.
 *
 * Arms are independent (the experiment kit runs them as separate tasks); a Chameleon arm
 * trains its own proxy, which is deterministic in the seed, so two Chameleon arms get the same
 * proxy and embeddings.
 */
import { trainAndScore } from "../../train/train-and-score.js";
import type { TrainRecipe } from "../../train/recipe.js";
import type { Corpus } from "../../data/corpus.js";
import { Mixture } from "../../data/mixture.js";
import { tokenPrior } from "../../data/prior.js";
import { presetConfig, type PresetName } from "../../model/config.js";
import { MixlabError } from "../../util/errors.js";
import { trainingFlops } from "../../model/config.js";
import { CHAMELEON_DEFAULTS } from "../pipeline.js";
import {
  chameleonRunJson,
  experimentSeeds,
  proxyWeights,
  evaluatedModel,
  scoreOn,
  type ChameleonRunJson,
  type EmbedSpec,
  type EvalSpec,
  type EvaluatedModel,
  type WeightSpec,
} from "./common.js";

/** The methods the pretraining experiment can compare. */
export const PRETRAIN_ARMS = ["chameleon", "chameleon-official", "uniform", "prior", "regmix"] as const;
export type PretrainArm = (typeof PRETRAIN_ARMS)[number];

/** A RegMix mixture from elsewhere, with what its proxy sweep cost. */
export type RegMixInput = {
  mixture: Record<string, number>;
  /** FLOPs of the sweep that produced it, when known directly */
  flops?: number;
  /** …or the sweep's shape, from which FLOPs are computed (runs × trainingFlops) */
  sweep?: { runs: number; preset: PresetName; steps: number; batchSize: number; seqLen: number };
  /** where the mixture came from (shown in the report) */
  source?: string;
};

/** Config of the pretraining experiment. */
export type PretrainConfig = {
  /** domains to mix (default: all of the corpus) */
  domains?: string[];
  /** which methods to train (default: every one available) */
  arms?: PretrainArm[];
  proxy: TrainRecipe;
  embed: EmbedSpec;
  /** constants of the "chameleon" arm */
  chameleon: WeightSpec;
  /** every arm's final model: same preset, steps, batch, T, lr (equal budget) */
  model: TrainRecipe;
  eval: EvalSpec;
  regmix?: RegMixInput;
};

/** One arm's outcome (JSON: stored by the experiment kit). */
export type PretrainArmResult = {
  arm: PretrainArm;
  label: string;
  /** the mixture trained on */
  mixture: Record<string, number>;
  /** FLOPs to obtain the weights (null: unknown) */
  weightFlops: number | null;
  /** split of weightFlops: proxy training and embedding (Chameleon only) */
  weightFlopsDetail: { proxyTraining: number; embedding: number } | null;
  evaluation: EvaluatedModel;
  /** steps 1–5 in full (Chameleon arms) */
  chameleon: ChameleonRunJson | null;
};

const LABELS: Record<PretrainArm, string> = {
  chameleon: "Chameleon",
  "chameleon-official": "Chameleon (official λ=10, τ=5)",
  uniform: "Uniform",
  prior: "Token prior",
  regmix: "RegMix",
};

/**
 * The arms a config runs, in order: `config.arms`, or every arm whose inputs exist.
 * Error: `CONFIG_INVALID` when "regmix" is asked for without a `regmix` mixture.
 *
 * @example
 * pretrainArms({ ...config, arms: undefined }); // ["chameleon", "chameleon-official", "uniform", "prior"]
 */
export function pretrainArms(config: PretrainConfig): PretrainArm[] {
  const arms = config.arms ?? PRETRAIN_ARMS.filter((a) => a !== "regmix" || config.regmix !== undefined);
  if (arms.includes("regmix") && !config.regmix) throw new MixlabError("CONFIG_INVALID", 'arms: "regmix" needs a `regmix` block with its mixture');
  if (new Set(arms).size !== arms.length) throw new MixlabError("CONFIG_INVALID", "arms: an arm is listed twice");
  return [...arms];
}

/**
 * FLOPs of a RegMix input: `flops`, else runs × training FLOPs of one sweep proxy, else null.
 *
 * @example
 * regmixFlops({ mixture: {}, sweep: { runs: 64, preset: "tiny", steps: 200, batchSize: 16, seqLen: 64 } });
 */
export function regmixFlops(r: RegMixInput): number | null {
  if (r.flops !== undefined) return r.flops;
  if (r.sweep) return r.sweep.runs * trainingFlops(presetConfig(r.sweep.preset), r.sweep.steps, r.sweep.batchSize, r.sweep.seqLen);
  return null;
}

/**
 * Train and evaluate one arm of the pretraining experiment. Every arm uses the same model seed
 * and budget; only the mixture differs.
 *
 * @example
 * const r = await runPretrainingArm(corpus, config, "chameleon", 42);
 * r.evaluation.averagePerplexity; r.weightFlops;
 */
export async function runPretrainingArm(corpus: Corpus, config: PretrainConfig, arm: PretrainArm, seed: number): Promise<PretrainArmResult> {
  const domains = [...(config.domains ?? corpus.domains)];
  const seeds = experimentSeeds(seed);
  let mixture: Mixture;
  let weightFlops: number | null = 0;
  let weightFlopsDetail: PretrainArmResult["weightFlopsDetail"] = null;
  let chameleon: ChameleonRunJson | null = null;
  if (arm === "chameleon" || arm === "chameleon-official") {
    const spec: WeightSpec = arm === "chameleon" ? config.chameleon : { lambda: CHAMELEON_DEFAULTS.lambda, tauPt: CHAMELEON_DEFAULTS.tauPt, tauFt: CHAMELEON_DEFAULTS.tauFt };
    const { proxy, X, weights } = await proxyWeights(corpus, domains, config.proxy, config.embed, spec, seed);
    mixture = Mixture.normalised(domains, weights.result.ptWeights);
    weightFlopsDetail = { proxyTraining: proxy.flops, embedding: X.flops };
    weightFlops = proxy.flops + X.flops;
    chameleon = chameleonRunJson(proxy, X, weights);
  } else if (arm === "uniform") {
    mixture = Mixture.uniform(domains);
  } else if (arm === "prior") {
    mixture = tokenPrior(corpus, domains);
  } else {
    if (!config.regmix) throw new MixlabError("CONFIG_INVALID", 'arm "regmix" needs a `regmix` block with its mixture');
    mixture = Mixture.fromRecord(config.regmix.mixture).over(domains);
    weightFlops = regmixFlops(config.regmix);
  }
  const evaluation = evaluatedModel(await trainAndScore(corpus, mixture, config.model, seeds.model, { eval: scoreOn(config.eval, mixture.domains) }));
  return { arm, label: LABELS[arm], mixture: mixture.toRecord(), weightFlops, weightFlopsDetail, evaluation, chameleon };
}

/** Rows of the experiment's tables (records for `toMarkdown` / `showTable`). */
export type PretrainTables = {
  /** method, one column per domain (perplexity), average */
  perplexity: Record<string, string | number>[];
  /** method, one column per domain (weight) */
  weights: Record<string, string | number>[];
  /** method, FLOPs to get the weights, their share of one final model's training */
  cost: Record<string, string | number | null>[];
};

/**
 * The experiment's tables from its arms (any order; shown in `PRETRAIN_ARMS` order).
 *
 * @example
 * const t = pretrainingTables(arms);
 * toMarkdown(t.perplexity);
 */
export function pretrainingTables(arms: readonly PretrainArmResult[]): PretrainTables {
  const sorted = [...arms].sort((a, b) => PRETRAIN_ARMS.indexOf(a.arm) - PRETRAIN_ARMS.indexOf(b.arm));
  const domains = sorted.length ? Object.keys(sorted[0].evaluation.perplexity) : [];
  return {
    perplexity: sorted.map((a) => ({ method: a.label, ...a.evaluation.perplexity, average: a.evaluation.averagePerplexity })),
    weights: sorted.map((a) => ({ method: a.label, ...Object.fromEntries(domains.map((d) => [d, a.mixture[d] ?? 0])) })),
    cost: sorted.map((a) => ({
      method: a.label,
      "weight FLOPs": a.weightFlops,
      "proxy training": a.weightFlopsDetail?.proxyTraining ?? null,
      embedding: a.weightFlopsDetail?.embedding ?? null,
      "÷ final-model training": a.weightFlops === null ? null : a.weightFlops / a.evaluation.trainFlops,
    })),
  };
}

/**
 * Run every arm in turn (what the experiment kit does task by task) and build the tables.
 *
 * @example
 * const { arms, tables } = await runPretrainingExperiment(corpus, config, 42);
 */
export async function runPretrainingExperiment(
  corpus: Corpus,
  config: PretrainConfig,
  seed: number,
  opts: { onArm?: (r: PretrainArmResult) => void } = {},
): Promise<{ arms: PretrainArmResult[]; tables: PretrainTables }> {
  const arms: PretrainArmResult[] = [];
  for (const arm of pretrainArms(config)) {
    const r = await runPretrainingArm(corpus, config, arm, seed);
    opts.onArm?.(r);
    arms.push(r);
  }
  return { arms, tables: pretrainingTables(arms) };
}
