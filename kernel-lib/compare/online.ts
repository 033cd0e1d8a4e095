/**
 * The online arms (Aioli, restricted Aioli, ADO) and the stratified baseline. An online arm has
 * no search before its final model: its final model *is* the search — the shared final recipe
 * and seed, trained with the method's mixture controller, so it ends at the same token budget
 * as every other arm (Aioli's LearnParams steps are steps of that budget). Its cost is counted
 * as Aioli's paper counts methods: in extra training runs (none), plus the compute the run spent
 * beyond training (Aioli: held-out scoring; ADO here: the forward pass that gives per-domain
 * training losses). The arm's `mixture` is the time-averaged one; the final mixture and the
 * trajectory are in its details and `final.schedule`.
 *
 * Stratified = uniform over groups: each group 1/G, spread over its domains at their token-prior
 * shares (MergeMix's `alphaToMixture`, the one map from group weights to domain weights). The
 * groups are the config's, or the domains' kinds (data/kind.ts: stated by the manifest or read
 * off the text — defined for every corpus, and what the suite's capabilities group by).
 */
import { aioliController } from "../aioli/controller.js";
import { aioliSearchCost } from "../aioli/cost.js";
import { adoController } from "../ado/controller.js";
import type { Corpus } from "../data/corpus.js";
import { domainKinds } from "../data/kind.js";
import { Mixture } from "../data/mixture.js";
import { tokenPrior } from "../data/prior.js";
import { validationSets } from "../data/validation.js";
import { alphaToMixture, resolveGroups } from "../mergemix/groups.js";
import { flopsPerToken } from "../model/config.js";
import { configForCorpus } from "../model/vocab.js";
import { recipeModelConfig } from "../train/recipe.js";
import type { MixtureController } from "../train/mixture-controller.js";
import type { ArmSearch } from "./arms.js";
import { deriveSeed } from "../util/rng.js";
import { finalSeed, searchSpec, type CompareConfig } from "./config.js";
import { freeSearch } from "./cost.js";
import { compareSuite, trainFinalModel } from "./final.js";
import type { ComparisonArm } from "./table.js";
import { completeArm } from "./arms.js";

/**
 * The stratified arm's groups: the config's, or the domains' kinds.
 *
 * @example
 * stratifiedGroups(corpus, config); // { prose: [...], code: [...], ... }
 */
export function stratifiedGroups(corpus: Corpus, config: Pick<CompareConfig, "stratified">): Record<string, string[]> {
  if (config.stratified) return resolveGroups(corpus.domains, config.stratified.groups, true);
  const kinds = domainKinds(corpus);
  const groups: Record<string, string[]> = {};
  for (const d of corpus.domains) (groups[kinds[d]] ??= []).push(d);
  return groups;
}

/**
 * The stratified arm (no compute).
 *
 * @example
 * stratifiedArmSearch(corpus, config).mixture;
 */
export function stratifiedArmSearch(corpus: Corpus, config: Pick<CompareConfig, "stratified">): ArmSearch {
  const groups = stratifiedGroups(corpus, config);
  const G = Object.keys(groups).length;
  const m = alphaToMixture(corpus, groups, new Array(G).fill(1 / G));
  return { method: "stratified", mixture: m.toRecord(), cost: freeSearch(), details: { groups }, seconds: 0 };
}

/**
 * Train an online arm's final model with its controller; `prior` (restricted Aioli) is the
 * weights of the method it starts from.
 *
 * @example
 * const arm = await onlineArm(config, corpus, "aioli", 42, 0);
 */
export async function onlineArm(config: CompareConfig, corpus: Corpus, method: "aioli" | "aioli-restricted" | "ado", experimentSeed: number, repeat: number, prior?: Record<string, number>): Promise<ComparisonArm> {
  const seed = finalSeed(experimentSeed, repeat);
  const domains = corpus.domains;
  const model = configForCorpus(recipeModelConfig(config.final), corpus);
  const fpt = flopsPerToken(model, config.final.seqLen);
  const batchTokens = config.final.batchSize * config.final.seqLen;
  let controller: MixtureController;
  let start: Mixture;
  let costOf: () => ArmSearch["cost"];
  let details: () => Record<string, unknown>;
  if (method === "ado") {
    const spec = searchSpec(config, "ado");
    start = tokenPrior(corpus);
    const a = adoController(domains, start.weights, spec);
    controller = a.controller;
    costOf = () => {
      const tokens = config.final.steps * batchTokens;
      const flops = (tokens * fpt) / 3;
      return { flops, trainTokens: 0, forwardTokens: tokens, models: 0, items: [
        { item: "per-domain training losses (a forward pass per batch; the official code reads them off the training pass)", count: config.final.steps, tokens, flops },
        { item: "scaling-law fits (no model FLOPs)", count: a.record.fits.length, tokens: 0, flops: 0 },
        { item: "ADO total (extra training runs: 0)", count: 1, tokens, flops },
      ] };
    };
    details = () => ({ fits: a.record.fits });
  } else {
    const spec = searchSpec(config, "aioli");
    const heldOut = validationSets(corpus, { seqLen: config.final.seqLen, windowsPerDomain: spec.heldOutWindows, split: "validation" });
    const restricted = method === "aioli-restricted" ? config.aioliRestricted! : null;
    start = restricted ? Mixture.fromRecord(prior!).over(domains) : Mixture.uniform(domains);
    const a = aioliController(domains, spec, {
      heldOut, seed: deriveSeed(seed, "aioli/learn-params"), // per repeat, like the final model's
      prior: restricted ? { weights: start.weights, steps: restricted.priorSteps } : undefined,
    });
    controller = a.controller;
    const heldOutTokens = heldOut.reduce((s, h) => s + h.windows * h.seqLen, 0);
    costOf = () => aioliSearchCost(a.record, { batchTokens, heldOutTokens, trainFlopsPerToken: fpt });
    details = () => ({ rounds: a.record.rounds, learnParamsSteps: a.record.learnParamsSteps, ...(restricted ? { prior: restricted.prior, priorSteps: restricted.priorSteps, priorMixture: prior } : {}) });
  }
  const t0 = performance.now();
  const final = await trainFinalModel(corpus, config, compareSuite(corpus, config.suite), start.toRecord(), seed, controller);
  const schedule = final.schedule!;
  const search: ArmSearch = {
    method, mixture: schedule.average, cost: costOf(), seconds: (performance.now() - t0) / 1000,
    details: { ...details(), finalMixture: schedule.final, segments: schedule.trajectory.length },
  };
  return completeArm(search, final);
}
