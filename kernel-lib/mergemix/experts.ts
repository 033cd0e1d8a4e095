/**
 * MergeMix step 1 — the shared base model (trained on a general mixture, default the token
 * prior) and one expert per domain group, each continued from the base for a short horizon
 * with a constant learning rate. `continueTraining` is also how the rank-consistency study
 * and the final comparison train "real" mixture models: same base, same horizon, same LR.
 */
import type { Corpus } from "../data/corpus.js";
import type { Mixture } from "../data/mixture.js";
import type { ValidationSet } from "../data/validation.js";
import type { ValidationResult } from "../eval/validation-loss.js";
import type { GptConfig } from "../model/config.js";
import type { GptEngine } from "../model/engine.js";
import type { GptModel } from "../model/params.js";
import { trainProxy } from "../train/index.js";
import type { ScheduleKind } from "../train/schedule.js";
import { deriveSeed } from "../util/rng.js";
import { groupMixture } from "./groups.js";

/** The proxy's shape and batch geometry (shared by every model of a run). */
export interface ProxySpec {
  config: GptConfig;
  seqLen: number;
  batchSize: number;
}

/** One training phase: steps, peak LR, schedule. */
export interface PhaseSpec {
  steps: number;
  lr: number;
  schedule: ScheduleKind;
  warmupSteps: number;
}

/** A model with what it cost. */
export interface TrainedModel {
  label: string;
  mixture: Mixture;
  model: GptModel;
  /** tokens trained on in this phase (B·T·steps) */
  tokens: number;
  wallSeconds: number;
  validation: ValidationResult;
}

/** An expert: a group, its data mixture and its continued model. */
export interface Expert extends TrainedModel {
  group: string;
  domains: string[];
}

/**
 * Train a model from a fresh init (the base) on `mixture`.
 *
 * @example
 * const base = await trainFromScratch(corpus, tokenPrior(corpus), proxy, { steps: 400, lr: 3e-3, schedule: "cosine", warmupSteps: 40 }, 1, engine, sets);
 */
export async function trainFromScratch(corpus: Corpus, mixture: Mixture, proxy: ProxySpec, phase: PhaseSpec, seed: number, engine: GptEngine, validation: ValidationSet[], label = "base"): Promise<TrainedModel> {
  const r = await trainProxy({
    corpus, mixture, config: proxy.config, steps: phase.steps, batchSize: proxy.batchSize, seqLen: proxy.seqLen,
    lr: phase.lr, schedule: phase.schedule, warmupSteps: phase.warmupSteps, seed, engine, validation,
  });
  return { label, mixture, model: r.model, tokens: phase.steps * proxy.batchSize * proxy.seqLen, wallSeconds: r.wallSeconds, validation: r.validation };
}

/**
 * Continue training `from` on `mixture` (fresh optimiser state, the phase's schedule).
 *
 * @example
 * const m = await continueTraining(corpus, base.model, mix, proxy, expertPhase, deriveSeed(1, "mix:3"), engine, sets, "mix 3");
 */
export async function continueTraining(corpus: Corpus, from: GptModel, mixture: Mixture, proxy: ProxySpec, phase: PhaseSpec, seed: number, engine: GptEngine, validation: ValidationSet[], label: string): Promise<TrainedModel> {
  const r = await trainProxy({
    corpus, mixture, config: proxy.config, initialModel: from, steps: phase.steps, batchSize: proxy.batchSize, seqLen: proxy.seqLen,
    lr: phase.lr, schedule: phase.schedule, warmupSteps: phase.warmupSteps, seed, engine, validation,
  });
  return { label, mixture, model: r.model, tokens: phase.steps * proxy.batchSize * proxy.seqLen, wallSeconds: r.wallSeconds, validation: r.validation };
}

/**
 * One expert per group, each continued from the base on its group's data (token-prior
 * proportions inside the group). Expert seeds are derived from `seed` and the group name.
 *
 * @example
 * const experts = await trainExperts(corpus, base.model, groups, proxy, { steps: 100, lr: 1e-3, schedule: "constant", warmupSteps: 5 }, 1, engine, sets);
 */
export async function trainExperts(corpus: Corpus, base: GptModel, groups: Readonly<Record<string, readonly string[]>>, proxy: ProxySpec, phase: PhaseSpec, seed: number, engine: GptEngine, validation: ValidationSet[]): Promise<Expert[]> {
  const out: Expert[] = [];
  for (const [group, domains] of Object.entries(groups)) {
    const t = await continueTraining(corpus, base, groupMixture(corpus, domains), proxy, phase, deriveSeed(seed, `expert:${group}`), engine, validation, `expert ${group}`);
    out.push({ ...t, group, domains: [...domains] });
  }
  return out;
}
