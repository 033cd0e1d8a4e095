import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initTfjsBackend } from "../../kernel-lib/model/backend.js";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { TfjsEngine } from "../../kernel-lib/model/engine-tfjs.js";
import type { GptEngine } from "../../kernel-lib/model/engine.js";
import { expectSameFunction, maxAbsDiff, perturbedModel, randomTokens, smallConfig } from "./helpers.js";

const cfg = smallConfig();
const B = 2, T = 8;
let cpu: TfjsEngine, wasm: TfjsEngine, fused: FusedEngine;

beforeAll(async () => {
  expect(await initTfjsBackend("wasm")).toBe(true);
  expect(await initTfjsBackend("cpu")).toBe(true);
  cpu = new TfjsEngine(cfg, "cpu");
  wasm = new TfjsEngine(cfg, "wasm");
  fused = new FusedEngine(cfg);
});

/** mean loss in float64 from per-position losses */
function meanLoss(e: GptEngine, params: Float32Array, tokens: Int32Array): number {
  const l = e.tokenLosses(params, tokens, B, T);
  return l.reduce((a, b) => a + b, 0) / l.length;
}

describe("engines", () => {
  it("gradients match central finite differences (tfjs-cpu and fused)", () => {
    const m = perturbedModel(cfg, 1);
    const tokens = randomTokens(B * (T + 1), 2);
    const n = m.params.length;
    for (const [e, count] of [[cpu, 10], [fused, 24]] as [GptEngine, number][]) {
      const g = new Float32Array(n);
      e.lossAndGrad(m.params, tokens, B, T, g);
      // the largest-gradient coordinates plus a spread of others, across every tensor
      const idx = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a])).slice(0, count);
      for (let k = 0; k < count; k++) idx.push(Math.floor(((k + 0.5) / count) * n));
      const h = 1e-2;
      for (const i of idx) {
        const p = Float32Array.from(m.params);
        p[i] = m.params[i] + h;
        const up = meanLoss(e, p, tokens);
        p[i] = m.params[i] - h;
        const down = meanLoss(e, p, tokens);
        const fd = (up - down) / (2 * h);
        expect(Math.abs(g[i] - fd), `${e.name} param ${i}: grad ${g[i]} fd ${fd}`).toBeLessThan(2e-4 + 0.03 * Math.abs(fd));
      }
    }
  });

  it("tfjs cpu and wasm backends agree on logits within 1e-4", () => {
    const m = perturbedModel(cfg, 3);
    const inputs = randomTokens(B * T, 4);
    const a = cpu.logits(m.params, inputs, B, T), b = wasm.logits(m.params, inputs, B, T);
    expect(a.length).toBe(B * T * 256);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
  });

  it("the fused engine computes the same function as the tfjs model (logits, loss, gradient, hidden states)", () => {
    expectSameFunction(cpu, fused, cfg, expect);
  });

  it("tfjs engines leak no tensors across steps", () => {
    const m = perturbedModel(cfg, 8);
    const tokens = randomTokens(B * (T + 1), 9);
    const g = new Float32Array(m.params.length);
    wasm.lossAndGrad(m.params, tokens, B, T, g);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) {
      wasm.lossAndGrad(m.params, tokens, B, T, g);
      wasm.logits(m.params, tokens.subarray(0, B * T), B, T);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
