/**
 * The config of a MergeMix run — one zod schema (what `experiments/mergemix-*.json` hold and the
 * `mergemix` kind validates), the type inferred from it. Profiles live in the JSON files only.
 *
 * The base and the experts are two `TrainRecipe`s written in pieces: the model and the batch
 * geometry once (`model`, `seqLen`, `batchSize`, shared by every stage), each stage's schedule
 * apart (`base`, `experts`). Every piece is the recipe schema's own field (`recipePartsSchema`);
 * `mergeMixRecipes` joins them and completes them with the recipe schema's defaults — the
 * base's schedule defaults to cosine, the experts' to MergeMix's constant LR after warm-up.
 * The recipe fields MergeMix gives no value of its own (warm-up, minLrRatio, maxEpochs, onCap)
 * may be written in either stage and mean what they mean in any recipe.
 */
import { z } from "zod";
import { corpusRefSchema } from "../data/corpus-ref.js";
import type { BackendChoice } from "../model/backend.js";
import { recipeModelConfig, recipePartsSchema, resolveRecipe, seqLenIssue, type RecipeDefaults, type TrainRecipe } from "../train/recipe.js";
import { MixlabError } from "../util/errors.js";

const posInt = z.number().int().min(1);
const part = recipePartsSchema;
/** What a stage's recipe does not share with the other stage: its length and schedule. */
const stage = part.pick({ steps: true, lr: true, schedule: true, warmupSteps: true, minLrRatio: true, maxEpochs: true, onCap: true });
/** Each stage's schedule when its block names none (the recipe schema applies it). */
const STAGE_DEFAULTS = { base: {}, experts: { schedule: "constant" } } as const satisfies Record<"base" | "experts", RecipeDefaults>;

/** MergeMix's two recipes as its config writes them (top-level fields, shared by the configs that embed MergeMix). */
export const mergeMixRecipeShape = {
  /** the model every stage trains: a preset, optionally with overrides */
  model: part.pick({ preset: true, overrides: true }),
  seqLen: part.shape.seqLen,
  batchSize: part.shape.batchSize,
  /** the base: its mixture, then its schedule (default cosine) */
  base: z.strictObject({ mixture: z.enum(["token_prior", "uniform"]), ...stage.shape }),
  /** experts and every trained comparison model: continued from the base (default: constant LR after warm-up) */
  experts: stage,
};
type MergeMixRecipeFields = { [K in keyof typeof mergeMixRecipeShape]: z.infer<(typeof mergeMixRecipeShape)[K]> };

/**
 * The load-time checks of MergeMix's recipes, for each config that embeds them (`at`: the path
 * of the block that holds them): the recipe schema's rule that the windows fit the model.
 *
 * @example
 * mergeMixRecipeIssues({ ...settings, seqLen: 128 }, ["mergemix"]); // [{ path: ["mergemix", "seqLen"], message: "128 exceeds the model's blockSize 64" }]
 */
export function mergeMixRecipeIssues(c: Pick<MergeMixRecipeFields, "model" | "seqLen">, at: string[] = []): { path: string[]; message: string }[] {
  const issue = seqLenIssue(c.seqLen, recipeModelConfig(c.model));
  return issue ? [{ path: [...at, "seqLen"], message: issue }] : [];
}
const sizes = z.strictObject({
  items: posInt, numChoices: z.number().int().min(2), contextBytes: posInt, minContextBytes: posInt, maxChoiceBytes: posInt, minChoiceBytes: posInt,
});

