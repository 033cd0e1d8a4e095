/**
 * Chameleon step 1 — the proxy: one small model trained once on the **uniform** mixture of the
 * domains (the paper's proxy is a GPT-2 trained with equal domain weights). It is then frozen:
 * every embedding, including those of domains added later (step 6), is read from it. The
 * trainer's presets (`kernel-lib/model/config.ts` PRESETS) set its size; the preset is recorded.
 */
import type { Corpus } from "../data/corpus.js";
import { Mixture } from "../data/mixture.js";
import type { BackendChoice } from "../model/backend.js";
import { presetConfig, type PresetName } from "../model/config.js";
import type { GptModel } from "../model/params.js";
import { trainProxy, type TrainProxyOptions } from "../train/loop.js";
import { trainingFlops } from "./cost.js";

/**
 * How a model is trained (proxy, final models, base models): size by preset name (recorded),
 * steps and optimiser settings — the trainer's own options, so defaults and docs live there.
 */
export type TrainSpec = { preset: PresetName } & Pick<TrainProxyOptions, "steps" | "batchSize" | "seqLen" | "lr" | "schedule" | "warmupSteps" | "minLrRatio">;

/** A trained, frozen Chameleon proxy and what it cost. */
export interface ChameleonProxy {
  model: GptModel;
  /** the preset it was built from */
  preset: PresetName;
  /** the uniform mixture's domains */
  domains: string[];
  train: TrainSpec;
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
  train: TrainSpec,
  seed: number,
  opts: { domains?: readonly string[]; backend?: BackendChoice; evalWindows?: number } = {},
): Promise<ChameleonProxy> {
  const domains = [...(opts.domains ?? corpus.domains)];
  const config = presetConfig(train.preset);
  const r = await trainProxy({
    corpus,
    mixture: Mixture.uniform(domains),
    preset: train.preset,
    steps: train.steps,
    batchSize: train.batchSize,
    seqLen: train.seqLen,
    lr: train.lr,
    schedule: train.schedule,
    warmupSteps: train.warmupSteps,
    minLrRatio: train.minLrRatio,
    seed,
    backend: opts.backend,
    // the proxy's own validation loss is not needed; keep the closing evaluation small
    evalWindows: opts.evalWindows ?? 2,
  });
  try {
    return {
      model: r.model,
      preset: train.preset,
      domains,
      train: { ...train },
      seed,
      tokens: train.steps * train.batchSize * train.seqLen,
      flops: trainingFlops(config, train.steps, train.batchSize, train.seqLen),
      finalTrainLoss: r.history.at(-1)?.loss ?? Number.NaN,
      engine: r.engine.engine,
      seconds: r.wallSeconds,
    };
  } finally {
    r.dispose();
  }
}
