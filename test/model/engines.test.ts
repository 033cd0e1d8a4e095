import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initTfjsBackend } from "../../kernel-lib/model/backend.js";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { TfjsEngine } from "../../kernel-lib/model/engine-tfjs.js";
import type { GptEngine } from "../../kernel-lib/model/engine.js";
import { expectGradientMatchesFiniteDifferences, expectSameFunction, maxAbsDiff, perturbedModel, randomTokens, smallConfig } from "./helpers.js";

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
describe("engines", () => {
  it("gradients match central finite differences (tfjs-cpu and fused)", () => {
    expectGradientMatchesFiniteDifferences(cpu, cfg, B, T, 10, expect);
    expectGradientMatchesFiniteDifferences(fused, cfg, B, T, 24, expect);
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
