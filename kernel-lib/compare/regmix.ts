/**
 * RegMix's weight search inside the comparison (kernel-lib/regmix, in the paper's order):
 *   1. `proposeRegmixMixtures` — the sweep's mixtures, RegMix's sampler around the token prior
 *   2. `trainRegmixProxy`      — one small proxy per mixture
 *   3–5. `chooseRegmixMixture` — GBDT + OLS on the sweep, simulation, top-k mean
 * and `chooseRegmixWeights` adds what the search cost.
 * Steps 1 and 3–5 are cheap and deterministic; step 2 is the cost, one independent run per
 * mixture (the experiment kit runs each as its own task).
 */
import type { Corpus } from "../data/corpus.js";
import { tokenPrior } from "../data/prior.js";
import { chooseRegmixMixture } from "../regmix/choose.js";
import type { RegmixSearchSpec } from "../regmix/config.js";
import type { SweepRow } from "../regmix/sweep.js";
import type { RegmixProxyRun } from "../regmix/proxies.js";
import { recipeModelConfig, recipeTokens } from "../train/recipe.js";
import { regmixSweepCost, type SearchCost } from "./cost.js";

/** What RegMix's regression and simulation chose, with the evidence. */
export type RegmixChoice = {
  mixture: Record<string, number>;
  target: string;
  fitted: number;
  heldOut: number;
  /** held-out Spearman of the GBDT and the linear model (null when nothing is held out) */
  spearman: { gbdt: number | null; linear: number | null };
  candidates: number;
  /** predicted target loss: mean of the top k, and the best candidate */
  predicted: { topKMean: number; best: number };
  cost: SearchCost;
};

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Fit, score, simulate and choose from a finished sweep (runs in plan order), with the sweep's
 * cost.
 *
 * @example
 * const c = chooseRegmixWeights(corpus, spec, runs, compareSeeds(42).regmixSimulate);
 * c.mixture; c.cost.flops;
 */
export function chooseRegmixWeights(corpus: Corpus, spec: RegmixSearchSpec, runs: readonly RegmixProxyRun[], seed: number): RegmixChoice {
  const rows: SweepRow[] = runs.map((r) => ({ mixture: r.mixture, losses: r.losses }));
  const a = chooseRegmixMixture(tokenPrior(corpus), spec, rows, seed, { keepPredictions: false });
  const score = (m: "gbdt" | "linear") => finite(a.scores.find((s) => s.model === m)?.spearman ?? Number.NaN);
  const p = spec.proxy;
  const evalTokens = corpus.domains.length * spec.windowsPerDomain * p.seqLen;
  return {
    mixture: a.chosen.toRecord(),
    target: a.target,
    fitted: a.trainRows,
    heldOut: a.heldOutRows,
    spearman: { gbdt: score("gbdt"), linear: score("linear") },
    candidates: a.simulation.numCandidates,
    predicted: { topKMean: a.simulation.stats.topKMean, best: a.simulation.stats.min },
    cost: regmixSweepCost(recipeModelConfig(p), p.seqLen, runs.length, recipeTokens(p), evalTokens),
  };
}
