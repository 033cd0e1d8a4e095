/**
 * One proxy trained on per-domain sub-batches — the loop DoReMi and DoGE share. Each step draws
 * one sub-batch per domain (its own seeded one-domain sampler), takes one `lossAndGrad` per
 * sub-batch (k calls of b windows ≈ one call of k·b windows), and lets the method choose the
 * domain weights w before the proxy is updated with Σ_d w_d ∇ℓ_d (clipped, AdamW with the
 * recipe's schedule). The methods differ only in how they choose w.
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import { createBatchSampler, type Batch, type BatchSampler } from "../data/sampler.js";
import { createEngine, type BackendChoice } from "../model/backend.js";
import { trainingFlops, type GptConfig } from "../model/config.js";
import type { GptEngine } from "../model/engine.js";
import { initModel, type GptModel } from "../model/params.js";
import { configForCorpus } from "../model/vocab.js";
import { MixlabError } from "../util/errors.js";
import { deriveSeed } from "../util/rng.js";
import { createTrainer } from "./loop.js";
import { recipeModelConfig, recipeSchedule, resolveRecipe, type TrainRecipeInput } from "./recipe.js";
import { lrAt } from "./schedule.js";

/** One step's per-domain sub-batches, mean losses and gradients, in `domains` order. */
export interface DomainGradients {
  /** [k] sub-batches, each [b, T+1] */
  batches: Batch[];
  /** [k] mean training loss of each sub-batch, nats/token */
  losses: Float64Array;
  /** [k] gradients, each [nParams] (live buffers: valid until the next `gradients()`) */
  grads: Float32Array[];
  /** the lr this step will use */
  lr: number;
}

export interface GroupProxy {
  readonly model: GptModel;
  readonly engine: GptEngine;
  readonly config: GptConfig;
  readonly domains: readonly string[];
  /** b, windows per domain per step */
  readonly perDomainBatch: number;
  readonly seqLen: number;
  /** steps completed */
  readonly step: number;
  /** draw the next sub-batch of every domain and take their losses and gradients */
  gradients(): DomainGradients;
  /** update the proxy with Σ_d weights[d]·grads[d] of the last `gradients()`; returns the norm before clipping */
  apply(weights: ArrayLike<number>): number;
  /** training FLOPs and tokens of `steps` steps (k·b windows each) */
  cost(steps: number): { tokens: number; flops: number };
  dispose(): void;
}

export interface GroupProxyOptions {
  /** b; default max(1, ⌊batchSize / k⌋) */
  perDomainBatch?: number;
  backend?: BackendChoice;
  /** reuse this engine (the caller disposes it) */
  engine?: GptEngine;
}

/**
 * A fresh proxy of `recipe`'s size (init from `seed`) with one sampler per domain (seeds derived
 * from `seed` and the domain name, so the stream does not depend on domain order).
 *
 * @example
 * const p = await createGroupProxy(corpus, recipe, 7);
 * const g = p.gradients(); p.apply(new Float64Array(g.losses.length).fill(1 / g.losses.length));
 */
export async function createGroupProxy(corpus: Corpus, recipeInput: TrainRecipeInput, seed: number, o: GroupProxyOptions = {}): Promise<GroupProxy> {
  const recipe = resolveRecipe(recipeInput); // defaults filled in, seqLen ≤ the model's blockSize
  const domains = [...corpus.domains];
  const k = domains.length;
  const b = o.perDomainBatch ?? Math.max(1, Math.floor(recipe.batchSize / k));
  if (!Number.isInteger(b) || b < 1) throw new MixlabError("TRAIN_BAD_CONFIG", `perDomainBatch must be a positive integer, got ${b}`);
  const config = configForCorpus(recipeModelConfig(recipe), corpus);
  const T = recipe.seqLen;
  const engine = o.engine ?? (await createEngine(config, o.backend)).engine;
  const model = initModel(config, seed);
  const samplers: BatchSampler[] = domains.map((d) =>
    createBatchSampler(corpus, Mixture.fromRecord({ [d]: 1 }).over(domains), {
      seqLen: T, batchSize: b, seed: deriveSeed(seed, `group-batches/${d}`), maxEpochs: recipe.maxEpochs, onCap: recipe.onCap,
    }));
  // the update is the trainer's own (clip, AdamW at the schedule's lr); only the gradient differs
  const trainer = createTrainer({ model, engine, schedule: recipeSchedule(recipe) });
  const n = model.params.length;
  const grads = domains.map(() => new Float32Array(n));
  const total = new Float32Array(n);
  return {
    model, engine, config, domains, perDomainBatch: b, seqLen: T,
    get step() {
      return trainer.step;
    },
    gradients() {
      const batches = samplers.map((s) => s.next());
      const losses = new Float64Array(k);
      for (let d = 0; d < k; d++) {
        losses[d] = engine.lossAndGrad(model.params, batches[d].tokens, b, T, grads[d]);
        if (!Number.isFinite(losses[d])) throw new MixlabError("TRAIN_NAN", `training loss on ${domains[d]} is ${losses[d]} at step ${trainer.step + 1} (lr too high?)`);
      }
      return { batches, losses, grads, lr: lrAt(trainer.schedule, trainer.step) };
    },
    apply(weights) {
      if (weights.length !== k) throw new MixlabError("TRAIN_BAD_CONFIG", `${weights.length} weights for ${k} domains`);
      total.fill(0);
      for (let d = 0; d < k; d++) {
        const w = weights[d], g = grads[d];
        if (w !== 0) for (let i = 0; i < n; i++) total[i] += w * g[i];
      }
      return trainer.applyGradient(total).gradNorm;
    },
    cost(steps) {
      return { tokens: steps * k * b * T, flops: trainingFlops(config, steps, k * b, T) };
    },
    dispose: () => {
      if (!o.engine) engine.dispose();
    },
  };
}
