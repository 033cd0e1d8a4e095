/**
 * MergeMix's weight search inside the comparison: `runMergeMix` with its rank-consistency
 * study switched off — base → experts → seed merges scored on
 * MergeMix's suite → GBDT surrogates → simplex search → α* verified by merging → α* as a data
 * mixture — and its own cost table.
 */
import type { Corpus } from "../data/corpus.js";
import type { MergeMixConfig } from "../mergemix/config.js";
import { runMergeMix } from "../mergemix/run.js";
import type { MergeMixSearchSpec } from "./config.js";
import { mergemixSearchCost, type SearchCost } from "./cost.js";

/** MergeMix's mixture and the evidence for it. */
export type MergeMixChoice = {
  mixture: Record<string, number>;
  groups: Record<string, string[]>;
  /** merge weights over the groups */
  alphaStar: number[];
  /** surrogate-predicted and merge-verified utility of α* (on MergeMix's search suite) */
  utility: { predicted: number; verified: number; bestSeed: number };
  seeds: number;
  cost: SearchCost;
  timings: Record<string, number>;
};

/**
 * Run MergeMix's search on `corpus`.
 *
 * @example
 * const c = await mergemixSearch(corpus, spec, compareSeeds(42).mergemix, console.log);
 * c.mixture; c.cost.flops;
 */
export async function mergemixSearch(corpus: Corpus, spec: MergeMixSearchSpec, seed: number, log: (line: string) => void = () => {}): Promise<MergeMixChoice> {
  const config: MergeMixConfig = { ...spec, seed, corpus: corpus.dir, consistency: { twoDomain: null, multiDomain: null } };
  const r = await runMergeMix(config, { corpus, log });
  const trainTokens = r.base.tokens + r.experts.reduce((a, e) => a + e.tokens, 0);
  return {
    mixture: r.search.mixture,
    groups: r.groups,
    alphaStar: r.search.alphaStar,
    utility: { predicted: r.search.predicted.utility, verified: r.search.verified.scores.utility, bestSeed: r.search.bestSeed.scores.utility },
    seeds: r.seeds.length,
    cost: mergemixSearchCost(r.cost.mergeMix, trainTokens, 1 + r.experts.length),
    timings: r.timings,
  };
}
