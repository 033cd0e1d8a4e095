/**
 * `trainAndScore` — the one "train a model on this mixture and score it" of the project. Every
 * method calls it: RegMix's proxies and final models, Chameleon's proxy and its models,
 * MergeMix's base, experts and trained comparison models, the comparison's final models. It
 * runs `trainProxy` with a `TrainRecipe`, then scores the model on fixed per-domain windows
 * (and, when asked, on a downstream suite) while its engine is still alive.
 *
 * `halves: true` scores the even and the odd windows apart (`validationHalves`) and reports
 * both (`halves`) beside their mean (`losses`, the same number as scoring all windows at once):
 * two disjoint validation sets on the same model, for measuring validation noise.
 */
import type { Corpus, SplitName } from "../data/corpus.js";
import type { Mixture } from "../data/mixture.js";
import { validationHalves, validationSets, type ValidationSet } from "../data/validation.js";
import { evaluateSuite, type SuiteResult } from "../eval/suite/evaluate.js";
import type { Suite } from "../eval/suite/build.js";
import { modelScorer } from "../eval/suite/model-scorer.js";
import type { SuiteMetric } from "../eval/suite/types.js";
import { mergeHalves, type ValidationResult } from "../eval/validation-loss.js";
import type { BackendChoice } from "../model/backend.js";
import { trainingFlops } from "../model/config.js";
import type { GptEngine } from "../model/engine.js";
import type { GptModel } from "../model/params.js";
import { trainProxy, type HistoryEntry, type TrainProxyOptions } from "./loop.js";
import type { MixtureController, MixtureSchedule } from "./mixture-controller.js";
import { recipeTokens, type TrainRecipeInput } from "./recipe.js";

/**
 * What to score the trained model on: ready validation sets, or fixed windows drawn from a
 * split (`validationSets`; seqLen defaults to the recipe's). `domains` defaults to the
 * mixture's. `suite`: also score the downstream suite under `metric`.
 */
export type ScoreSpec = ({ sets: ValidationSet[] } | { windowsPerDomain: number; split?: Extract<SplitName, "validation" | "test">; seqLen?: number; domains?: readonly string[]; halves?: boolean }) & {
  suite?: { suite: Suite; metric: SuiteMetric };
};

export interface TrainAndScoreOptions {
  /** continue from these weights (copied; fresh optimiser state) instead of a fresh init */
  from?: GptModel;
  /** reuse this engine (the caller disposes it); else one is created and disposed here */
  engine?: GptEngine;
  backend?: BackendChoice;
  eval: ScoreSpec;
  /** also score the model before the first step (`initialValidation`) */
  scoreAtStart?: boolean;
  /** progress bar on stderr */
  progress?: boolean;
  onProgress?: TrainProxyOptions["onProgress"];
  /** a mixture schedule (train/mixture-controller.ts); `mixture` is then only its domain order and the first batches' mixture until the controller's first segment */
  controller?: MixtureController;
}

/** A trained model and its scores. */
export interface TrainedModel {
  model: GptModel;
  /** domain → validation nats per token, in evaluation order */
  losses: Record<string, number>;
  /** mean of `losses` (each domain counts once) */
  meanLoss: number;
  validation: ValidationResult;
  /** domain → nats on the even (`a`) and odd (`b`) windows, when the spec asks for `halves` */
  halves: { a: Record<string, number>; b: Record<string, number> } | null;
  /** the same scores before training, when `scoreAtStart` */
  initialValidation: ValidationResult | null;
  suite: SuiteResult | null;
  /** training tokens (steps × batch × T) and FLOPs */
  tokens: number;
  flops: number;
  /** tokens drawn per domain (sums to `tokens`) */
  tokensPerDomain: Record<string, number>;
  /** training loss of the last step, nats/token */
  finalTrainLoss: number;
  history: HistoryEntry[];
  /** the trajectory, final and time-averaged mixture, with a `controller` */
  schedule: MixtureSchedule | null;
  engine: string;
  seconds: number;
}

/**
 * Train a model with `recipe` on `mixture` (seed: init and batch stream), score it. The recipe
 * may leave out what its schema may (`resolveRecipe` completes it in the trainer).
 * Deterministic in (recipe, mixture, seed, from) on a given engine.
 *
 * @example
 * const r = await trainAndScore(corpus, Mixture.uniform(corpus.domains), recipe, 1, { eval: { windowsPerDomain: 16 } });
 * r.losses.books; r.meanLoss; r.flops;
 */
export async function trainAndScore(corpus: Corpus, mixture: Mixture, recipe: TrainRecipeInput, seed: number, o: TrainAndScoreOptions): Promise<TrainedModel> {
  const spec = o.eval;
  const allSets = "sets" in spec
    ? spec.sets
    : validationSets(corpus, { seqLen: spec.seqLen ?? recipe.seqLen, windowsPerDomain: spec.windowsPerDomain, split: spec.split, domains: spec.domains ?? mixture.domains });
  // with halves, training scores the even windows and the odd ones are scored after it
  const split = !("sets" in spec) && spec.halves ? validationHalves(allSets) : null;
  const sets = split ? split.a : allSets;
  // the model is the recipe's (vocabulary following the corpus's tokenizer) or the continued one
  const r = await trainProxy(corpus, mixture, recipe, seed, {
    from: o.from, validation: sets, evalAtStart: o.scoreAtStart, engine: o.engine, backend: o.backend, progress: o.progress, onProgress: o.onProgress, controller: o.controller,
  });
  try {
    const second = split ? r.trainer.evaluate(split.b) : null;
    const validation = second ? mergeHalves(r.validation, second) : r.validation;
    const perDomain = (v: ValidationResult) => Object.fromEntries(sets.map((s) => [s.domain, v.domains[s.domain].nats]));
    const suite = spec.suite ? await evaluateSuite(spec.suite.suite, modelScorer(r.trainer.engine, r.model), spec.suite.metric) : null;
    return {
      model: r.model,
      losses: perDomain(validation),
      meanLoss: validation.meanNats,
      validation,
      halves: second ? { a: perDomain(r.validation), b: perDomain(second) } : null,
      initialValidation: r.initialValidation ?? null,
      suite,
      tokens: recipeTokens(recipe),
      flops: trainingFlops(r.model.config, recipe.steps, recipe.batchSize, recipe.seqLen),
      tokensPerDomain: { ...r.tokensPerDomain },
      finalTrainLoss: r.history.at(-1)?.loss ?? Number.NaN,
      history: r.history,
      schedule: r.schedule,
      engine: r.engine.engine,
      seconds: r.wallSeconds,
    };
  } finally {
    if (!o.engine) r.dispose();
  }
}
