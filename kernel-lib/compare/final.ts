/**
 * The comparison's final step, identical for every arm: train one model of the configured size
 * from scratch on the arm's mixture — same preset, steps, batch, T, learning-rate schedule and
 * seed (same initialisation, same sampler stream), so the same number of tokens — then score it
 * on fixed per-domain validation windows and on the downstream suite. Only the mixture differs.
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { validationSets, type ValidationSet } from "../data/validation.js";
import { buildSuite, type Suite } from "../eval/suite/build.js";
import type { MixtureController, MixtureSchedule } from "../train/mixture-controller.js";
import { trainAndScore } from "../train/train-and-score.js";
import type { CompareConfig, CompareSuiteSpec } from "./config.js";

/** One trained final model, scored. */
export type FinalModelResult = {
  /** domain → validation nats/byte */
  validation: Record<string, number>;
  /** mean over domains of `validation` */
  average: number;
  /**
   * chance-normalised capability scores (0 = chance), their macro-average `utility`, and per-task
   * scores, under the suite's metric; `taskDomains`: each task's domain (absent in runs stored
   * before the suite recorded it)
   */
  suite: { metric: string; utility: number; capabilities: Record<string, number>; tasks: Record<string, number>; taskDomains?: Record<string, string> };
  /** tokens trained on (steps × batch × T) */
  trainTokens: number;
  /** tokens drawn per domain (sums to trainTokens) */
  tokensPerDomain: Record<string, number>;
  trainFlops: number;
  finalTrainLoss: number;
  engine: string;
  seconds: number;
  /** an online arm's mixture trajectory, final and time-averaged mixture (absent for a fixed mixture) */
  schedule?: MixtureSchedule;
};

/**
 * The downstream suite the final models are scored on (deterministic in `spec.seed`): the
 * "judge" part of the test split, never an item a method chose with (MergeMix searches on the
 * "choose" part).
 *
 * @example
 * const suite = compareSuite(corpus, config.suite);
 */
export function compareSuite(corpus: Corpus, spec: CompareSuiteSpec): Suite {
  return buildSuite(corpus, { seed: spec.seed, role: "judge", defaults: spec.sizes, taskOverrides: spec.taskOverrides });
}

/**
 * The fixed evaluation windows of the final models.
 *
 * @example
 * compareValidation(corpus, config).length; // one set per domain
 */
export function compareValidation(corpus: Corpus, config: Pick<CompareConfig, "final" | "eval">): ValidationSet[] {
  return validationSets(corpus, { seqLen: config.final.seqLen, windowsPerDomain: config.eval.windowsPerDomain, split: config.eval.split });
}

/**
 * Train and score one arm's final model.
 *
 * @example
 * const f = await trainFinalModel(corpus, config, suite, { books: 0.5, code_c: 0.5, … }, compareSeeds(42).final);
 * f.average; f.suite.utility;
 */
export async function trainFinalModel(
  corpus: Corpus,
  config: Pick<CompareConfig, "final" | "eval" | "suite">,
  suite: Suite,
  mixture: Record<string, number>,
  seed: number,
  controller?: MixtureController,
): Promise<FinalModelResult> {
  const r = await trainAndScore(corpus, Mixture.fromRecord(mixture).over(corpus.domains), config.final, seed, {
    eval: { sets: compareValidation(corpus, config), suite: { suite, metric: config.suite.metric } }, controller,
  });
  const s = r.suite!;
  const pick = (t: { acc: number; accNorm: number; prob: number }) => (s.metric === "acc" ? t.acc : s.metric === "prob" ? t.prob : t.accNorm);
  return {
    validation: r.losses,
    average: r.meanLoss,
    suite: {
      metric: s.metric,
      utility: s.utility,
      capabilities: Object.fromEntries(s.capabilities.map((c) => [c.capability, c.score])),
      tasks: Object.fromEntries(s.tasks.map((t) => [t.task, pick(t)])),
      taskDomains: Object.fromEntries(s.tasks.map((t) => [t.task, t.domain])),
    },
    trainTokens: r.tokens,
    tokensPerDomain: r.tokensPerDomain,
    trainFlops: r.flops,
    finalTrainLoss: r.finalTrainLoss,
    engine: r.engine,
    seconds: r.seconds,
    ...(r.schedule ? { schedule: r.schedule } : {}),
  };
}
