/**
 * Where a sweep's mixtures come from. `mixtures` in a sweep config is a list of sources whose
 * mixtures are concatenated in order:
 *   { "source": "list", "list": [{ "books": 0.5, "code_c": 0.5 }, …] }   explicit (absent domains → 0)
 *   { "source": "uniform" }                                              equal weights
 *   { "source": "prior" }                                                the token prior
 *   { "source": "dirichlet", "count": 8, "prior": "token", "strength": 1 }
 *        count draws from Dirichlet(α = prior · strength), prior "token" or "uniform"
 *   { "source": "regmix", "count": 64, "prior": "token" }
 *        RegMix's sampler (kernel-lib/regmix/mixtures.ts): tempered prior, 15 strengths, epoch bound,
 *        rounding, dedup; its constants (temperature, maxUsage, minimum, …) may be overridden
 * A new sampler (e.g. RegMix's) is one more member of `mixtureSourceSchema` and one more case
 * in `resolveMixtures`.
 */
import { z } from "zod";
import type { Corpus } from "../../data/corpus.js";
import { Mixture } from "../../data/mixture.js";
import { tokenPrior } from "../../data/prior.js";
import { MixlabError } from "../../util/errors.js";
import { sampleRegmixMixtures, type MixtureSamplerOptions } from "../../regmix/mixtures.js";
import { createRng, deriveSeed } from "../../util/rng.js";

export const mixtureSourceSchema = z.discriminatedUnion("source", [
  z.strictObject({ source: z.literal("list"), list: z.array(z.record(z.string(), z.number().min(0))).min(1) }),
  z.strictObject({ source: z.literal("uniform") }),
  z.strictObject({ source: z.literal("prior") }),
  z.strictObject({
    source: z.literal("dirichlet"),
    count: z.number().int().min(1),
    prior: z.enum(["token", "uniform"]).default("token"),
    strength: z.number().positive().default(1),
  }),
  z.strictObject({
    source: z.literal("regmix"),
    count: z.number().int().min(1),
    prior: z.enum(["token", "uniform"]).default("token"),
    // RegMix synthesize_mixture.py constants (kernel-lib/regmix/mixtures.ts); omitted → the repo's values
    temperature: z.number().positive().optional(),
    minStrength: z.number().positive().optional(),
    maxStrength: z.number().positive().optional(),
    numStrengths: z.number().int().min(1).optional(),
    sampleMultiplier: z.number().int().min(1).optional(),
    maxUsage: z.number().positive().optional(),
    minimum: z.number().positive().max(1).optional(),
  }),
]);
export type MixtureSource = z.infer<typeof mixtureSourceSchema>;

/** The sampler constants a `regmix` source may override. */
const REGMIX_CONSTANT_KEYS = ["temperature", "minStrength", "maxStrength", "numStrengths", "sampleMultiplier", "maxUsage", "minimum"] as const;

export const mixturesSchema = z.array(mixtureSourceSchema).min(1);

/**
 * The mixtures of all sources, in order, each over `domains`. Random sources draw from a
 * stream derived from `seed` and the source's position, so adding a source at the end never
 * changes earlier mixtures.
 *
 * @example
 * resolveMixtures([{ source: "uniform" }, { source: "dirichlet", count: 2, prior: "token", strength: 1 }], corpus, domains, 42).length; // 3
 */
export function resolveMixtures(sources: readonly MixtureSource[], corpus: Corpus, domains: readonly string[], seed: number): Mixture[] {
  const out: Mixture[] = [];
  sources.forEach((src, k) => {
    switch (src.source) {
      case "list":
        src.list.forEach((rec, i) => {
          try {
            out.push(Mixture.fromRecord(rec).over(domains));
          } catch (e) {
            if (e instanceof MixlabError) throw new MixlabError(e.code, `mixtures[${k}].list[${i}]: ${e.message}`);
            throw e;
          }
        });
        break;
      case "uniform":
        out.push(Mixture.uniform(domains));
        break;
      case "prior":
        out.push(tokenPrior(corpus, domains));
        break;
      case "dirichlet": {
        const centre = src.prior === "token" ? tokenPrior(corpus, domains).weights : Mixture.uniform(domains).weights;
        const alpha = Array.from(centre, (p) => p * src.strength);
        const rng = createRng(deriveSeed(seed, `mixtures/${k}`));
        for (let i = 0; i < src.count; i++) out.push(Mixture.normalised(domains, rng.dirichlet(alpha)));
        break;
      }
      case "regmix": {
        const centre = src.prior === "token" ? tokenPrior(corpus, domains) : Mixture.uniform(domains);
        const constants: Partial<MixtureSamplerOptions> = {};
        for (const key of REGMIX_CONSTANT_KEYS) if (src[key] !== undefined) constants[key] = src[key];
        out.push(...sampleRegmixMixtures(centre, { ...constants, numSamples: src.count, seed: deriveSeed(seed, `mixtures/${k}`) }));
        break;
      }
    }
  });
  return out;
}
