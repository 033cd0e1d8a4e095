/**
 * Does the suite discriminate between models at this scale? Two numbers per capability, over a
 * set of models trained on different mixtures:
 *
 *   split-half reliability  the capability's score on the even items and on the odd items of
 *                           its tasks, correlated across the models (Pearson r), stepped up to
 *                           the whole item set by Spearman–Brown 2r/(1+r): the share of the
 *                           between-model variance that is signal rather than item noise
 *   spread                  max − min over the models of the capability's mean accuracy under
 *                           the metric, in points (100 × accuracy)
 *
 * and the mixtures to train such models on (`reliabilityMixtures`): uniform, the token prior,
 * each domain kind heavy, and single domains heavy.
 */
import type { Corpus } from "../../data/corpus.js";
import type { DomainKind } from "../../data/kind.js";
import { Mixture } from "../../data/mixture.js";
import { tokenPrior } from "../../data/prior.js";
import { pearson, spearman, spearmanBrown } from "../../regression/metrics.js";
import { MixlabError } from "../../util/errors.js";
import { capabilityScores, type CapabilityMap } from "./capabilities.js";
import { itemHalf, taskScoresFrom } from "./score.js";
import type { ChoiceTask, SuiteMetric } from "./types.js";

/** One model's summed log-likelihoods on a suite's items (`scoreItems` order: task, item). */
export interface ScoredModel {
  name: string;
  logliks: readonly (readonly Float64Array[])[];
}

/** Reliability and spread of one capability (or of the utility) over the models. */
export interface CapabilityReliability {
  capability: string;
  tasks: string[];
  /** items over its tasks */
  items: number;
  models: number;
  /** Pearson r across models between the scores on the even and the odd items */
  halfCorrelation: number;
  /** Spearman–Brown step-up of halfCorrelation */
  reliability: number;
  /** the same from the Spearman rank correlation of the halves */
  rankReliability: number;
  /** per model: mean accuracy of its tasks under the metric (0–1), in model order */
  accuracy: number[];
  /** mean chance level of its tasks */
  chance: number;
  /** 100 × (max − min) of `accuracy` */
  spread: number;
}

/** A suite's reliability report: one row per capability with scored tasks, plus the utility. */
export interface SuiteReliability {
  metric: SuiteMetric;
  models: string[];
  capabilities: CapabilityReliability[];
  /** the macro-average over capabilities (MergeMix's utility), chance-normalised */
  utility: CapabilityReliability;
}

const pick = (metric: SuiteMetric) => (c: { acc: number; accNorm: number; prob: number }): number => (metric === "acc" ? c.acc : metric === "prob" ? c.prob : c.accNorm);

/**
 * Split-half reliability and accuracy spread of every capability over scored models.
 *
 * @example
 * const models = [];
 * for (const [name, m] of trained) models.push({ name, logliks: await scoreItems(suite.tasks, modelScorer(engine, m)) });
 * suiteReliability(suite, models).capabilities.map((c) => [c.capability, c.reliability, c.spread]);
 */
export function suiteReliability(suite: { tasks: readonly ChoiceTask[]; capabilities: CapabilityMap }, models: readonly ScoredModel[], metric: SuiteMetric = "acc_norm"): SuiteReliability {
  if (models.length < 3) throw new MixlabError("SUITE_TOO_FEW_MODELS", `split-half reliability needs at least 3 models, got ${models.length}`);
  for (const m of models) {
    if (m.logliks.length !== suite.tasks.length || m.logliks.some((l, i) => l.length !== suite.tasks[i].items.length)) {
      throw new MixlabError("SUITE_SCORER_SHAPE", `model ${m.name}: log-likelihoods do not match the suite's tasks and items`);
    }
  }
  const value = pick(metric);
  const full = models.map((m) => capabilityScores(taskScoresFrom(suite.tasks, m.logliks), suite.capabilities, metric));
  const halves = ([0, 1] as const).map((h) => models.map((m) => {
    const part = itemHalf(suite.tasks, m.logliks, h);
    return capabilityScores(taskScoresFrom(part.tasks, part.logliks), suite.capabilities, metric);
  }));
  const row = (capability: string, tasks: string[], score: (caps: typeof full[number]) => number, acc: (caps: typeof full[number]) => number, chance: number): CapabilityReliability => {
    const a = halves[0].map(score), b = halves[1].map(score);
    const r = pearson(a, b);
    const accuracy = full.map(acc);
    const items = suite.tasks.filter((t) => tasks.includes(t.name)).reduce((s, t) => s + t.items.length, 0);
    return {
      capability, tasks, items, models: models.length, halfCorrelation: r, reliability: spearmanBrown(r), rankReliability: spearmanBrown(spearman(a, b)),
      accuracy, chance, spread: 100 * (Math.max(...accuracy) - Math.min(...accuracy)),
    };
  };
  const capabilities = full[0].map((c) => {
    const find = (caps: typeof full[number]) => caps.find((x) => x.capability === c.capability)!;
    const chance = suite.tasks.filter((t) => c.tasks.includes(t.name)).reduce((s, t, _, all) => s + t.chance / all.length, 0);
    return row(c.capability, c.tasks, (caps) => find(caps).score, (caps) => value(find(caps)), chance);
  });
  const mean = (caps: typeof full[number], f: (c: typeof caps[number]) => number): number => caps.reduce((s, c) => s + f(c), 0) / caps.length;
  const utility = row("utility", full[0].flatMap((c) => c.tasks), (caps) => mean(caps, (c) => c.score), (caps) => mean(caps, value), capabilities.reduce((s, c) => s + c.chance / capabilities.length, 0));
  return { metric, models: models.map((m) => m.name), capabilities, utility };
}

/**
 * Mixtures that pull models apart, for measuring a suite: uniform, the token prior, each kind's
 * domains heavy (`share` of the mixture on them, the rest uniform over all domains), then
 * single domains heavy — taken in turn from the kinds with more than one domain — up to
 * `count` mixtures in all.
 *
 * @example
 * reliabilityMixtures(corpus, domainKinds(corpus), 16).map((m) => m.name);
 * // ["uniform", "prior", "prose-heavy", …, "books-heavy", "code_ts_js-heavy", …]
 */
export function reliabilityMixtures(corpus: Corpus, kinds: Readonly<Record<string, DomainKind>>, count = 16, share = 0.8): { name: string; mixture: Mixture }[] {
  const D = corpus.domains;
  const heavy = (ds: readonly string[]): Mixture => Mixture.normalised(D, D.map((d) => (ds.includes(d) ? share / ds.length : 0) + (1 - share) / D.length));
  const byKind = new Map<string, string[]>();
  for (const d of D) byKind.set(kinds[d], [...(byKind.get(kinds[d]) ?? []), d]);
  const out = [{ name: "uniform", mixture: Mixture.uniform(D) }, { name: "prior", mixture: tokenPrior(corpus) }];
  for (const [kind, ds] of byKind) out.push({ name: `${kind}-heavy`, mixture: heavy(ds) });
  const several = [...byKind.values()].filter((ds) => ds.length > 1);
  for (let i = 0; out.length < count && several.some((ds) => i < ds.length); i++) {
    for (const ds of several) if (i < ds.length && out.length < count) out.push({ name: `${ds[i]}-heavy`, mixture: heavy([ds[i]]) });
  }
  return out.slice(0, count);
}
