/**
 * `TrainRecipe` — how one model is trained: its size (a preset, optionally with overrides), the
 * batch geometry, the optimiser schedule and the epoch cap. The one schema every method and
 * experiment config embeds (RegMix's proxies and final models, Chameleon's proxy and models,
 * MergeMix's base and experts, the comparison's final models) and the one thing the trainer
 * takes (`trainProxy`, `trainAndScore`, `createGroupProxy`); the type comes from `z.infer`.
 *
 * Everything a recipe may leave out is settled here, once: the schedule (cosine, or a config's
 * own default), `minLrRatio` (0.1), the warm-up (min(100, ⌊steps/10⌋), `recipeSchedule`), and
 * the rule that a window fits the model (`seqLenIssue`).
 *
 * A recipe plus a mixture, a seed and an evaluation spec is a whole training run
 * (`trainAndScore`).
 */
import { z } from "zod";
import { PRESETS, presetConfig, type GptConfig, type PresetName } from "../model/config.js";
import { MixlabError } from "../util/errors.js";
import type { LrSchedule } from "./schedule.js";

const presetNames = Object.keys(PRESETS) as [PresetName, ...PresetName[]];
/** A model preset name (kernel-lib/model/config.ts PRESETS). */
export const presetNameSchema = z.enum(presetNames);
/** Learning-rate schedules (train/schedule.ts): warm-up, then cosine or linear decay, or constant. */
export const scheduleSchema = z.enum(["cosine", "constant", "linear"]);
export type ScheduleKind = z.infer<typeof scheduleSchema>;
const posInt = z.number().int().min(1);

/** The schedule of a recipe that names none (a config may choose another: RegMix's proxies). */
export const DEFAULT_SCHEDULE: ScheduleKind = "cosine";
/** Final lr / peak lr of a cosine or linear schedule that names none. */
export const DEFAULT_MIN_LR_RATIO = 0.1;

/**
 * The warm-up of a recipe that names none: min(100, ⌊steps/10⌋).
 *
 * @example
 * defaultWarmupSteps(500); // 50
 */
export function defaultWarmupSteps(steps: number): number {
  return Math.min(100, Math.floor(steps / 10));
}

/**
 * The rule every window a model trains or is scored on obeys: T ≤ the model's blockSize (the
 * length of its position table). The one statement of it — the recipe schema refines with it,
 * configs with windows of their own (embedding, evaluation) and the trainer call it. Returns
 * the violation as a message naming the model as `whose`, or null.
 *
 * @example
 * seqLenIssue(65, presetConfig("tiny"), "the tiny model"); // "65 exceeds the tiny model's blockSize 64"
 */
export function seqLenIssue(seqLen: number, model: Pick<GptConfig, "blockSize">, whose = "the model"): string | null {
  return seqLen > model.blockSize ? `${seqLen} exceeds ${whose}'s blockSize ${model.blockSize}` : null;
}

/** Architecture overrides over the preset (e.g. a longer blockSize). */
export const trainRecipeOverridesSchema = z.strictObject({
  nLayer: posInt.optional(),
  nHead: posInt.optional(),
  dModel: posInt.optional(),
  dMlp: posInt.optional(),
  blockSize: posInt.optional(),
  vocabSize: posInt.optional(),
});

/** Every field of a recipe as a config writes it; those a recipe may leave out are optional. */
const partShape = {
  /** model size (kernel-lib/model/config.ts PRESETS) */
  preset: presetNameSchema,
  overrides: trainRecipeOverridesSchema.optional(),
  steps: posInt,
  /** windows per batch */
  batchSize: posInt,
  /** T, tokens per window (≤ the model's blockSize) */
  seqLen: posInt,
  /** peak learning rate */
  lr: z.number().positive(),
  /** default DEFAULT_SCHEDULE ("cosine") or the config's own */
  schedule: scheduleSchema.optional(),
  /** default min(100, ⌊steps/10⌋) (`defaultWarmupSteps`) */
  warmupSteps: z.number().int().min(0).optional(),
  /** final lr / peak lr for cosine and linear; default DEFAULT_MIN_LR_RATIO (0.1) */
  minLrRatio: z.number().min(0).max(1).optional(),
  /** cap on epochs of any domain's train split (RegMix: 15) and what to do at it */
  maxEpochs: z.number().positive().optional(),
  onCap: z.enum(["error", "renormalise"]).optional(),
};

/**
 * A recipe's fields with no default applied, for a config that writes one recipe in pieces
 * (MergeMix: the model and batch geometry once, each stage's schedule apart) and picks them
 * from here. The parsed config then holds only what was written; the defaults apply when the
 * pieces are joined into a recipe (`resolveRecipe`).
 *
 * @example
 * recipePartsSchema.pick({ steps: true, lr: true }).parse({ steps: 10, lr: 1e-3 });
 */
export const recipePartsSchema = z.strictObject(partShape);

