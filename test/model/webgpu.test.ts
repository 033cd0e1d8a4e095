/**
 * The GPT on tfjs's WebGPU backend (Dawn) against the tfjs cpu reference. Without a GPU this
 * runs on Dawn's OpenGL ES path over Mesa's llvmpipe (apt: libegl-dev libegl-mesa0
 * libgl1-mesa-dri); where no adapter can be created at all the suite is skipped with the
 * reason in its name — unless MIXLAB_REQUIRE_WEBGPU=1 (CI), where that is a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseEngine, initTfjsBackend } from "../../kernel-lib/model/backend.js";
import { TfjsEngine } from "../../kernel-lib/model/engine-tfjs.js";
import { WebgpuEngine } from "../../kernel-lib/model/engine-webgpu.js";
import { cloneModel } from "../../kernel-lib/model/params.js";
import { adapterSummary, describeAdapter, probeWebgpu } from "../../kernel-lib/model/webgpu.js";
import { createTrainer } from "../../kernel-lib/train/loop.js";
import { maxAbsDiff, perturbedModel, randomTokens, smallConfig } from "./helpers.js";

const probe = await probeWebgpu();
const required = process.env.MIXLAB_REQUIRE_WEBGPU === "1";
if (!probe.available) console.warn(`webgpu engine tests skipped: ${probe.reason}`);

describe("webgpu adapter classification", () => {
  it("tells software rasterisers from GPUs by Dawn's flag and by name", () => {
    const llvmpipe = { info: { vendor: "", architecture: "", device: "llvmpipe-llvm-15-0-6-256-bits-", description: "OpenGL version OpenGL ES 3.2 Mesa 22.3.6", isFallbackAdapter: false }, requestDevice: async () => ({ destroy() {} }) };
    const nvidia = { info: { vendor: "nvidia", architecture: "hopper", device: "NVIDIA H100 80GB HBM3", description: "NVIDIA: 550.54.15", isFallbackAdapter: false }, requestDevice: async () => ({ destroy() {} }) };
    const fallback = { info: { vendor: "google", architecture: "", device: "SwiftShader Device (Subzero)", description: "", isFallbackAdapter: true }, requestDevice: async () => ({ destroy() {} }) };
    expect(describeAdapter(llvmpipe, "opengles").software).toBe(true);
    expect(describeAdapter(nvidia, "default").software).toBe(false);
    expect(describeAdapter(fallback, "default").software).toBe(true);
    expect(adapterSummary(describeAdapter(nvidia, "default"))).toBe("hardware, default: nvidia hopper NVIDIA H100 80GB HBM3 (NVIDIA: 550.54.15)");
  });

  it.runIf(!probe.available && required)("an adapter is required here (MIXLAB_REQUIRE_WEBGPU=1)", () => {
    expect.fail(`no WebGPU adapter: ${probe.reason}`);
  });
});

describe.skipIf(!probe.available)(`webgpu engine vs tfjs cpu (${probe.reason})`, () => {
  const cfg = smallConfig(); // tiny preset, blockSize 16: the software path is ~0.3 s per call
  let gpu: WebgpuEngine, cpu: TfjsEngine;

  beforeAll(async () => {
    expect(await initTfjsBackend("cpu")).toBe(true);
    cpu = new TfjsEngine(cfg, "cpu");
    gpu = new WebgpuEngine(cfg);
  }, 120_000);

  afterAll(() => gpu?.dispose());

  it("reports the adapter it runs on, and auto never picks a software one", async () => {
    expect(gpu.adapter.device + gpu.adapter.description).not.toBe("");
    expect(gpu.adapter.software).toBe(probe.adapter!.software);
    const auto = await chooseEngine("auto");
    if (probe.adapter!.software) expect(auto.engine).not.toBe("tfjs-webgpu");
    const forced = await chooseEngine("webgpu");
    expect(forced.engine).toBe("tfjs-webgpu");
    expect(forced.adapter).toBe(adapterSummary(probe.adapter!));
  });

  it("logits, per-token losses and hidden states match cpu within 1e-4", () => {
    const m = perturbedModel(cfg, 3);
    const B = 3, T = 13; // odd sizes: no shape happens to be a workgroup multiple
    const inputs = randomTokens(B * T, 4);
    const a = cpu.logits(m.params, inputs, B, T), b = gpu.logits(m.params, inputs, B, T);
    expect(b.length).toBe(B * T * 256);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
    const tokens = randomTokens(B * (T + 1), 5);
    expect(maxAbsDiff(cpu.tokenLosses(m.params, tokens, B, T), gpu.tokenLosses(m.params, tokens, B, T))).toBeLessThan(1e-4);
    expect(maxAbsDiff(cpu.hidden(m.params, inputs, B, T, 1), gpu.hidden(m.params, inputs, B, T, 1))).toBeLessThan(1e-4);
  }, 60_000);

  it("loss and every gradient match cpu; nothing leaks in the worker", () => {
    const m = perturbedModel(cfg, 6);
    const B = 2, T = 8;
    const tokens = randomTokens(B * (T + 1), 7);
    const ga = new Float32Array(m.params.length), gb = new Float32Array(m.params.length);
    const la = cpu.lossAndGrad(m.params, tokens, B, T, ga);
    const lb = gpu.lossAndGrad(m.params, tokens, B, T, gb);
    expect(Math.abs(la - lb)).toBeLessThan(1e-5);
    expect(maxAbsDiff(ga, gb)).toBeLessThan(1e-5);
    expect(gb.some((g) => g !== 0)).toBe(true);
    const held = gpu.tensorsHeld;
    gpu.lossAndGrad(m.params, tokens, B, T, gb);
    gpu.logits(m.params, tokens.subarray(0, B * T), B, T);
    expect(gpu.tensorsHeld).toBe(held);
  }, 60_000);

  it("four AdamW steps give the same losses and parameters as cpu", () => {
    const start = perturbedModel(cfg, 8);
    const B = 2, T = 8;
    const schedule = { kind: "constant" as const, lr: 3e-3, warmupSteps: 0, totalSteps: 4 };
    const run = (engine: TfjsEngine | WebgpuEngine) => {
      const model = cloneModel(start);
      const tr = createTrainer({ model, engine, schedule });
      const losses: number[] = [];
      const tokens = randomTokens(B * (T + 1), 100); // one batch, fitted: the loss must fall
      for (let s = 0; s < 4; s++) {
        losses.push(tr.trainStep({ tokens, batchSize: B, seqLen: T, domainIndex: new Int32Array(B) }).loss);
      }
      return { losses, params: model.params };
    };
    const a = run(cpu), b = run(gpu);
    expect(a.losses[3]).toBeLessThan(a.losses[0]); // it trains
    expect(maxAbsDiff(a.losses, b.losses)).toBeLessThan(1e-4); // measured 5e-7
    // Adam divides by √v, so on coordinates whose gradient is ~1e-7 float noise moves the update
    // by up to lr; 1e-3 (a third of one step's lr) still catches any wrong gradient. Measured 1.1e-4.
    expect(maxAbsDiff(a.params, b.params)).toBeLessThan(1e-3);
  }, 60_000);
});
