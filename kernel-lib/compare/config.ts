/**
 * The config of the all-methods comparison — one zod schema (what `experiments/compare.json`
 * holds, the `compare` kind validates and `runComparison` takes), the types inferred from it:
 * one corpus, one final-model `TrainRecipe` shared by every arm, and each method's own search
 * settings.
 *
 * Seeds: everything derives from one experiment seed through `compareSeeds`, so the in-process
 * `runComparison` and the kit's task-by-task run produce the same numbers.
 */
import { z } from "zod";
import { embedSpecSchema } from "../chameleon/spec.js";
import { dogeSpecSchema } from "../doge/config.js";
import { doremiSpecSchema } from "../doremi/config.js";
import { aioliSpecSchema } from "../aioli/config.js";
import { adoSpecSchema } from "../ado/config.js";
import { corpusRefSchema } from "../data/corpus-ref.js";
import { mergeMixRecipeIssues, mergeMixRecipeShape, mergeMixSchema } from "../mergemix/config.js";
import { regmixSearchSchema, regmixSeeds, type RegmixSeeds } from "../regmix/config.js";
import { recipeModelConfig, seqLenIssue, trainRecipeSchema } from "../train/recipe.js";
import { MixlabError } from "../util/errors.js";
import { deriveSeed } from "../util/rng.js";

/** Every arm the comparison knows, in table order. */
export const COMPARE_METHODS = ["stratified", "uniform", "prior", "regmix", "regmix-mean", "chameleon", "chameleon-official", "mergemix", "doremi", "doge", "aioli", "aioli-restricted", "ado"] as const;
export type CompareMethod = (typeof COMPARE_METHODS)[number];
/**
 * The arms a config without `methods` runs: every method but DoReMi and DoGE, which are listed
 * explicitly (experiments/baselines-compare.json) so existing configs keep their plan.
 */
export const DEFAULT_COMPARE_METHODS: readonly CompareMethod[] = ["uniform", "prior", "regmix", "chameleon", "chameleon-official", "mergemix"];

/** Row labels of the comparison table. */
export const METHOD_LABELS: Readonly<Record<CompareMethod, string>> = {
  uniform: "Uniform",
  prior: "Token prior",
  regmix: "RegMix",
  "regmix-mean": "RegMix (mean)",
  chameleon: "Chameleon (fitted τ)",
  "chameleon-official": "Chameleon (official τ=5)",
  mergemix: "MergeMix",
  doremi: "DoReMi",
  doge: "DoGE",
  stratified: "Stratified (uniform over groups)",
  aioli: "Aioli",
  "aioli-restricted": "Aioli (restricted)",
  ado: "ADO",
};
/** The arms whose mixture changes during the final run (a mixture controller; kernel-lib/compare/online.ts). */
export const ONLINE_METHODS = ["aioli", "aioli-restricted", "ado"] as const;
/** The methods whose weights restricted Aioli may start from (offline: a search, then one mixture). */
const PRIOR_METHODS = ["uniform", "prior", "stratified", "regmix", "chameleon", "chameleon-official", "mergemix", "doremi", "doge"] as const;

const posInt = z.number().int().min(1);

/** The config blocks that hold a method's search settings. */
type SearchBlock = "regmix" | "chameleon" | "mergemix" | "doremi" | "doge" | "aioli" | "ado";

/**
 * The "regmix-mean" arm: RegMix fitted on the mean of every domain's loss (the quantity an
 * average-perplexity verdict judges), from the same proxy sweep as the "regmix" arm (which fits
 * `regmix.target`, default books). With both listed the tables label each by its target
 * (`methodLabel`); a config with "regmix" alone keeps the label "RegMix".
 */
export const REGMIX_MEAN_TARGET = "mean";

/** Chameleon's search: proxy on the uniform mix, domain embeddings, leverage, PT weights. */
const chameleonSearchSchema = z.strictObject({
  proxy: trainRecipeSchema(),
  embed: embedSpecSchema,
  /** τ_pt of the "chameleon" arm: max/min weight = this ratio (official worked example: 4.08; not official, see chameleon/temperature.ts) */
  ptWeightRatio: z.number().gt(1).default(4.08),
});

const mm = mergeMixSchema.shape;

/** The downstream suite every final model is scored on. */
const compareSuiteSchema = z.strictObject({
  seed: z.number().int().min(0),
  metric: z.enum(["acc", "acc_norm", "prob"]),
  sizes: mm.suite.shape.sizes,
  taskOverrides: mm.suite.shape.taskOverrides,
});

