/**
 * DoReMi's settings: the reference model's recipe and mixture, the proxy's recipe (same size as
 * the reference in the paper), the sub-batch per domain and the update's constants.
 */
import { z } from "zod";
import { trainRecipeSchema } from "../train/recipe.js";

const posInt = z.number().int().min(1);

export const doremiSpecSchema = z.strictObject({
  /** the reference model, trained on `referenceMixture` */
  reference: trainRecipeSchema(),
  /** "uniform" (paper default) or the token prior */
  referenceMixture: z.enum(["uniform", "token_prior"]).default("uniform"),
  /** validation windows per domain the reference is scored on (reported; forward FLOPs counted) */
  referenceEvalWindows: posInt.default(4),
  /** the Group-DRO proxy; its batchSize is split evenly over the domains unless `perDomainBatch` */
  proxy: trainRecipeSchema(),
  perDomainBatch: posInt.optional(),
  /** η (paper: 1) */
  stepSize: z.number().min(0).default(1),
  /** c (paper: 1e-3) */
  smoothing: z.number().min(0).max(1).default(1e-3),
});
export type DoremiSpec = z.infer<typeof doremiSpecSchema>;
export type DoremiSpecInput = z.input<typeof doremiSpecSchema>;
