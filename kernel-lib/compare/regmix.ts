/**
 * RegMix's weight search inside the comparison (kernel-lib/regmix, in the paper's order):
 *   1. `regmixProxyMixtures` — the sweep's mixtures, RegMix's sampler around the token prior
 *   2. `trainRegmixProxy`    — one small proxy per mixture, every domain's validation loss
 *   3–5. `chooseRegmixWeights` — GBDT + OLS on the sweep (`analyseSweep`), simulation, top-k mean
 * Steps 1 and 3–5 are cheap and deterministic; step 2 is the cost, one independent run per
 * mixture (the experiment kit runs each as its own task).
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { tokenPrior } from "../data/prior.js";
import { validationSets } from "../data/validation.js";
import { presetConfig } from "../model/config.js";
import { sampleRegmixMixtures } from "../regmix/mixtures.js";
import { analyseSweep, chooseTarget } from "../regmix/experiment.js";
import type { SweepRow } from "../regmix/sweep.js";
import { trainProxy } from "../train/loop.js";
import { MixlabError } from "../util/errors.js";
import type { RegmixSearchSpec } from "./config.js";
import { regmixSweepCost, type SearchCost } from "./cost.js";

/** One finished proxy of the sweep. */
export type RegmixProxyRun = {
  mixture: Record<string, number>;
  /** domain → validation nats/byte */
  losses: Record<string, number>;
  /** training tokens (steps × batch × T) */
  tokens: number;
  finalTrainLoss: number;
  seconds: number;
};

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

/**
 * The sweep's mixtures: `spec.proxies` draws of RegMix's sampler around the token prior.
 *
 * @example
 * regmixProxyMixtures(corpus, spec, compareSeeds(42).regmixMixtures).length; // spec.proxies
 */
export function regmixProxyMixtures(corpus: Corpus, spec: RegmixSearchSpec, seed: number): Mixture[] {
  const mixtures = sampleRegmixMixtures(tokenPrior(corpus), { numSamples: spec.proxies, seed });
  if (mixtures.length !== spec.proxies) {
    throw new MixlabError("COMPARE_BAD_CONFIG", `RegMix's sampler returned ${mixtures.length} distinct mixtures, ${spec.proxies} asked for`);
  }
  return mixtures;
}

/**
 * Train one sweep proxy on `mixture` and score every domain.
 *
 * @example
 * const run = await trainRegmixProxy(corpus, spec, mixtures[0].toRecord(), regmixProxySeed(42, 0));
 * run.losses.books; // nats/byte
 */
export async function trainRegmixProxy(corpus: Corpus, spec: RegmixSearchSpec, mixture: Record<string, number>, seed: number): Promise<RegmixProxyRun> {
  const p = spec.proxy;
  const r = await trainProxy({
    corpus, mixture: Mixture.fromRecord(mixture).over(corpus.domains), preset: p.preset, seed,
    steps: p.steps, batchSize: p.batchSize, seqLen: p.seqLen, lr: p.lr, schedule: p.schedule, warmupSteps: p.warmupSteps, minLrRatio: p.minLrRatio,
    validation: validationSets(corpus, { seqLen: p.seqLen, windowsPerDomain: spec.windowsPerDomain }),
  });
  try {
    return {
      mixture,
      losses: Object.fromEntries(corpus.domains.map((d) => [d, r.validation.domains[d].nats])),
      tokens: p.steps * p.batchSize * p.seqLen,
      finalTrainLoss: r.history.at(-1)?.loss ?? Number.NaN,
      seconds: r.wallSeconds,
    };
  } finally {
    r.dispose();
  }
}

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
  const gbdt = Object.fromEntries(Object.entries(spec.gbdt).filter(([, v]) => v !== undefined));
  const a = analyseSweep(rows, tokenPrior(corpus), {
    target: chooseTarget(corpus.domains, spec.target),
    heldOut: spec.heldOut,
    gbdt,
    simulate: { numCandidates: spec.simulate.candidates, topK: spec.simulate.topK, strength: spec.simulate.strength, sampler: "dirichlet", seed, keepPredictions: false },
  });
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
    cost: regmixSweepCost(presetConfig(p.preset), p.seqLen, runs.length, p.steps * p.batchSize * p.seqLen, evalTokens),
  };
}