/** The compare experiment's fields (`experiments/compare.json`). */
export const compareSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory (relative to the project root or absolute) */
  corpus: corpusRefSchema,
  /** arms to run, in any order (table order is COMPARE_METHODS') */
  methods: z.array(z.enum(COMPARE_METHODS)).min(1).default([...DEFAULT_COMPARE_METHODS]),
  /** every arm's final model: same recipe and seed — only the mixture differs */
  final: trainRecipeSchema(),
  /** fixed evaluation windows per domain (seqLen = final.seqLen) */
  eval: z.strictObject({ windowsPerDomain: posInt, split: z.enum(["validation", "test"]).default("validation") }),
  /** the suite the final models are scored on (MergeMix searches on its own, `mergemix.suite`) */
  suite: compareSuiteSchema,
  /** each listed method's search settings (required for the methods listed, ignored otherwise) */
  /** RegMix's search (kernel-lib/regmix/config.ts) */
  regmix: regmixSearchSchema.optional(),
  chameleon: chameleonSearchSchema.optional(),
  /** MergeMix's search: its config without the corpus, the consistency study and its own finals */
  mergemix: z.strictObject({
    ...mergeMixRecipeShape, groups: mm.groups,
    suite: mm.suite, validationWindows: mm.validationWindows, search: mm.search,
  }).optional(),
  /** DoReMi's search: reference and Group-DRO proxy recipes, η, c (kernel-lib/doremi/config.ts) */
  doremi: doremiSpecSchema.optional(),
  /** DoGE's search: proxy recipe, η (kernel-lib/doge/config.ts) */
  doge: dogeSpecSchema.optional(),
  /** the stratified arm's groups (group → domains); absent: the domains' kinds (data/kind.ts) */
  stratified: z.strictObject({ groups: z.record(z.string(), z.array(z.string().min(1)).min(1)) }).optional(),
  /** Aioli's settings (kernel-lib/aioli/config.ts), shared by both Aioli arms */
  aioli: aioliSpecSchema.optional(),
  /** restricted Aioli: `priorSteps` steps on `prior`'s weights first (HazyResearch/aioli `--aioli_prior`, `--prior_steps`) */
  aioliRestricted: z.strictObject({ prior: z.enum(PRIOR_METHODS), priorSteps: posInt }).optional(),
  /** ADO's settings (kernel-lib/ado/config.ts) */
  ado: adoSpecSchema.optional(),
}).superRefine((c, ctx) => {
  const need = (block: SearchBlock, methods: CompareMethod[]) => {
    if (!c[block] && methods.some((m) => c.methods.includes(m))) ctx.addIssue({ code: "custom", path: [block], message: `methods list ${methods.filter((m) => c.methods.includes(m)).join(", ")} but there is no "${block}" block` });
  };
  need("regmix", ["regmix", "regmix-mean"]);
  if (c.methods.includes("regmix") && c.methods.includes("regmix-mean") && c.regmix?.target === REGMIX_MEAN_TARGET) ctx.addIssue({ code: "custom", path: ["regmix", "target"], message: '"regmix-mean" is the mean-target arm; the "regmix" arm beside it needs another target' });
  need("chameleon", ["chameleon", "chameleon-official"]);
  need("mergemix", ["mergemix"]);
  need("doremi", ["doremi"]);
  need("doge", ["doge"]);
  need("aioli", ["aioli", "aioli-restricted"]);
  need("ado", ["ado"]);
  if (c.methods.includes("aioli-restricted")) {
    if (!c.aioliRestricted) ctx.addIssue({ code: "custom", path: ["aioliRestricted"], message: 'method "aioli-restricted" needs an "aioliRestricted" block (prior, priorSteps)' });
    else {
      const prior = c.aioliRestricted.prior;
      const block = prior === "chameleon-official" ? "chameleon" : prior;
      if (block in c && c[block as SearchBlock] === undefined && !["uniform", "prior", "stratified"].includes(prior)) ctx.addIssue({ code: "custom", path: ["aioliRestricted", "prior"], message: `the prior "${prior}" needs its "${block}" block` });
      if (c.aioliRestricted.priorSteps >= c.final.steps) ctx.addIssue({ code: "custom", path: ["aioliRestricted", "priorSteps"], message: `priorSteps ${c.aioliRestricted.priorSteps} leaves no step of the ${c.final.steps}-step final run to Aioli` });
    }
  }
  // Aioli learns on validation windows: judging it on the same split would let it see its judge
  if (c.methods.some((m) => m === "aioli" || m === "aioli-restricted") && c.eval.split === "validation") ctx.addIssue({ code: "custom", path: ["eval", "split"], message: 'Aioli scores the validation split while it trains: judge the arms on "test"' });
  // every recipe (final, chameleon.proxy, doremi's, doge's) checked its own seqLen; the embedding windows and MergeMix's pieces are checked here
  const embedTooLong = c.chameleon ? seqLenIssue(c.chameleon.embed.seqLen, recipeModelConfig(c.chameleon.proxy), "the Chameleon proxy") : null;
  if (embedTooLong) ctx.addIssue({ code: "custom", path: ["chameleon", "embed", "seqLen"], message: embedTooLong });
  for (const i of c.mergemix ? mergeMixRecipeIssues(c.mergemix, ["mergemix"]) : []) ctx.addIssue({ code: "custom", ...i });
  if (new Set(c.methods).size !== c.methods.length) ctx.addIssue({ code: "custom", path: ["methods"], message: "a method is listed twice" });
});

