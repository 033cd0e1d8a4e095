/** DoGE's settings: the proxy's recipe, the sub-batch per domain and the weights' step size. */
import { z } from "zod";
import { trainRecipeSchema } from "../train/recipe.js";

export const dogeSpecSchema = z.strictObject({
  /** the proxy; its batchSize is split evenly over the domains unless `perDomainBatch` */
  proxy: trainRecipeSchema(),
  perDomainBatch: z.number().int().min(1).optional(),
  /** η: the weights step by η · lr_t · s_d (lr_t the proxy's learning rate; README.md says why) */
  stepSize: z.number().min(0).default(1),
});
export type DogeSpec = z.infer<typeof dogeSpecSchema>;
export type DogeSpecInput = z.input<typeof dogeSpecSchema>;
