/**
 * The config of the RegMix study (`experiments/regmix-study.json`): one proxy sweep at the
 * proxy scale, and around it the runs that test the paper's claims —
 *
 *   sweep    `fit` + `heldOut` mixtures (RegMix's sampler), one proxy each, ONE shared seed
 *   seeds    the first `crossScale.mixtures` held-out mixtures again at proxy scale, with
 *            `seedRepeats` further seeds (the explicit repeated-seed axis)
 *   tokens   the first `tokensPerProxy.proxies` sweep mixtures with `factor`× the proxy's steps
 *            (N/4 proxies × 4T against N proxies × T at equal compute, paper §4.2)
 *   scales   the same `crossScale.mixtures` held-out mixtures at each larger scale (rank invariance)
 *   finals   RegMix's chosen mixture, uniform, token prior and a written-down human heuristic at
 *            the `finals.scale` recipe, `finals.seeds` seeds each (shared across arms)
 *
 * Every model is scored on two disjoint halves of its validation windows (even/odd windows),
 * which measures the validation noise.
 */
import { z } from "zod";
import { corpusRefSchema } from "../../data/corpus-ref.js";
import { trainRecipeSchema } from "../../train/recipe.js";
import { regmixSearchSchema } from "../../regmix/config.js";

const posInt = z.number().int().min(1);
const evenWindows = z.number().int().min(2).refine((n) => n % 2 === 0, "must be even: the windows are split into two disjoint halves");
const nameRe = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const STUDY_ARMS = ["regmix", "uniform", "prior", "human"] as const;
export type StudyArm = (typeof STUDY_ARMS)[number];

export const regmixStudySchema = z.strictObject({
  corpus: corpusRefSchema,
  /** a subset of the corpus's domains (default: all) */
  domains: z.array(z.string().min(1)).min(1).optional(),
  /** the domain whose loss RegMix minimises (default `chooseTarget`: books) */
  target: z.string().min(1).optional(),
  /** the proxy scale's recipe (RegMix: constant LR after warm-up) */
  proxy: trainRecipeSchema({ schedule: "constant" }),
  /** validation windows per domain at the proxy scale (even: two disjoint halves) */
  windowsPerDomain: evenWindows,
  sweep: z.strictObject({
    /** proxies the regressors are fitted on (claim 1: ≥ 256) */
    fit: z.number().int().min(4),
    /** further proxies that only score the regressors */
    heldOut: z.number().int().min(2),
    /** fit sizes of the learning curve (first n fitted rows) */
    learningCurve: z.array(z.number().int().min(4)).min(1),
  }),
  /** extra seeds on the cross-scale mixtures at proxy scale (the repeated-seed axis) */
  seedRepeats: posInt,
  /** claim 2: `proxies` proxies with `factor`× the steps against `proxies·factor` sweep proxies */
  tokensPerProxy: z.strictObject({ proxies: z.number().int().min(4), factor: z.number().int().min(2) }),
  crossScale: z.strictObject({
    /** the first `mixtures` held-out mixtures are trained at every scale */
    mixtures: z.number().int().min(4),
    scales: z.array(z.strictObject({
      name: z.string().regex(nameRe),
      recipe: trainRecipeSchema(),
      /** validation windows per domain (even: two halves) */
      windowsPerDomain: evenWindows,
    })).min(2),
  }),
  finals: z.strictObject({
    /** the scale (by name) the final models are trained at */
    scale: z.string().min(1),
    seeds: z.number().int().min(2),
    /** the "human" baseline: a mixture written down by a rule, and the rule in words */
    human: z.strictObject({ rule: z.string().min(1), mixture: z.record(z.string(), z.number().nonnegative()) }),
  }),
  gbdt: regmixSearchSchema.shape.gbdt,
  simulate: regmixSearchSchema.shape.simulate,
  /**
   * The sensitivity column (issue 25): the thresholds each ρ claim is also judged at, on the
   * interval and on the point estimate. Optional, with its default in code (REGMIX_ALTERNATIVE_THRESHOLDS, read
   * through `alternativeThresholdsOf`): a zod default would enter the resolved config, and the
   * committed stores, created before the field, would no longer reopen (RESULTS_CONFIG_MISMATCH).
   */
  alternativeThresholds: z.strictObject({
    /** claim 1: held-out Spearman of the GBDT */
    predicts: z.array(z.number().gt(-1).lt(1)).min(1),
    /** claim 3: the proxy → larger-scale rank correlation */
    rankKept: z.array(z.number().gt(-1).lt(1)).min(1),
  }).optional(),
  /** bootstrap resamples for the 95 % intervals */
  bootstrap: z.strictObject({ resamples: z.number().int().min(100).default(2000) }).default({ resamples: 2000 }),
}).superRefine((c, ctx) => {
  const bad = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  c.sweep.learningCurve.forEach((n, i) => { if (n > c.sweep.fit) bad(["sweep", "learningCurve", i], `${n} exceeds sweep.fit ${c.sweep.fit}`); });
  if (c.tokensPerProxy.proxies * c.tokensPerProxy.factor > c.sweep.fit) bad(["tokensPerProxy"], `${c.tokensPerProxy.proxies} × ${c.tokensPerProxy.factor} exceeds sweep.fit ${c.sweep.fit}`);
  if (c.crossScale.mixtures > c.sweep.heldOut) bad(["crossScale", "mixtures"], `${c.crossScale.mixtures} exceeds sweep.heldOut ${c.sweep.heldOut}`);
  const names = c.crossScale.scales.map((s) => s.name);
  names.forEach((n, i) => { if (names.indexOf(n) !== i) bad(["crossScale", "scales", i, "name"], `duplicate scale "${n}"`); });
  if (!names.includes(c.finals.scale)) bad(["finals", "scale"], `"${c.finals.scale}" is not a scale (${names.join(", ")})`);
  if (Object.values(c.finals.human.mixture).reduce((a, b) => a + b, 0) <= 0) bad(["finals", "human", "mixture"], "the weights sum to 0");
});
export type RegmixStudyConfig = z.infer<typeof regmixStudySchema>;

/** One task of the study. `mixture` indexes the sweep's mixtures (plan order); every task carries the experiment seed, as the comparison's do. */
export type StudyTask = { experimentSeed: number } & (
  | { stage: "sweep"; mixture: number; repeat: number; weights: Record<string, number> }
  | { stage: "tokens"; mixture: number; weights: Record<string, number> }
  | { stage: "scale"; scale: string; mixture: number; weights: Record<string, number> }
  | { stage: "final"; arm: StudyArm; repeat: number; weights: Record<string, number> | null });

/** The sensitivity thresholds a config names, or the defaults. */
export const REGMIX_ALTERNATIVE_THRESHOLDS: NonNullable<RegmixStudyConfig["alternativeThresholds"]> = { predicts: [0.8, 0.85, 0.9, 0.95], rankKept: [0.7, 0.8, 0.9] };

/**
 * @example
 * alternativeThresholdsOf(config).predicts; // the config's, else REGMIX_ALTERNATIVE_THRESHOLDS's
 */
export function alternativeThresholdsOf(config: Pick<RegmixStudyConfig, "alternativeThresholds">): NonNullable<RegmixStudyConfig["alternativeThresholds"]> {
  return config.alternativeThresholds ?? REGMIX_ALTERNATIVE_THRESHOLDS;
}