export type CompareConfig = z.infer<typeof compareSchema>;
export type ChameleonSearchSpec = NonNullable<CompareConfig["chameleon"]>;
export type MergeMixSearchSpec = NonNullable<CompareConfig["mergemix"]>;
export type DoremiSearchSpec = NonNullable<CompareConfig["doremi"]>;
export type DogeSearchSpec = NonNullable<CompareConfig["doge"]>;
export type CompareSuiteSpec = CompareConfig["suite"];

/** The sub-seeds of one experiment seed. */
export type CompareSeeds = {
  /** every final model (same init, same batch stream seed) */
  final: number;
  /** RegMix's search: mixtures, proxy i, simulation */
  regmix: RegmixSeeds;
  /** Chameleon's proxy and windows (studies/chameleon/experiments `experimentSeeds` derives from it) */
  chameleon: number;
  /** MergeMix's run seed */
  mergemix: number;
  /** DoReMi's reference and proxy (doremi/run.ts derives both) */
  doremi: number;
  /** DoGE's proxy */
  doge: number;
};

/**
 * The sub-seeds of an experiment seed (stable labels: adding an arm changes no other seed).
 *
 * @example
 * compareSeeds(42).final; // the seed every final model trains with
 */
export function compareSeeds(seed: number): CompareSeeds {
  return {
    final: deriveSeed(seed, "compare/final"),
    regmix: regmixSeeds(seed, "compare/regmix"),
    chameleon: deriveSeed(seed, "compare/chameleon"),
    mergemix: deriveSeed(seed, "compare/mergemix"),
    doremi: deriveSeed(seed, "compare/doremi"),
    doge: deriveSeed(seed, "compare/doge"),
  };
}

/**
 * The seed of the final models of seed repeat `repeat`: repeat 0 is the comparison's own
 * (`compareSeeds(seed).final`), so a study's first repeat reproduces the `compare` experiment;
 * every arm of one repeat shares it (paired comparisons: same init and batch stream).
 *
 * @example
 * finalSeed(42, 0) === compareSeeds(42).final; // true
 * finalSeed(42, 1); // the second repeat's seed
 */
export function finalSeed(seed: number, repeat: number): number {
  if (!Number.isInteger(repeat) || repeat < 0) throw new MixlabError("COMPARE_BAD_CONFIG", `a final model's seed repeat must be an integer ≥ 0, got ${repeat}`);
  return repeat === 0 ? compareSeeds(seed).final : deriveSeed(seed, `compare/final/${repeat}`);
}

/**
 * The configured arms in table order, duplicates removed.
 *
 * @example
 * orderedMethods(["mergemix", "uniform"]); // ["uniform", "mergemix"]
 */
export function orderedMethods(methods: readonly CompareMethod[]): CompareMethod[] {
  return COMPARE_METHODS.filter((m) => methods.includes(m));
}

/**
 * A listed method's search block (the schema requires it; this narrows the type and names the
 * block when a hand-built config lacks it).
 *
 * @example
 * const spec = searchSpec(config, "regmix"); spec.proxies;
 */
export function searchSpec<K extends SearchBlock>(config: CompareConfig, block: K): NonNullable<CompareConfig[K]> {
  const spec = config[block];
  if (!spec) throw new MixlabError("COMPARE_BAD_CONFIG", `the comparison lists a ${block} method but has no "${block}" block`);
  return spec as NonNullable<CompareConfig[K]>;
}

/**
 * An arm's label in every table: `METHOD_LABELS`, except that with both RegMix arms listed
 * each says its target ("RegMix (books)", "RegMix (mean)") — `target` is the "regmix" arm's
 * resolved target (`chooseTarget`). Configs with one RegMix arm keep the labels they had.
 *
 * @example
 * methodLabel(config, "regmix", "books"); // "RegMix" alone, "RegMix (books)" beside "regmix-mean"
 */
export function methodLabel(config: Pick<CompareConfig, "methods">, method: CompareMethod, target?: string): string {
  if (method === "regmix" && config.methods.includes("regmix-mean") && target !== undefined) return `RegMix (${target})`;
  return METHOD_LABELS[method];
}