/** Defaults a config may give its recipes (visible in that schema, not hidden in the trainer). */
export type RecipeDefaults = { schedule?: ScheduleKind; batchSize?: number; seqLen?: number };

const recipeShape = ({ schedule = DEFAULT_SCHEDULE, batchSize, seqLen }: RecipeDefaults) => ({
  ...partShape,
  batchSize: batchSize === undefined ? partShape.batchSize : partShape.batchSize.default(batchSize),
  seqLen: seqLen === undefined ? partShape.seqLen : partShape.seqLen.default(seqLen),
  schedule: scheduleSchema.default(schedule),
  minLrRatio: z.number().min(0).max(1).default(DEFAULT_MIN_LR_RATIO),
});

/**
 * The recipe schema; `schedule` defaults to "cosine", or to `defaults.schedule` (RegMix's
 * proxies: "constant" after warm-up); `defaults` may also give batchSize and seqLen. Checks
 * seqLen ≤ the model's blockSize at load time (`seqLenIssue`).
 *
 * @example
 * trainRecipeSchema().parse({ preset: "tiny", steps: 200, batchSize: 16, seqLen: 64, lr: 3e-3 }).schedule; // "cosine"
 */
export function trainRecipeSchema(defaults: RecipeDefaults = {}) {
  return z.strictObject(recipeShape(defaults)).superRefine((r, ctx) => {
    const issue = seqLenIssue(r.seqLen, recipeModelConfig(r), `the ${r.preset} model`);
    if (issue) ctx.addIssue({ code: "custom", path: ["seqLen"], message: issue });
  });
}

/**
 * A recipe without the model size, for continuing a given model (finetuning): the size is the
 * starting model's.
 *
 * @example
 * continueRecipeSchema().parse({ steps: 100, batchSize: 8, seqLen: 64, lr: 1e-4 });
 */
export function continueRecipeSchema(defaults: RecipeDefaults = {}) {
  const { preset: _p, overrides: _o, ...rest } = recipeShape(defaults);
  return z.strictObject(rest);
}
export type ContinueRecipe = z.infer<ReturnType<typeof continueRecipeSchema>>;

export type TrainRecipe = z.infer<ReturnType<typeof trainRecipeSchema>>;
/** A recipe built by hand in code: `schedule` and `minLrRatio` may be left out (the schema's defaults). */
export type TrainRecipeInput = Omit<TrainRecipe, "schedule" | "minLrRatio"> & Partial<Pick<TrainRecipe, "schedule" | "minLrRatio">>;

/**
 * A recipe checked and completed by the schema (defaults filled in, seqLen ≤ blockSize), or a
 * named error (`code`, default TRAIN_BAD_CONFIG) naming the first bad field. What the trainer
 * does with every recipe it is given, and how a config written in pieces becomes recipes.
 *
 * @example
 * resolveRecipe({ preset: "tiny", steps: 200, batchSize: 16, seqLen: 64, lr: 3e-3 }).minLrRatio; // 0.1
 * resolveRecipe({ ...shared, ...experts }, { schedule: "constant" }, "MERGEMIX_BAD_CONFIG");
 */
export function resolveRecipe(r: TrainRecipeInput, defaults: RecipeDefaults = {}, code = "TRAIN_BAD_CONFIG"): TrainRecipe {
  const parsed = trainRecipeSchema(defaults).safeParse(r);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0];
  throw new MixlabError(code, `recipe ${i.path.join(".") || "(recipe)"}: ${i.message}`);
}

/**
 * The learning-rate schedule a recipe trains with (warm-up default filled in): the one place a
 * recipe's lr and schedule fields become the trainer's `LrSchedule`.
 *
 * @example
 * recipeSchedule(resolveRecipe({ preset: "tiny", steps: 500, batchSize: 8, seqLen: 64, lr: 1e-3 })).warmupSteps; // 50
 */
export function recipeSchedule(r: TrainRecipe): Required<LrSchedule> {
  return { kind: r.schedule, lr: r.lr, warmupSteps: r.warmupSteps ?? defaultWarmupSteps(r.steps), totalSteps: r.steps, minLrRatio: r.minLrRatio };
}

/**
 * The model architecture a recipe trains.
 *
 * @example
 * recipeModelConfig({ preset: "1M", overrides: { blockSize: 128 } }).blockSize; // 128
 */
export function recipeModelConfig(r: { preset: PresetName; overrides?: Partial<GptConfig> }): GptConfig {
  return presetConfig(r.preset, r.overrides ?? {});
}

/**
 * Training tokens of a recipe (steps × batch × T).
 *
 * @example
 * recipeTokens({ steps: 200, batchSize: 16, seqLen: 64 }); // 204800
 */
export function recipeTokens(r: Pick<TrainRecipe, "steps" | "batchSize" | "seqLen">): number {
  return r.steps * r.batchSize * r.seqLen;
}
