/**
 * The config blocks of the Chameleon experiments — one zod schema each, the types inferred from
 * them. Models (proxy, final and base models) are `TrainRecipe`s; a finetune is a
 * `ContinueRecipe` (the base model's size is kept).
 */
import { z } from "zod";
import { LEGACY_WINDOW_MODE } from "./windows.js";

/**
 * Step 2: windows per domain, how they are cut, and pooling (official: 2048 windows of 512 tokens
 * across documents, each batch padded to its longest window, unmasked mean — see
 * `chameleon/windows.ts` and `chameleon/embed.ts`). `windowMode` (default "stream", the official
 * windows; "document" stops each window at its document's end) is resolved where the windows are
 * cut (`resolveWindowMode`); the old key `documentBoundaries` ("pad" = "document", "cross" =
 * "stream") is still read, and a contradiction between the two is refused here. No zod default
 * or transform for it: a default could not be told from an explicit "stream" next to the old key,
 * and a transform makes a pipe, whose output tslab's non-strict compiler reads as optional.
 */
export const embedSpecSchema = z.strictObject({
  /** windows per domain (official 2048) */
  windowsPerDomain: z.number().int().min(1),
  /** tokens per window (official 512; ≤ the proxy's blockSize) */
  seqLen: z.number().int().min(1),
  split: z.enum(["train", "validation", "test"]).default("train"),
  /** "stream" (default, official): T tokens across documents; "document": stop after the document's EOS */
  windowMode: z.enum(["stream", "document"]).optional(),
  /** deprecated spelling of `windowMode`: "pad" = "document", "cross" = "stream" */
  documentBoundaries: z.enum(["pad", "cross"]).optional(),
  includePadding: z.boolean().default(false),
  dedupe: z.boolean().default(true),
  /** residual state; default len(hidden_states)//2 */
  layer: z.number().int().min(0).optional(),
}).superRefine((s, ctx) => {
  if (s.windowMode !== undefined && s.documentBoundaries !== undefined && s.windowMode !== LEGACY_WINDOW_MODE[s.documentBoundaries]) {
    ctx.addIssue({ code: "custom", path: ["windowMode"], message: `"${s.windowMode}" contradicts documentBoundaries "${s.documentBoundaries}" (= "${LEGACY_WINDOW_MODE[s.documentBoundaries]}"); give windowMode only` });
  }
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
