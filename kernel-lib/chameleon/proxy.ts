/**
 * Chameleon step 1 — the proxy: one small model trained once on the **uniform** mixture of the
 * domains (the paper's proxy is a GPT-2 trained with equal domain weights). It is then frozen:
 * every embedding, including those of domains added later (step 6), is read from it. The
 * trainer's presets (`kernel-lib/model/config.ts` PRESETS) set its size; the preset is recorded.
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import type { BackendChoice } from "../model/backend.js";
import type { PresetName } from "../model/config.js";
import type { GptModel } from "../model/params.js";
import type { TrainRecipe } from "../train/recipe.js";
import { trainAndScore } from "../train/train-and-score.js";


/** A trained, frozen Chameleon proxy and what it cost. */
export interface ChameleonProxy {
  model: GptModel;
  /** the preset it was built from */
  preset: PresetName;
  /** the uniform mixture's domains */
  domains: string[];
  train: TrainRecipe;
  seed: number;
  /** training tokens (steps × batch × T) */
  tokens: number;
  /** training FLOPs (`trainingFlops`) */
  flops: number;
  /** training loss of the last step, nats/token */
  finalTrainLoss: number;
  engine: string;
  seconds: number;
}

/**
 * Train the proxy on the uniform mixture over `domains` (default: every corpus domain).
 * Deterministic in `seed` on a given engine.
 *
 * @example
 * const proxy = await trainChameleonProxy(corpus, { preset: "tiny", steps: 300, batchSize: 16, seqLen: 64, lr: 3e-3 }, 1);
 * proxy.preset; // "tiny"; proxy.flops — the cost Chameleon pays once
 */
export async function trainChameleonProxy(
  corpus: Corpus,
  train: TrainRecipe,
  seed: number,
  opts: { domains?: readonly string[]; backend?: BackendChoice; evalWindows?: number } = {},
): Promise<ChameleonProxy> {
  const domains = [...(opts.domains ?? corpus.domains)];
  // the proxy's own validation loss is not needed; keep the closing evaluation small
  const r = await trainAndScore(corpus, Mixture.uniform(domains), train, seed, { backend: opts.backend, eval: { windowsPerDomain: opts.evalWindows ?? 2 } });
  return {
    model: r.model, preset: train.preset, domains, train: { ...train }, seed,
    tokens: r.tokens, flops: r.flops, finalTrainLoss: r.finalTrainLoss, engine: r.engine, seconds: r.seconds,
  };
}
