import { presetConfig, type GptConfig } from "../../kernel-lib/model/config.js";
import type { GptEngine } from "../../kernel-lib/model/engine.js";
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

/**
 * Assert that `engine` computes the same function as the `reference` engine (the tfjs model):
 * logits ≤ 1e-4, hidden states of every layer ≤ 1e-5, loss and gradient ≤ 1e-5, on odd sizes
 * that exercise the kernels' edge tiles. Returns nothing; fails the test on a mismatch.
 */
export function expectSameFunction(reference: GptEngine, engine: GptEngine, c: GptConfig, expect: (v: number) => { toBeLessThan(x: number): void }): void {
  const m = perturbedModel(c, 5);
  const T2 = 13, B2 = 3; // odd sizes exercise the kernel's edge tiles
  const tokens = randomTokens(B2 * (T2 + 1), 6);
  const inputs = randomTokens(B2 * T2, 7);
  expect(maxAbsDiff(reference.logits(m.params, inputs, B2, T2), engine.logits(m.params, inputs, B2, T2))).toBeLessThan(1e-4);
  for (let layer = 0; layer <= c.nLayer; layer++) {
    expect(maxAbsDiff(reference.hidden(m.params, inputs, B2, T2, layer), engine.hidden(m.params, inputs, B2, T2, layer))).toBeLessThan(1e-5);
  }
  const ga = new Float32Array(m.params.length), gb = new Float32Array(m.params.length);
  const la = reference.lossAndGrad(m.params, tokens, B2, T2, ga), lb = engine.lossAndGrad(m.params, tokens, B2, T2, gb);
  expect(Math.abs(la - lb)).toBeLessThan(1e-5);
  expect(maxAbsDiff(ga, gb)).toBeLessThan(1e-5);
}

/** Mean next-token loss of `params` on `tokens` ([B, T+1]) through an engine's per-token losses. */
export function meanTokenLoss(e: GptEngine, params: Float32Array, tokens: Int32Array, B: number, T: number): number {
  const l = e.tokenLosses(params, tokens, B, T);
  return l.reduce((a, b) => a + b, 0) / l.length;
}

/**
 * Assert that an engine's gradient matches central finite differences (h = 1e-2; |g − fd| <
 * 2e-4 + 3 % of |fd|) on the `count` largest-gradient coordinates plus `count` spread over every
 * tensor.
 */
export function expectGradientMatchesFiniteDifferences(e: GptEngine, c: GptConfig, B: number, T: number, count: number, expect: (v: number, msg?: string) => { toBeLessThan(x: number): void }): void {
  const m = perturbedModel(c, 1);
  const tokens = randomTokens(B * (T + 1), 2);
  const n = m.params.length;
  const g = new Float32Array(n);
  e.lossAndGrad(m.params, tokens, B, T, g);
  const idx = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a])).slice(0, count);
  for (let k = 0; k < count; k++) idx.push(Math.floor(((k + 0.5) / count) * n));
  const h = 1e-2;
  for (const i of idx) {
    const p = Float32Array.from(m.params);
    p[i] = m.params[i] + h;
    const up = meanTokenLoss(e, p, tokens, B, T);
    p[i] = m.params[i] - h;
    const down = meanTokenLoss(e, p, tokens, B, T);
    const fd = (up - down) / (2 * h);
    expect(Math.abs(g[i] - fd), `${e.name} param ${i}: grad ${g[i]} fd ${fd}`).toBeLessThan(2e-4 + 0.03 * Math.abs(fd));
  }
}
