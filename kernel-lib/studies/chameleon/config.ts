/**
 * The config of the Chameleon study (`experiments/chameleon-study.json`, issue 15): the paper's
 * four claims tested on mixlab's own runs, one block per claim —
 *
 *   pretrain   the equal-budget comparison (kernel-lib/compare): each method's search once
 *              (uniform, token prior, RegMix, Chameleon with fitted and official τ_pt, DoReMi,
 *              DoGE), then every arm's final model with `seeds` seeds (seed k shared by all
 *              arms: paired)
 *   regime     the official τ_pt = 5 against proxy size and length: each listed proxy trained
 *              `seeds` times on the uniform mix, every domain embedded, S and the official
 *              weights recorded (the first proxy is the reference; every later one trains with
 *              more FLOPs: larger or longer)
 *   transfer   `heldOut` domains the Chameleon proxy never sees: the pretraining search's recipe
 *              trained on the other domains, the held-out ones embedded with it frozen, and a
 *              final model per seed on the transferred weights — against the pretraining stage's
 *              own Chameleon (a proxy retrained on every domain) and uniform finals of the same seed
 *   finetune   Chameleon FT weights vs uniform when finetuning a pretrained base on a few
 *              domains (`studies/chameleon/experiments/finetune.ts`), `repeats` independent repeats
 *
 * Corpus-dependent checks (domain names) happen when the plan is built (`studyTasks`).
 */
import { z } from "zod";
import { compareSchema, type CompareConfig, type CompareMethod } from "../../compare/config.js";
import type { CompareTask } from "../../compare/plan.js";
import { corpusRefSchema } from "../../data/corpus-ref.js";
import { trainingFlops } from "../../model/config.js";
import { continueRecipeSchema, recipeModelConfig, seqLenIssue, trainRecipeSchema } from "../../train/recipe.js";
import { embedSpecSchema, evalSpecSchema, weightSpecSchema } from "../../chameleon/spec.js";

/** The arms of the study's comparison, in the paper's Table 1 roles. */
export const STUDY_METHODS = ["uniform", "prior", "regmix", "chameleon", "chameleon-official", "doremi", "doge"] as const satisfies readonly CompareMethod[];
/**
 * Arms a study may list beyond the default ones (issue 27): RegMix fitted on the mean over
 * domains, beside the books arm. Not in the default list, so a config without `methods` keeps its plan.
 */
export const STUDY_EXTRA_METHODS = ["regmix-mean"] as const satisfies readonly CompareMethod[];
export type StudyMethod = (typeof STUDY_METHODS)[number];
/** Chameleon's two arms (fitted τ_pt, official τ_pt = 5); every other listed arm is a baseline. */
export const CHAMELEON_ARMS = ["chameleon", "chameleon-official"] as const;
/** Arms the claims cannot do without: Chameleon's two, and uniform (claim 3's third arm). */
const REQUIRED_METHODS: readonly StudyMethod[] = ["uniform", "chameleon", "chameleon-official"];

const cmp = compareSchema.shape;
const nameRe = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const domainList = z.array(z.string().min(1));

