import { engineFor, type EngineInfo } from "../model/backend.js";
import type { GptConfig } from "../model/config.js";
import { initModel } from "../model/params.js";
import { MixlabError } from "../util/errors.js";
import { createRng } from "../util/rng.js";
import { createTrainer } from "./loop.js";
import { seqLenIssue } from "./recipe.js";

/** One engine's training speed on one shape. */
export interface ThroughputResult {
  engine: string;
  B: number;
  T: number;
  steps: number;
  /** wall ms of the first step: buffer set-up, JIT, and on webgpu WGSL shader compilation */
  firstStepMs: number;
  /** median wall ms of the timed steps after it */
  msPerStep: number;
  /** targets per second over the timed steps (B·T·steps / their total wall time) */
  tokensPerSecond: number;
  /** mean training loss of the last step (a sanity figure: ≈ ln 256 = 5.55 at the start) */
  lastLoss: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

/**
 * Time full trainer steps (engine loss + gradient, clipping, AdamW) on random byte batches:
 * one untimed first step, then `steps` timed ones. Builds the engine from `info` and disposes it.
 *
 * @example
 * const r = measureTrainThroughput(await chooseEngine(), presetConfig("tiny"), { B: 8, T: 64, steps: 10 });
 * r.tokensPerSecond; // e.g. 40000 on fused-wasm
 */
export function measureTrainThroughput(info: EngineInfo, config: GptConfig, o: { B: number; T: number; steps: number; seed?: number }): ThroughputResult {
  const { B, T, steps } = o;
  for (const [k, v] of [["B", B], ["T", T], ["steps", steps]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new MixlabError("TRAIN_BAD_CONFIG", `${k} must be a positive integer, got ${v}`);
  }
  const tooLong = seqLenIssue(T, config);
  if (tooLong) throw new MixlabError("TRAIN_BAD_CONFIG", `T = ${tooLong}`);
  const engine = engineFor(config, info);
  try {
    const trainer = createTrainer({ model: initModel(config, o.seed ?? 0), engine, schedule: { kind: "constant", lr: 1e-3, warmupSteps: 0, totalSteps: steps + 1 } });
    const rng = createRng(o.seed ?? 1);
    const step = () => {
      const tokens = Int32Array.from({ length: B * (T + 1) }, () => rng.int(256));
      const t0 = performance.now();
      const s = trainer.trainStep({ tokens, batchSize: B, seqLen: T, domainIndex: new Int32Array(B) });
      return { ms: performance.now() - t0, loss: s.loss };
    };
    const first = step();
    const times: number[] = [];
    let lastLoss = first.loss;
    for (let s = 0; s < steps; s++) {
      const r = step();
      times.push(r.ms);
      lastLoss = r.loss;
    }
    const total = times.reduce((a, b) => a + b, 0);
    return { engine: engine.name, B, T, steps, firstStepMs: first.ms, msPerStep: median(times), tokensPerSecond: (B * T * steps * 1000) / total, lastLoss };
  } finally {
    engine.dispose();
  }
}
