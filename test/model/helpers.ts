import { presetConfig, type GptConfig } from "../../kernel-lib/model/config.js";
import { initModel, type GptModel } from "../../kernel-lib/model/params.js";
import { createRng } from "../../kernel-lib/util/rng.js";

/** A tiny config for fast tests (blockSize 16). */
export function smallConfig(overrides: Partial<GptConfig> = {}): GptConfig {
  return presetConfig("tiny", { blockSize: 16, ...overrides });
}

/** Deterministic pseudo-random byte tokens. */
export function randomTokens(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  return Int32Array.from({ length: n }, () => rng.int(256));
}

/**
 * A model whose LayerNorm gains/biases and biases are perturbed away from 1/0, so every
 * parameter has a non-trivial gradient.
 */
export function perturbedModel(c: GptConfig, seed: number): GptModel {
  const m = initModel(c, seed);
  const rng = createRng(seed + 1000);
  for (let i = 0; i < m.params.length; i++) m.params[i] += 0.05 * rng.normal();
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
