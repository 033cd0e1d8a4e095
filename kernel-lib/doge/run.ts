/**
 * DoGE end to end (Fan et al., 2024): a proxy whose domain weights follow gradient alignment.
 * Each step: one sub-batch per domain → gradients g_d (k lossAndGrad calls); the proxy is updated
 * with Σ_d α_d g_d (the current weights, as in DoGE's Algorithm 1); then
 * α ← normalise(α ⊙ exp(η · lr_t · ⟨g_d, Σ_j g_j⟩)). The output mixture is the mean of α over
 * the steps (the weights each step trained with).
 *
 * With `update: "official"` each step follows the official `update_domain_weights` instead
 * (official.ts): every g_d clipped to the trainer's clip norm, the official scores and step, then
 * the proxy trained on Σ_d α_new,d g_d — the official code updates α before it builds the model
 * gradient — and the output is the mean of those α_new (its `avg_dw`).
 */
import type { SearchCost } from "../train/cost.js";
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import type { BackendChoice } from "../model/backend.js";
import { createGroupProxy } from "../train/group-step.js";
import { deriveSeed } from "../util/rng.js";
import type { DogeSpec } from "./config.js";
import { dogeSearchCost } from "./cost.js";
import { alignmentScores, dogeUpdate } from "./update.js";
import { officialDogeStep } from "./official.js";
import { dogeUpdateOf } from "./config.js";
import { DEFAULT_ADAMW } from "../train/optimizer.js";

/** DoGE's mixture, its evidence and its cost (plain JSON). */
export type DogeChoice = {
  /** mean of α over the proxy's steps — the method's output */
  mixture: Record<string, number>;
  /** α after the last update */
  lastWeights: Record<string, number>;
  /** mean score per domain over the steps (paper: ⟨g_d, Σ_j g_j⟩; official: its normalised, clipped score) */
  meanScores: Record<string, number>;
  proxyFinalTrainLoss: number;
  perDomainBatch: number;
  cost: SearchCost;
  /** "official" when the official update ran (absent: the paper form, as every run before issue 27) */
  update?: "official";
};

/**
 * Run DoGE. Deterministic in `seed` on a given engine.
 *
 * @example
 * const c = await runDoge(corpus, dogeSpecSchema.parse(spec), 42);
 * c.mixture; c.cost.flops;
 */
export async function runDoge(corpus: Corpus, spec: DogeSpec, seed: number, o: { backend?: BackendChoice } = {}): Promise<DogeChoice> {
  const domains = [...corpus.domains];
  const k = domains.length;
  const proxy = await createGroupProxy(corpus, spec.proxy, deriveSeed(seed, "doge/proxy"), { perDomainBatch: spec.perDomainBatch, backend: o.backend });
  try {
    let alpha: Float64Array = new Float64Array(k).fill(1 / k);
    const sum = new Float64Array(k);
    const scoreSum = new Float64Array(k);
    let lastLoss = Number.NaN;
    const update = dogeUpdateOf(spec);
    for (let s = 0; s < spec.proxy.steps; s++) {
      const g = proxy.gradients();
      if (update.kind === "official") {
        // clips g.grads in place (the official clips p.grad), so `apply` trains on the clipped g_d;
        // the group proxy's trainer clips at DEFAULT_ADAMW.gradClip, the role of HF's max_grad_norm
        const step = officialDogeStep(alpha, g.grads, g.lr, DEFAULT_ADAMW.gradClip, update.official);
        alpha = step.weights;
        for (let d = 0; d < k; d++) {
          sum[d] += alpha[d];
          scoreSum[d] += step.scores[d];
        }
        lastLoss = g.losses.reduce((a, l, d) => a + alpha[d] * l, 0);
        proxy.apply(alpha);
        continue;
      }
      // scores before `apply`: it reads the same gradient buffers but does not change them
      const scores = alignmentScores(g.grads);
      for (let d = 0; d < k; d++) {
        sum[d] += alpha[d];
        scoreSum[d] += scores[d];
      }
      lastLoss = g.losses.reduce((a, l, d) => a + alpha[d] * l, 0);
      proxy.apply(alpha);
      alpha = dogeUpdate(alpha, scores, { stepSize: spec.stepSize * g.lr });
    }
    const record = (w: ArrayLike<number>) => Mixture.normalised(domains, w).toRecord();
    return {
      mixture: record(sum),
      lastWeights: record(alpha),
      meanScores: Object.fromEntries(domains.map((d, i) => [d, scoreSum[i] / spec.proxy.steps])),
      proxyFinalTrainLoss: lastLoss,
      perDomainBatch: proxy.perDomainBatch,
      cost: dogeSearchCost(proxy.cost(spec.proxy.steps)),
      ...(update.kind === "official" ? { update: "official" as const } : {}),
    };
  } finally {
    proxy.dispose();
  }
}
