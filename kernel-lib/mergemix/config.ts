/**
 * The config of a MergeMix run — one zod schema (what `experiments/mergemix-*.json` hold and the
 * `mergemix` kind validates), the type inferred from it. Profiles live in the JSON files only.
 * The base and the experts are `TrainRecipe`s built from it by `mergeMixRecipes`.
 */
import { z } from "zod";
import { corpusRefSchema } from "../data/corpus-ref.js";
import type { BackendChoice } from "../model/backend.js";
import { presetNameSchema, recipeModelConfig, scheduleSchema, trainRecipeOverridesSchema, type TrainRecipe } from "../train/recipe.js";
import { MixlabError } from "../util/errors.js";

const posInt = z.number().int().min(1);
const sizes = z.strictObject({
  items: posInt, numChoices: z.number().int().min(2), contextBytes: posInt, minContextBytes: posInt, maxChoiceBytes: posInt, minChoiceBytes: posInt,
});

/** The fields of a MergeMix config (everything but the seed). */
export const mergeMixSchema = z.strictObject({
  /** "default", "fixture" or a corpus directory relative to the project root */
  corpus: corpusRefSchema,
  model: z.strictObject({ preset: presetNameSchema, overrides: trainRecipeOverridesSchema.optional() }),
  seqLen: posInt,
  batchSize: posInt,
  base: z.strictObject({ mixture: z.enum(["token_prior", "uniform"]), steps: posInt, lr: z.number().positive(), schedule: scheduleSchema, warmupSteps: z.number().int().min(0) }),
  /** experts and every trained comparison model: continued from the base, constant LR */
  experts: z.strictObject({ steps: posInt, lr: z.number().positive(), warmupSteps: z.number().int().min(0) }),
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
  const block = recipeModelConfig(c.model).blockSize;
  if (c.seqLen > block) ctx.addIssue({ code: "custom", path: ["seqLen"], message: `${c.seqLen} exceeds the model's blockSize ${block}` });
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
 * The base's and the experts' recipes (the experts, and every model trained from the base for
 * comparison, continue with a constant LR after warm-up).
 *
 * @example
 * const { base, expert } = mergeMixRecipes(cfg); base.steps; expert.schedule; // "constant"
 */
export function mergeMixRecipes(c: Pick<MergeMixSettings, "model" | "batchSize" | "seqLen" | "base" | "experts">): { base: TrainRecipe; expert: TrainRecipe } {
  const shared = { preset: c.model.preset, overrides: c.model.overrides, batchSize: c.batchSize, seqLen: c.seqLen, minLrRatio: 0.1 };
  return {
    base: { ...shared, steps: c.base.steps, lr: c.base.lr, schedule: c.base.schedule, warmupSteps: c.base.warmupSteps },
    expert: { ...shared, steps: c.experts.steps, lr: c.experts.lr, schedule: "constant", warmupSteps: c.experts.warmupSteps },
  };
}
