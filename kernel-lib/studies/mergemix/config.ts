/**
 * The config of the MergeMix study (`experiments/mergemix-study.json`, issue 16 §2): the paper's
 * claims tested on mixlab's own runs —
 *
 *   proxy scale  a base on the token prior, one expert per domain (the paper's) and one per
 *                `groups` entry (mixlab's `mergemix` kind), each continued from the base
 *                (MergeMix's own fields: model, seqLen, batchSize, base, experts, groups)
 *   grid         the mixtures of the rank-consistency claim: `twoDomain.alphas` on one pair of
 *                groups and `multiDomain.mixtures` Dirichlet draws over the groups; each merged
 *                from both expert kinds and trained from the base (the expert recipe), all
 *                scored on the judge suite and on validation loss
 *   search       MergeMix's search (seed merges scored on the choose suite, GBDT, simplex) for
 *                each kind in `search.experts` → α* and its mixture
 *   finals       α* (each searched kind), uniform, token prior and the best trained grid mixture
 *                (by choose-suite utility), trained from scratch with `finals.recipe`, `seeds`
 *                seeds shared across arms, judged on the judge suite and validation loss
 *   scale        α* (each kind), uniform and prior trained from scratch with the larger
 *                `scale.recipe`, `scale.seeds` shared seeds
 *
 * Two suites are built like the comparison's, with the seeds `suite.choose` and `suite.judge`
 * (`studySuites`): what picks a mixture never judges it. Corpus-dependent checks (groups against
 * the corpus's domains) happen when the plan is built (`studyGroups`).
 */
import { z } from "zod";
import { compareSchema, type CompareSuiteSpec } from "../../compare/config.js";
import { corpusRefSchema } from "../../data/corpus-ref.js";
import { paramCount } from "../../model/config.js";
import { recipeModelConfig, trainRecipeSchema, type TrainRecipe } from "../../train/recipe.js";
import { mergeMixRecipeIssues, mergeMixRecipeShape, mergeMixSchema } from "../../mergemix/config.js";

/** Experts per corpus domain (the paper's) or per configured group (mixlab's `mergemix` kind). */
export const EXPERT_KINDS = ["domain", "group"] as const;
export type ExpertKind = (typeof EXPERT_KINDS)[number];
export const EXPERT_KIND_LABELS: Readonly<Record<ExpertKind, string>> = { domain: "per-domain experts", group: "per-group experts" };

/** The baselines of the finals at the proxy scale (the scale finals have the first two). */
export const BASELINE_ARMS = ["uniform", "prior", "best-trained"] as const;
export type BaselineArm = (typeof BASELINE_ARMS)[number];
/** A final model's arm: MergeMix's α* from one expert kind, or a baseline. */
export type FinalArm = `mergemix-${ExpertKind}` | BaselineArm;
/** The scale finals' baselines. */
export const SCALE_BASELINES: readonly BaselineArm[] = ["uniform", "prior"];

/**
 * The arm of MergeMix's α* from `kind`'s experts.
 *
 * @example
 * mergemixArm("domain"); // "mergemix-domain"
 */
export const mergemixArm = (kind: ExpertKind): FinalArm => `mergemix-${kind}`;

export const ARM_LABELS: Readonly<Record<FinalArm, string>> = {
  "mergemix-domain": "MergeMix α* (per-domain experts)",
  "mergemix-group": "MergeMix α* (per-group experts)",
  uniform: "Uniform",
  prior: "Token prior",
  "best-trained": "Best trained grid mixture",
};

const mm = mergeMixSchema.shape;
const cmp = compareSchema.shape;
const suiteFields = cmp.suite.shape;
const seedInt = z.number().int().min(0);