export const chameleonStudySchema = z.strictObject({
  /** "default", "fixture" or a corpus directory */
  corpus: corpusRefSchema,
  /** final models per arm, pretraining and transfer alike (seed k shared by every arm) */
  seeds: z.number().int().min(2),
  /** the comparison's fields without the corpus (kernel-lib/compare/config.ts); no MergeMix arm */
  pretrain: z.strictObject({
    methods: z.array(z.enum([...STUDY_METHODS, ...STUDY_EXTRA_METHODS])).min(1).default([...STUDY_METHODS]),
    final: cmp.final, eval: cmp.eval, suite: cmp.suite,
    regmix: cmp.regmix, chameleon: cmp.chameleon, doremi: cmp.doremi, doge: cmp.doge,
  }),
  regime: z.strictObject({
    /** proxies in order: the first is the reference, each later one larger or longer */
    proxies: z.array(z.strictObject({ name: z.string().regex(nameRe), recipe: trainRecipeSchema() })).min(2),
    /** one embedding spec for every proxy, so S differs only by the proxy (seqLen ≤ every blockSize) */
    embed: embedSpecSchema,
    /** independent proxies per entry (proxy init, batch stream and windows: seed k shared across entries) */
    seeds: z.number().int().min(2),
    /** "collapsed": the official weights put at least this share on one domain */
    collapseAt: z.number().gt(0).lt(1).default(0.5),
  }),
  transfer: z.strictObject({
    /** domains the transfer proxy never trains on, embedded afterwards (≥ 2 domains must remain) */
    heldOut: domainList.min(1),
    /** non-inferiority margin: transferred may be at most this fraction worse than retrained (new-domain perplexity) */
    margin: z.number().min(0).default(0.01),
  }),
  /** the finetuning experiment's fields without the corpus, and its repeats */
  finetune: z.strictObject({
    pretrainDomains: domainList.min(1).optional(),
    finetuneDomains: domainList.min(2),
    base: trainRecipeSchema(),
    embed: embedSpecSchema,
    chameleon: weightSpecSchema,
    finetune: continueRecipeSchema(),
    eval: evalSpecSchema,
    /** issue 27: also finetune on FT weights with τ_ft fitted to this max/min ratio (official example: OFFICIAL_FT_WEIGHT_RATIO ≈ 1.94); absent = the official τ_ft arm only */
    ftWeightRatio: z.number().gt(1).optional(),
    repeats: z.number().int().min(2),
  }),
  /**
   * The sensitivity column (issue 25): the thresholds claims 2 and 3 are also judged at, on the
   * interval and on the point estimate. Optional, with its default in code (CHAMELEON_ALTERNATIVE_THRESHOLDS, read
   * through `alternativeThresholdsOf`): a zod default would enter the resolved config, and the
   * committed stores, created before the field, would no longer reopen (RESULTS_CONFIG_MISMATCH).
   */
  alternativeThresholds: z.strictObject({
    /** claim 2: the largest official weight that counts as collapse */
    collapseAt: z.array(z.number().gt(0).lt(1)).min(1),
    /** claim 3: the non-inferiority margin against the retrained proxy (a fraction) */
    transferMargin: z.array(z.number().min(0)).min(1),
  }).optional(),
}).superRefine((c, ctx) => {
  const bad = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  // the comparison's own rules (a listed method needs its block, seqLen ≤ blockSize, …), reported under "pretrain"
  const inner = compareSchema.safeParse({ corpus: c.corpus, ...c.pretrain });
  if (inner.success === false) for (const i of inner.error.issues) bad(["pretrain", ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))], i.message);
  for (const m of REQUIRED_METHODS) if (!c.pretrain.methods.includes(m)) bad(["pretrain", "methods"], `must list "${m}" (the claims compare it)`);
  const names = c.regime.proxies.map((p) => p.name);
  names.forEach((n, i) => { if (names.indexOf(n) !== i) bad(["regime", "proxies", i, "name"], `duplicate proxy "${n}"`); });
  c.regime.proxies.forEach((p, i) => {
    const tooLong = seqLenIssue(c.regime.embed.seqLen, recipeModelConfig(p.recipe), `proxy "${p.name}"`);
    if (tooLong) bad(["regime", "embed", "seqLen"], tooLong);
    if (i > 0 && proxyFlops(p.recipe) <= proxyFlops(c.regime.proxies[0].recipe)) bad(["regime", "proxies", i], `"${p.name}" trains with no more FLOPs than the reference "${names[0]}": each later proxy must be larger or longer`);
  });
  if (new Set(c.transfer.heldOut).size !== c.transfer.heldOut.length) bad(["transfer", "heldOut"], "a domain is listed twice");
  const f = c.finetune;
  if (new Set(f.finetuneDomains).size !== f.finetuneDomains.length) bad(["finetune", "finetuneDomains"], "a domain is listed twice");
  const baseModel = recipeModelConfig(f.base);
  for (const [key, seqLen] of [["embed", f.embed.seqLen], ["finetune", f.finetune.seqLen], ["eval", f.eval.seqLen]] as const) {
    const tooLong = seqLenIssue(seqLen, baseModel, "the base model");
    if (tooLong) bad(["finetune", key, "seqLen"], tooLong);
  }
});
export type ChameleonStudyConfig = z.infer<typeof chameleonStudySchema>;
export type RegimeProxy = ChameleonStudyConfig["regime"]["proxies"][number];

/** Training FLOPs of a proxy recipe (what "larger or longer" compares). */
export function proxyFlops(r: ChameleonStudyConfig["regime"]["proxies"][number]["recipe"]): number {
  return trainingFlops(recipeModelConfig(r), r.steps, r.batchSize, r.seqLen);
}

/**
 * The study's pretraining block as a comparison config (what compare/plan.ts runs).
 *
 * @example
 * compareTasks(studyCompareConfig(config), corpus, seed, { repeats: config.seeds });
 */
export function studyCompareConfig(c: ChameleonStudyConfig): CompareConfig {
  return { corpus: c.corpus, ...c.pretrain };
}

/** One task of the study; every task carries the experiment seed, as the comparison's do. */
export type ChameleonStudyTask = { experimentSeed: number } & (
  /** one proxy of the regime list, seed repeat `repeat`: train, embed every domain, S */
  | { stage: "regime"; proxy: string; repeat: number }
  /** a task of the comparison: a method's search, or an arm's final model of seed repeat `compare.repeat` */
  | { stage: "pretrain"; compare: CompareTask }
  /** the transfer proxy on the base domains, the held-out ones embedded with it frozen, weights over all */
  | { stage: "transfer-weights" }
  /** a final model on the transferred weights, seed repeat `repeat` (the comparison's final seed) */
  | { stage: "transfer-final"; repeat: number }
  /** the finetuning experiment once: base → embed → finetune uniform and Chameleon FT */
  | { stage: "finetune"; repeat: number });

/** The sensitivity thresholds a config names, or the defaults. */
export const CHAMELEON_ALTERNATIVE_THRESHOLDS: NonNullable<ChameleonStudyConfig["alternativeThresholds"]> = { collapseAt: [0.4, 0.5, 0.6], transferMargin: [0.005, 0.01, 0.02] };

/**
 * @example
 * alternativeThresholdsOf(config).collapseAt; // the config's, else CHAMELEON_ALTERNATIVE_THRESHOLDS's
 */
export function alternativeThresholdsOf(config: Pick<ChameleonStudyConfig, "alternativeThresholds">): NonNullable<ChameleonStudyConfig["alternativeThresholds"]> {
  return config.alternativeThresholds ?? CHAMELEON_ALTERNATIVE_THRESHOLDS;
}
