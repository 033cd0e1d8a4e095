/**
 * The config of RegMix's search — one zod schema, the type inferred from it — shared by the
 * `regmix-mini` experiment (the search and its regression analysis) and the comparison's RegMix
 * arm (the search, then a final model on the chosen mixture). Seeds of every step derive from
 * one experiment seed through `regmixSeeds`.
 */
import { z } from "zod";
import { corpusRefSchema } from "../data/corpus-ref.js";
import { trainRecipeSchema } from "../train/recipe.js";
import { deriveSeed } from "../util/rng.js";

const posInt = z.number().int().min(1);

export const regmixSearchSchema = z.strictObject({
  /** step 1: proxies in the sweep (RegMix's sampler around the token prior) */
  proxies: z.number().int().min(3),
  /** step 2: each proxy's recipe (RegMix: constant LR after warm-up) */
  proxy: trainRecipeSchema({ schedule: "constant" }),
  /** validation windows per domain each proxy is scored on (T = the proxy's seqLen) */
  windowsPerDomain: posInt,
  /** domain whose loss RegMix minimises, or "mean" (the mean over the domains) (default: `chooseTarget`, books) */
  target: z.string().min(1).optional(),
  /** step 3: the last `heldOut` proxies score the regressors and are kept out of fitting */
  heldOut: z.number().int().min(0),
  /** early-stop the GBDT on the held-out proxies, as the RegMix notebook does (leaks them into fitting) */
  earlyStopping: z.boolean().default(false),
  /** GBDT options over RegMix's LightGBM defaults */
  gbdt: z.strictObject({
    numRounds: posInt.optional(), learningRate: z.number().positive().optional(), numLeaves: z.number().int().min(2).optional(),
    minDataInLeaf: posInt.optional(), maxBin: z.number().int().min(2).optional(),
  }).default({}),
  /** steps 4–5: simulate candidates from Dirichlet(prior · strength) (or RegMix's constrained sampler), average the top k */
  simulate: z.strictObject({
    candidates: posInt,
    topK: posInt,
    strength: z.number().positive().default(1),
    sampler: z.enum(["dirichlet", "constrained"]).default("dirichlet"),
    simulateWith: z.enum(["gbdt", "linear"]).default("gbdt"),
  }),
}).superRefine((c, ctx) => {
  if (c.heldOut > c.proxies - 2) ctx.addIssue({ code: "custom", path: ["heldOut"], message: `${c.heldOut} leaves fewer than 2 of ${c.proxies} proxies to fit on` });
});
export type RegmixSearchSpec = z.infer<typeof regmixSearchSchema>;

/** The seeds of one RegMix search. */
export type RegmixSeeds = {
  /** step 1's sampler */
  mixtures: number;
  /**
   * The proxies' init and batch-stream seed. Every proxy of a sweep shares seed repeat 0, as
   * the RegMix repository trains all its proxies with one seed, so only the mixture differs
   * between rows; `repeat` k > 0 is the explicit repeated-seed axis (seed noise, intervals).
   */
  proxy(repeat?: number): number;
  /** step 4's candidates */
  simulate: number;
};

/**
 * The seeds of a RegMix search under one experiment seed (`namespace` keeps the comparison's
 * seeds apart from a stand-alone search's).
 *
 * @example
 * regmixSeeds(42).proxy() === regmixSeeds(42).proxy(0); // true: every proxy of the sweep
 * regmixSeeds(42).proxy(1) !== regmixSeeds(42).proxy(0); // true: a seed repeat
 */
export function regmixSeeds(seed: number, namespace = "regmix"): RegmixSeeds {
  return {
    mixtures: deriveSeed(seed, `${namespace}/mixtures`),
    proxy: (repeat = 0) => deriveSeed(seed, `${namespace}/proxy-seed/${repeat}`),
    simulate: deriveSeed(seed, `${namespace}/simulate`),
  };
}

/** A stand-alone RegMix search (`experiments/regmix-mini.json`): a corpus, optionally a domain subset, the search. */
export const regmixExperimentSchema = z.strictObject({
  corpus: corpusRefSchema,
  /** a subset of the corpus's domains (default: all) */
  domains: z.array(z.string().min(1)).min(1).optional(),
  regmix: regmixSearchSchema,
});
export type RegmixExperimentConfig = z.infer<typeof regmixExperimentSchema>;
