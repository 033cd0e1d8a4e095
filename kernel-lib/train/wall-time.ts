/**
 * Wall time of training and scoring, estimated before a study runs (the studies' budget.ts):
 * a recipe's training tokens at a measured training rate of its preset, forward-only tokens
 * (embedding, validation, suite) at three times that rate (a training step is ≈ 3 forward
 * passes). An estimate for sizing a config, not a promise.
 */
import { flopsPerToken, type PresetName } from "../model/config.js";
import { recipeModelConfig, recipeTokens, type TrainRecipe } from "./recipe.js";

/**
 * Training tokens per second per worker with two workers busy on 2 cores (the project's
 * measurements: tiny 500 × 16 × 64 in ≈ 6 s, 445k 1000 × 16 × 128 in ≈ 55 s, 1M 1000 × 16 × 128
 * in ≈ 200 s). A preset not measured is scaled from 1M by FLOPs per token.
 */
export const MEASURED_TRAIN_RATE: Readonly<Partial<Record<PresetName, number>>> = Object.freeze({
  tiny: (500 * 16 * 64) / 6,
  "445k": (1000 * 16 * 128) / 55,
  "1M": (1000 * 16 * 128) / 200,
});

/** What the estimate reads of a recipe (a continued model's recipe carries its model's preset). */
export type TimedRecipe = Pick<TrainRecipe, "preset" | "overrides" | "steps" | "batchSize" | "seqLen">;

/**
 * Training tokens per second of a recipe's model on one of two busy workers.
 *
 * @example
 * trainRate({ preset: "tiny", seqLen: 64 }); // ≈ 85 000
 */
export function trainRate(r: Pick<TimedRecipe, "preset" | "overrides" | "seqLen">): number {
  const measured = MEASURED_TRAIN_RATE[r.preset];
  if (measured !== undefined && !r.overrides) return measured;
  const oneM = recipeModelConfig({ preset: "1M" });
  return MEASURED_TRAIN_RATE["1M"]! * flopsPerToken(oneM, r.seqLen) / flopsPerToken(recipeModelConfig(r), r.seqLen);
}

/**
 * Seconds to train a recipe (`overhead`: a step's cost over a plain step, e.g. DoReMi's 1.6).
 *
 * @example
 * trainSeconds({ preset: "1M", steps: 1000, batchSize: 16, seqLen: 128 }); // ≈ 200
 */
export function trainSeconds(r: TimedRecipe, overhead = 1): number {
  return (recipeTokens(r) / trainRate(r)) * overhead;
}

/**
 * Seconds to run `tokens` tokens forward through a recipe's model (scoring, embedding).
 *
 * @example
 * forwardSeconds({ preset: "tiny", seqLen: 64 }, 13 * 16 * 64);
 */
export function forwardSeconds(r: Pick<TimedRecipe, "preset" | "overrides" | "seqLen">, tokens: number): number {
  return tokens / (3 * trainRate(r));
}
