/**
 * `TrainRecipe` — how one model is trained: its size (a preset, optionally with overrides), the
 * batch geometry, the optimiser schedule and the epoch cap. The one schema every method and
 * experiment config embeds (RegMix's proxies and final models, Chameleon's proxy and models,
 * MergeMix's base and experts, the comparison's final models); the type comes from `z.infer`.
 *
 * A recipe plus a mixture, a seed and an evaluation spec is a whole training run
 * (`trainAndScore`).
 */
import { z } from "zod";
import { PRESETS, presetConfig, type GptConfig, type PresetName } from "../model/config.js";
import type { ScheduleKind } from "./schedule.js";

const presetNames = Object.keys(PRESETS) as [PresetName, ...PresetName[]];
/** A model preset name (kernel-lib/model/config.ts PRESETS). */
export const presetNameSchema = z.enum(presetNames);
export const scheduleSchema = z.enum(["cosine", "constant", "linear"]);
const posInt = z.number().int().min(1);

/** Architecture overrides over the preset (e.g. a longer blockSize). */
export const trainRecipeOverridesSchema = z.strictObject({
  nLayer: posInt.optional(),
  nHead: posInt.optional(),
  dModel: posInt.optional(),
  dMlp: posInt.optional(),
  blockSize: posInt.optional(),
  vocabSize: posInt.optional(),
});

/** Defaults a config may give its recipes (visible in that schema, not hidden in the trainer). */
export type RecipeDefaults = { schedule?: ScheduleKind; batchSize?: number; seqLen?: number };

const recipeShape = ({ schedule = "cosine", batchSize, seqLen }: RecipeDefaults) => ({
  /** model size (kernel-lib/model/config.ts PRESETS) */
  preset: presetNameSchema,
  overrides: trainRecipeOverridesSchema.optional(),
  steps: posInt,
  /** windows per batch */
  batchSize: batchSize === undefined ? posInt : posInt.default(batchSize),
  /** T, tokens per window (≤ the model's blockSize) */
  seqLen: seqLen === undefined ? posInt : posInt.default(seqLen),
  /** peak learning rate */
  lr: z.number().positive(),
  schedule: scheduleSchema.default(schedule),
  /** default min(100, ⌊steps/10⌋) */
  warmupSteps: z.number().int().min(0).optional(),
  /** final lr / peak lr for cosine and linear */
  minLrRatio: z.number().min(0).max(1).default(0.1),
  /** cap on epochs of any domain's train split (RegMix: 15) and what to do at it */
  maxEpochs: z.number().positive().optional(),
  onCap: z.enum(["error", "renormalise"]).optional(),
});

/**
 * The recipe schema; `schedule` defaults to "cosine", or to `defaults.schedule` (RegMix's
 * proxies: "constant" after warm-up); `defaults` may also give batchSize and seqLen. Checks seqLen ≤ the model's blockSize at load time.
 *
 * @example
 * trainRecipeSchema().parse({ preset: "tiny", steps: 200, batchSize: 16, seqLen: 64, lr: 3e-3 }).schedule; // "cosine"
 */
export function trainRecipeSchema(defaults: RecipeDefaults = {}) {
  return z.strictObject(recipeShape(defaults)).superRefine((r, ctx) => {
    const block = recipeModelConfig(r).blockSize;
    if (r.seqLen > block) ctx.addIssue({ code: "custom", path: ["seqLen"], message: `${r.seqLen} exceeds the ${r.preset} model's blockSize ${block}` });
  });
}

/**
 * A recipe without the model size, for continuing a given model (finetuning, MergeMix's experts):
 * the size is the starting model's.
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
/** A recipe built by hand in code: `schedule` and `minLrRatio` may be left out (cosine, 0.1). */
export type TrainRecipeInput = Omit<TrainRecipe, "schedule" | "minLrRatio"> & Partial<Pick<TrainRecipe, "schedule" | "minLrRatio">>;

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
