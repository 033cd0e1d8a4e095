/**
 * The config blocks of the Chameleon experiments — one zod schema each, the types inferred from
 * them. Models (proxy, final and base models) are `TrainRecipe`s; a finetune is a
 * `ContinueRecipe` (the base model's size is kept).
 */
import { z } from "zod";

/** Step 2: windows per domain and pooling (official: 2048 windows of 512 tokens, unmasked mean). */
export const embedSpecSchema = z.strictObject({
  /** windows per domain (official 2048) */
  windowsPerDomain: z.number().int().min(1),
  /** tokens per window (official 512; ≤ the proxy's blockSize) */
  seqLen: z.number().int().min(1),
  split: z.enum(["train", "validation", "test"]).default("train"),
  documentBoundaries: z.enum(["pad", "cross"]).default("pad"),
  includePadding: z.boolean().default(false),
  dedupe: z.boolean().default(true),
  /** residual state; default len(hidden_states)//2 */
  layer: z.number().int().min(0).optional(),
});
export type EmbedSpec = z.infer<typeof embedSpecSchema>;

/**
 * Steps 3–5 constants (official where unset). `ptWeightRatio`, when set, replaces τ_pt by the
 * temperature that makes max/min pretraining weight equal that ratio (`ptTemperatureForRatio`;
 * not the official method — see `temperature.ts`).
 */
export const weightSpecSchema = z.strictObject({
  lambda: z.number().positive().optional(),
  tauPt: z.number().positive().optional(),
  tauFt: z.number().positive().optional(),
  ptWeightRatio: z.number().gt(1).optional(),
}).default({});
export type WeightSpec = z.infer<typeof weightSpecSchema>;

/** Fixed evaluation windows per domain. */
export const evalSpecSchema = z.strictObject({
  windowsPerDomain: z.number().int().min(1).default(16),
  seqLen: z.number().int().min(1),
  split: z.enum(["validation", "test"]).default("validation"),
});
export type EvalSpec = z.infer<typeof evalSpecSchema>;
