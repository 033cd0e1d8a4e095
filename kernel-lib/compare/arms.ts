/**
 * From a method's search outcome to one arm of the comparison: the mixture it trains on, what
 * finding it cost, and the evidence worth reporting. Both `runComparison` (in process) and the
 * `compare` experiment kind (task by task) build arms with these, so they agree exactly.
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { tokenPrior } from "../data/prior.js";
import type { ChameleonChoice } from "./chameleon.js";
import { METHOD_LABELS, type CompareMethod } from "./config.js";
import { freeSearch, type SearchCost } from "./cost.js";
import type { FinalModelResult } from "./final.js";
import type { DogeChoice } from "../doge/run.js";
import type { DoremiChoice } from "../doremi/run.js";
import type { MergeMixChoice } from "./mergemix.js";
import type { RegmixChoice } from "./regmix.js";
import type { ComparisonArm } from "./table.js";

/** A method's weights and what they cost, before the final model is trained. */
export type ArmSearch = {
  method: CompareMethod;
  mixture: Record<string, number>;
  cost: SearchCost;
  details: Record<string, unknown>;
  seconds: number;
  /** the table label when it is not `METHOD_LABELS[method]` (the two RegMix arms, labelled by target) */
  label?: string;
};

/**
 * The fixed baselines: the uniform mixture and the token prior (no compute).
 *
 * @example
 * fixedArmSearch(corpus, "prior").mixture.books; // books' share of the training bytes
 */
export function fixedArmSearch(corpus: Corpus, method: "uniform" | "prior"): ArmSearch {
  const m = method === "uniform" ? Mixture.uniform(corpus.domains) : tokenPrior(corpus);
  return { method, mixture: m.toRecord(), cost: freeSearch(), details: {}, seconds: 0 };
}

/**
 * One of RegMix's arms from its choice: "regmix" (fitted on `regmix.target`) unless `o.method`
 * is "regmix-mean" (fitted on the mean over domains); `o.label` when the tables label it by target.
 *
 * @example
 * regmixArmSearch(chooseRegmixWeights(corpus, spec, runs, seed), 120);
 */
export function regmixArmSearch(c: RegmixChoice, seconds: number, o: { method?: "regmix" | "regmix-mean"; label?: string } = {}): ArmSearch {
  const method = o.method ?? "regmix";
  return {
    method, mixture: c.mixture, cost: c.cost, seconds, ...(o.label !== undefined && o.label !== METHOD_LABELS[method] ? { label: o.label } : {}),
    details: { target: c.target, fitted: c.fitted, heldOut: c.heldOut, spearmanGbdt: c.spearman.gbdt, spearmanLinear: c.spearman.linear, candidates: c.candidates, predictedTopKMean: c.predicted.topKMean },
  };
}

/**
 * One of Chameleon's two arms (fitted τ_pt, or the official τ_pt = 5) from one search.
 *
 * @example
 * chameleonArmSearch(choice, "chameleon-official", 20).mixture;
 */
export function chameleonArmSearch(c: ChameleonChoice, method: "chameleon" | "chameleon-official", seconds: number): ArmSearch {
  const official = method === "chameleon-official";
  return {
    method, mixture: official ? c.official : c.fitted, cost: c.cost, seconds,
    details: { tauPt: official ? 5 : c.tauPt, tauPtSource: official ? "official" : "fitted to the max/min weight ratio", layer: c.layer, leverage: c.leverage },
  };
}

/**
 * MergeMix's arm from its search.
 *
 * @example
 * mergemixArmSearch(await mergemixSearch(corpus, spec, seed), 300).mixture;
 */
export function mergemixArmSearch(c: MergeMixChoice, seconds: number): ArmSearch {
  return {
    method: "mergemix", mixture: c.mixture, cost: c.cost, seconds,
    details: { groups: c.groups, alphaStar: c.alphaStar, utilityPredicted: c.utility.predicted, utilityVerified: c.utility.verified, utilityBestSeed: c.utility.bestSeed, seeds: c.seeds },
  };
}

/**
 * DoReMi's arm: the Group-DRO proxy's weights averaged over its steps.
 *
 * @example
 * doremiArmSearch(await runDoremi(corpus, spec, seed), 60).mixture;
 */
export function doremiArmSearch(c: DoremiChoice, seconds: number): ArmSearch {
  return {
    method: "doremi", mixture: c.mixture, cost: c.cost, seconds,
    details: { lastWeights: c.lastWeights, referenceLosses: c.referenceLosses, meanExcess: c.meanExcess, perDomainBatch: c.perDomainBatch, proxyFinalTrainLoss: c.proxyFinalTrainLoss },
  };
}

/**
 * DoGE's arm: the proxy's alignment-driven weights averaged over its steps.
 *
 * @example
 * dogeArmSearch(await runDoge(corpus, spec, seed), 40).mixture;
 */
export function dogeArmSearch(c: DogeChoice, seconds: number): ArmSearch {
  // the official update says so in its label and details; a paper-form arm is as before
  const official = c.update === "official" ? { label: "DoGE (official update)" } : {};
  return {
    method: "doge", mixture: c.mixture, cost: c.cost, seconds, ...official,
    details: { lastWeights: c.lastWeights, meanScores: c.meanScores, perDomainBatch: c.perDomainBatch, proxyFinalTrainLoss: c.proxyFinalTrainLoss, ...(c.update ? { update: c.update } : {}) },
  };
}

/**
 * An arm with its trained final model.
 *
 * @example
 * const arm = completeArm(search, await trainFinalModel(corpus, config, suite, search.mixture, seeds.final));
 */
export function completeArm(search: ArmSearch, final: FinalModelResult): ComparisonArm {
  return {
    method: search.method, label: search.label ?? METHOD_LABELS[search.method], mixture: search.mixture, cost: search.cost,
    details: search.details, searchSeconds: search.seconds, final,
  };
}