export const mergeMixStudySchema = z.strictObject({
  /** "default", "fixture" or a corpus directory */
  corpus: corpusRefSchema,
  /**
   * the proxy scale: base, experts and the grid's trained models — MergeMix's own recipe fields
   * (model, seqLen, batchSize, base; experts: every expert and every trained grid model,
   * continued from the base, constant LR)
   */
  ...mergeMixRecipeShape,
  /** group name → domains: the per-group experts (they must partition the corpus's domains) */
  groups: mm.groups,
  /** two suites built like the comparison's, differing only in their seed */
  suite: z.strictObject({
    /** picks: the seed merges of the search, the best trained grid mixture */
    choose: seedInt,
    /** judges: every claim's suite numbers */
    judge: seedInt,
    metric: suiteFields.metric,
    sizes: suiteFields.sizes,
    taskOverrides: suiteFields.taskOverrides,
  }),
  /** validation windows per domain of the proxy-scale models (seqLen) */
  eval: cmp.eval,
  /** the rank-consistency mixtures (α over `groups`) */
  grid: z.strictObject({
    // two group names (an array of length 2, as mergeMixSchema's consistency block)
    twoDomain: z.strictObject({ groups: z.array(z.string().min(1)).length(2), alphas: z.array(z.number().min(0).max(1)).min(2) }),
    multiDomain: z.strictObject({ mixtures: z.number().int().min(1), concentration: z.number().positive() }),
  }),
  /** MergeMix's search settings, and the expert kinds it runs on (each gives an α* arm) */
  search: z.strictObject({ experts: z.array(z.enum(EXPERT_KINDS)).min(1), ...mm.search.shape }),
  /** finals at the proxy scale: trained from scratch, `seeds` seeds shared by every arm */
  finals: z.strictObject({ recipe: trainRecipeSchema(), eval: cmp.eval, seeds: z.number().int().min(2) }),
  /** cross-scale finals: a larger model from scratch, `seeds` seeds shared by every arm */
  scale: z.strictObject({ recipe: trainRecipeSchema(), eval: cmp.eval, seeds: z.number().int().min(2) }),
  /** "matches the best trained mixture": α* may be this much worse (utility points, nats/byte) */
  margins: z.strictObject({ utility: z.number().min(0), loss: z.number().min(0) }),
  /** the paper's rank-consistency bar: the ρ interval's lower end must reach it */
  spearman: z.number().gt(-1).lt(1).default(0.9),
  /** bootstrap resamples of the intervals over mixtures */
  bootstrap: z.strictObject({ resamples: z.number().int().min(100).default(2000) }).default({ resamples: 2000 }),
  /**
   * The sensitivity column (issue 25): the thresholds claims 1–2 are also judged at, on the
   * interval and on the point estimate. Optional, with its default in code (MERGEMIX_ALTERNATIVE_THRESHOLDS, read
   * through `alternativeThresholdsOf`): a zod default would enter the resolved config, and the
   * committed stores, created before the field, would no longer reopen (RESULTS_CONFIG_MISMATCH).
   */
  alternativeThresholds: z.strictObject({
    /** claim 1: the ρ bar */
    spearman: z.array(z.number().gt(-1).lt(1)).min(1),
    /** claim 2: how much worse than the best trained grid mixture still "matches" (utility points; nats/byte) */
    utilityMargin: z.array(z.number().min(0)).min(1),
    lossMargin: z.array(z.number().min(0)).min(1),
  }).optional(),
}).superRefine((c, ctx) => {
  const bad = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  for (const i of mergeMixRecipeIssues(c)) bad(i.path, i.message);
  if (c.suite.judge === c.suite.choose) bad(["suite", "judge"], `must differ from suite.choose (${c.suite.choose}): the suite that picks a mixture must not judge it`);
  const [a, b] = c.grid.twoDomain.groups;
  if (a === b) bad(["grid", "twoDomain", "groups"], "needs two different groups");
  for (const g of [a, b]) if (!(g in c.groups)) bad(["grid", "twoDomain", "groups"], `unknown group "${g}" (${Object.keys(c.groups).join(", ")})`);
  if (new Set(c.search.experts).size !== c.search.experts.length) bad(["search", "experts"], "an expert kind is listed twice");
  const small = paramCount(recipeModelConfig(c.finals.recipe)), large = paramCount(recipeModelConfig(c.scale.recipe));
  if (large <= small) bad(["scale", "recipe"], `the ${c.scale.recipe.preset} model (${large} parameters) is not larger than the finals' ${c.finals.recipe.preset} (${small}): the transfer claim needs a larger model`);
});
export type MergeMixStudyConfig = z.infer<typeof mergeMixStudySchema>;

/**
 * The two suites' specs (the comparison's `suite` block with one seed each).
 *
 * @example
 * compareSuite(corpus, studySuiteSpecs(config).judge);
 */
export function studySuiteSpecs(c: Pick<MergeMixStudyConfig, "suite">): { choose: CompareSuiteSpec; judge: CompareSuiteSpec } {
  const { choose, judge, ...shared } = c.suite;
  return { choose: { ...shared, seed: choose }, judge: { ...shared, seed: judge } };
}

/**
 * A finals block as the comparison's `trainFinalModel` takes it (recipe, windows, judge suite).
 *
 * @example
 * trainFinalModel(corpus, finalsConfig(config, config.scale), suites.judge, mixture, seed);
 */
export function finalsConfig(c: MergeMixStudyConfig, block: { recipe: TrainRecipe; eval: MergeMixStudyConfig["finals"]["eval"] }): { final: TrainRecipe; eval: MergeMixStudyConfig["finals"]["eval"]; suite: CompareSuiteSpec } {
  return { final: block.recipe, eval: block.eval, suite: studySuiteSpecs(c).judge };
}

/** One task of the study; every task carries the experiment seed. */
export type MergeMixStudyTask = { experimentSeed: number } & (
  /** the shared base on the token prior (or uniform: `base.mixture`) */
  | { stage: "base" }
  /** one expert continued from the base on its domain or group */
  | { stage: "expert"; kind: ExpertKind; expert: string }
  /** grid mixture `mixture` (α over the groups) trained from the base with the expert recipe */
  | { stage: "trained"; mixture: number; family: GridFamily; label: string; alpha: number[] }
  /** every grid mixture merged from `kind`'s experts */
  | { stage: "merged"; kind: ExpertKind }
  /** MergeMix's search on `kind`'s experts (choose suite) → α* */
  | { stage: "search"; kind: ExpertKind }
  /** a final model at the proxy scale, seed repeat `repeat` */
  | { stage: "final"; arm: FinalArm; repeat: number }
  /** a final model at the larger scale, seed repeat `repeat` */
  | { stage: "scale"; arm: FinalArm; repeat: number });

/** The grid's two families: α on one pair of groups, Dirichlet draws over every group. */
export type GridFamily = "two" | "multi";

/** The sensitivity thresholds a config names, or the defaults. */
export const MERGEMIX_ALTERNATIVE_THRESHOLDS: NonNullable<MergeMixStudyConfig["alternativeThresholds"]> = { spearman: [0.7, 0.8, 0.9], utilityMargin: [0.005, 0.01, 0.02], lossMargin: [0.005, 0.01, 0.02] };

/**
 * @example
 * alternativeThresholdsOf(config).spearman; // the config's, else MERGEMIX_ALTERNATIVE_THRESHOLDS's
 */
export function alternativeThresholdsOf(config: Pick<MergeMixStudyConfig, "alternativeThresholds">): NonNullable<MergeMixStudyConfig["alternativeThresholds"]> {
  return config.alternativeThresholds ?? MERGEMIX_ALTERNATIVE_THRESHOLDS;
}
