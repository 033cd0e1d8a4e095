/** DoGE's settings: the proxy's recipe, the sub-batch per domain and the weights' update. */
import { z } from "zod";
import { trainRecipeSchema } from "../train/recipe.js";
import { dogeOfficialSchema } from "./official.js";

/**
 * Which domain-weight update: "paper" (absent, every config before issue 27: the paper's form
 * α ⊙ exp(η·lr_t·⟨g_d, Σ_j g_j⟩), update.ts) or "official" (the official code's
 * `update_domain_weights`, official.ts). No default: a config without the field parses to
 * exactly what it did before, so committed stores re-derive.
 */
export const DOGE_UPDATES = ["paper", "official"] as const;
export type DogeUpdateKind = (typeof DOGE_UPDATES)[number];

export const dogeSpecSchema = z.strictObject({
  /** the proxy; its batchSize is split evenly over the domains unless `perDomainBatch` */
  proxy: trainRecipeSchema(),
  perDomainBatch: z.number().int().min(1).optional(),
  /** η of the paper form: the weights step by η · lr_t · s_d (lr_t the proxy's learning rate; README.md says why) */
  stepSize: z.number().min(0).default(1),
  /** absent = "paper" */
  update: z.enum(DOGE_UPDATES).optional(),
  /** the official update's μ, score clip and smoothing (absent: the official defaults); only with update "official" */
  official: dogeOfficialSchema.optional(),
}).superRefine((c, ctx) => {
  if (c.official !== undefined && c.update !== "official") ctx.addIssue({ code: "custom", path: ["official"], message: 'the "official" block needs update: "official"' });
  if (c.update === "official" && c.stepSize !== 1) ctx.addIssue({ code: "custom", path: ["stepSize"], message: "stepSize is the paper form's η; the official update steps by s/μ (set official.mu)" });
});
export type DogeSpec = z.infer<typeof dogeSpecSchema>;
export type DogeSpecInput = z.input<typeof dogeSpecSchema>;

/**
 * The update a spec asks for and, for "official", its constants (defaults filled in).
 *
 * @example
 * dogeUpdateOf(dogeSpecSchema.parse({ proxy, update: "official" })); // { kind: "official", official: { mu: 0.05, … } }
 */
export function dogeUpdateOf(spec: DogeSpec): { kind: "paper" } | { kind: "official"; official: z.infer<typeof dogeOfficialSchema> } {
  return spec.update === "official" ? { kind: "official", official: spec.official ?? dogeOfficialSchema.parse({}) } : { kind: "paper" };
}
