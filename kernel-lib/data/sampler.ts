import { MixlabError } from "../util/errors.js";
import { createRng, type Rng } from "../util/rng.js";
import type { Corpus } from "./corpus.js";
import { Mixture } from "./mixture.js";

/** One training batch. */
export interface Batch {
  /** [B, T+1] row-major bytes as int32: inputs = [:, :T], targets = [:, 1:] */
  tokens: Int32Array;
  batchSize: number;
  seqLen: number;
  /** [B] index into `mixture.domains` of each window's domain */
  domainIndex: Int32Array;
}

export interface SamplerOptions {
  seqLen: number;
  batchSize: number;
  seed: number;
  /**
   * Cap on epochs of any one domain's train split (RegMix uses 15). Default: no cap.
   * What happens at the cap is `onCap`.
   */
  maxEpochs?: number;
  /**
   * "error" (default): throw EPOCH_CAP_EXCEEDED — the run would repeat a domain more than allowed.
   * "renormalise": drop the exhausted domain and renormalise the remaining weights, so later
   * batches follow the mixture restricted to the domains that still have budget.
   */
  onCap?: "error" | "renormalise";
}

/** Enough to resume a sampler exactly (it replays its draws from the seed). */
export interface SamplerState {
  seed: number;
  windowsDrawn: number;
}

export interface BatchSampler {
  readonly mixture: Mixture;
  next(): Batch;
  /** tokens (targets) drawn so far per domain */
  tokensDrawn(): Record<string, number>;
  /** epochs of each domain's train split consumed so far */
  epochs(): Record<string, number>;
  state(): SamplerState;
  /** replays the draws of a sampler that never switched (refused after `switchWeights`) */
  restore(s: SamplerState): void;
  /**
   * Draw the next windows from `weights` (over `mixture.domains`, on the simplex) instead: the
   * random stream goes on where it was, so the same seed and the same switches at the same
   * windows give the same batches. Domains already at their epoch cap stay dropped (onCap
   * "renormalise"). What an online mixing method (a mixture controller) changes.
   */
  switchWeights(weights: ArrayLike<number>): void;
}

/**
 * A seeded batch sampler: each window's domain is drawn from the mixture, its start uniform
 * inside that domain's train split. Counts tokens per domain so epochs can be reported and
 * capped.
 *
 * @example
 * const s = createBatchSampler(corpus, Mixture.uniform(corpus.domains), { seqLen: 64, batchSize: 8, seed: 1 });
 * const b = s.next(); // b.tokens: Int32Array of 8 × 65
 * s.epochs().books;   // fraction of the books train split seen
 */
export function createBatchSampler(corpus: Corpus, mixture: Mixture, opts: SamplerOptions): BatchSampler {
  const { seqLen: T, batchSize: B } = opts;
  if (!Number.isInteger(T) || T < 1) throw new MixlabError("SAMPLER_BAD_OPTION", `seqLen must be a positive integer, got ${T}`);
  if (!Number.isInteger(B) || B < 1) throw new MixlabError("SAMPLER_BAD_OPTION", `batchSize must be a positive integer, got ${B}`);
  const maxEpochs = opts.maxEpochs ?? Infinity;
  if (!(maxEpochs > 0)) throw new MixlabError("SAMPLER_BAD_OPTION", `maxEpochs must be > 0, got ${maxEpochs}`);
  const onCap = opts.onCap ?? "error";
  const k = mixture.domains.length;
  // token counts only: windows are read on demand (from memory, or by positional reads for large splits)
  const lengths = mixture.domains.map((d) => corpus.tokenCount(d, "train"));
  lengths.forEach((n, i) => {
    if (mixture.weights[i] > 0 && n < T + 1) {
      throw new MixlabError("MIXTURE_EMPTY_DOMAIN", `domain "${mixture.domains[i]}" has weight ${mixture.weights[i]} but its train split has only ${n} tokens (< seqLen+1 = ${T + 1})`);
    }
  });

  let rng: Rng;
  let windowsDrawn: number;
  let drawn: Float64Array;
  let active: Float64Array;
  let activeSum: number;
  /** [k] 1 where a domain reached its epoch cap and was dropped ("renormalise") */
  let dropped: Uint8Array;
  const reset = (seed: number) => {
    rng = createRng(seed);
    windowsDrawn = 0;
    drawn = new Float64Array(k);
    active = Float64Array.from(mixture.weights);
    activeSum = 1;
    dropped = new Uint8Array(k);
  };
  let seed = opts.seed;
  reset(seed);
  let switched = false;

  // Draw one window: returns [domain, start]. Consumes exactly two uniforms per accepted draw.
  const drawWindow = (): [number, number] => {
    for (;;) {
      if (!(activeSum > 0)) throw new MixlabError("EPOCH_CAP_EXCEEDED", `every domain reached its cap of ${maxEpochs} epochs`);
      let u = rng.next() * activeSum;
      let d = 0;
      while (d < k - 1 && (u >= active[d] || active[d] === 0)) { u -= active[d]; d++; }
      while (active[d] === 0) d--; // floating-point spill past the last active domain
      const len = lengths[d];
      if ((drawn[d] + T) / len > maxEpochs) {
        if (onCap === "error") {
          throw new MixlabError("EPOCH_CAP_EXCEEDED", `domain "${mixture.domains[d]}" would exceed ${maxEpochs} epochs (${len} train bytes); lower the steps or the weight, or use onCap: "renormalise"`);
        }
        activeSum -= active[d];
        active[d] = 0;
        dropped[d] = 1;
        continue;
      }
      const start = rng.int(len - T);
      drawn[d] += T;
      windowsDrawn++;
      return [d, start];
    }
  };

  return {
    mixture,
    next(): Batch {
      const tokens = new Int32Array(B * (T + 1));
      const domainIndex = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        const [d, start] = drawWindow();
        domainIndex[b] = d;
        corpus.readTokens(mixture.domains[d], "train", start, T + 1, tokens, b * (T + 1));
      }
      return { tokens, batchSize: B, seqLen: T, domainIndex };
    },
    tokensDrawn() {
      const r: Record<string, number> = {};
      mixture.domains.forEach((d, i) => { r[d] = drawn[i]; });
      return r;
    },
    epochs() {
      const r: Record<string, number> = {};
      mixture.domains.forEach((d, i) => { r[d] = lengths[i] > 0 ? drawn[i] / lengths[i] : 0; });
      return r;
    },
    state: () => ({ seed, windowsDrawn }),
    restore(s: SamplerState) {
      if (switched) throw new MixlabError("SAMPLER_BAD_OPTION", "a sampler that switched mixtures cannot be restored by replay");
      seed = s.seed;
      reset(seed);
      while (windowsDrawn < s.windowsDrawn) drawWindow();
    },
    switchWeights(weights: ArrayLike<number>) {
      const next = Mixture.fromWeights(mixture.domains, weights).weights;
      next.forEach((w, d) => {
        if (w > 0 && lengths[d] < T + 1) throw new MixlabError("MIXTURE_EMPTY_DOMAIN", `domain "${mixture.domains[d]}" has weight ${w} but its train split has only ${lengths[d]} tokens (< seqLen+1 = ${T + 1})`);
      });
      active = Float64Array.from(next, (w, d) => (dropped[d] ? 0 : w));
      activeSum = active.reduce((a, w) => a + w, 0);
      switched = true;
    },
  };
}