/** The fields of a MergeMix config (everything but the seed). */
export const mergeMixSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  ...mergeMixRecipeShape,
  /** group name → domains (one expert per group) */
  groups: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)),
  suite: z.strictObject({
    seed: z.number().int().min(0),
    sizes,
    taskOverrides: z.record(z.string(), sizes.partial()).optional(),
    capabilities: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
    metric: z.enum(["acc", "acc_norm", "prob"]),
  }),
  validationWindows: posInt,
  search: z.strictObject({
    seeds: z.strictObject({ count: posInt, gridSteps: posInt, dirichletConcentration: z.number().positive() }),
    capability: z.string().min(1).optional(),
    gbdt: z.strictObject({ learningRate: z.number().positive().optional(), numRounds: posInt.optional(), numLeaves: z.number().int().min(2).optional(), minDataInLeaf: posInt.optional(), minDataInBin: posInt.optional(), maxDepth: z.number().int().optional(), lambdaL2: z.number().min(0).optional() }).optional(),
    options: z.strictObject({ samples: z.number().int().min(0).optional(), concentrations: z.array(z.number().positive()).min(1).optional(), gridSteps: z.number().int().min(0).optional(), starts: posInt.optional(), initialStep: z.number().positive().optional(), minStep: z.number().positive().optional() }).optional(),
    cvFolds: z.number().int().min(0),
  }),
  consistency: z.strictObject({
    // two group names (an array of length 2: tslab's TypeScript infers zod tuples loosely)
    twoDomain: z.strictObject({ groups: z.array(z.string().min(1)).length(2), alphas: z.array(z.number().min(0).max(1)).min(3) }).nullable(),
    multiDomain: z.strictObject({ mixtures: z.number().int().min(3), concentration: z.number().positive() }).nullable(),
  }),
}).superRefine((c, ctx) => {
  for (const i of mergeMixRecipeIssues(c)) ctx.addIssue({ code: "custom", ...i });
  if (c.consistency.twoDomain && c.consistency.twoDomain.groups[0] === c.consistency.twoDomain.groups[1]) ctx.addIssue({ code: "custom", path: ["consistency", "twoDomain", "groups"], message: "needs two different groups" });
  if (c.consistency.twoDomain) for (const g of c.consistency.twoDomain.groups) if (!(g in c.groups)) ctx.addIssue({ code: "custom", path: ["consistency", "twoDomain", "groups"], message: `unknown group "${g}"` });
});
/** The JSON fields of a MergeMix config. */
export type MergeMixSettings = z.infer<typeof mergeMixSchema>;

/** A MergeMix run: its settings, the seed, and optionally the engine. */
export type MergeMixConfig = MergeMixSettings & { seed: number; backend?: BackendChoice };

/**
 * Validate settings (e.g. a JSON object, or a profile's fields) into a run config; errors name
 * the path (MERGEMIX_BAD_CONFIG).
 *
 * @example
 * const cfg = parseMergeMixConfig(loadExperimentConfig("experiments/mergemix-quick.json", "ci").fields, 1);
 */
export function parseMergeMixConfig(fields: unknown, seed: number): MergeMixConfig {
  const r = mergeMixSchema.safeParse(fields);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new MixlabError("MERGEMIX_BAD_CONFIG", `${i.path.join(".") || "(config)"}: ${i.message}`);
  }
  return { ...r.data, seed };
}

/**
 * The base's and the experts' recipes: the shared model and geometry joined with each stage's
 * block and completed by the recipe schema (the experts, and every model trained from the base
 * for comparison, default to a constant LR after warm-up). MERGEMIX_BAD_CONFIG names a bad
 * field of hand-built settings (a loaded config was checked when it was parsed).
 *
 * @example
 * const { base, expert } = mergeMixRecipes(cfg); base.steps; expert.schedule; // "constant"
 */
export function mergeMixRecipes(c: Pick<MergeMixSettings, keyof MergeMixRecipeFields>): { base: TrainRecipe; expert: TrainRecipe } {
  const shared = { ...c.model, batchSize: c.batchSize, seqLen: c.seqLen };
  const { mixture: _mixture, ...base } = c.base;
  return {
    base: resolveRecipe({ ...shared, ...base }, STAGE_DEFAULTS.base, "MERGEMIX_BAD_CONFIG"),
    expert: resolveRecipe({ ...shared, ...c.experts }, STAGE_DEFAULTS.experts, "MERGEMIX_BAD_CONFIG"),
  };
}
