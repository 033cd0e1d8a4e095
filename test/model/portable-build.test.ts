// The portable native build (MIXLAB_NATIVE_BUILD=portable; fused/native-build.ts) is bit-exact
// whatever instructions the compiler may use: the same source compiled for x86-64-v3 (AVX2) and
// for x86-64-v4 (AVX-512 allowed everywhere but in the engine's fixed AVX2 primitives) gives the
// same loss, gradient and AdamW trajectory bit for bit, on 1 and 2 threads. That is what makes a
// stored run retrain bit for bit on another CPU. Likewise the committed WebAssembly module gives
// the same bits under V8's baseline compiler (Liftoff) and its optimising one (TurboFan).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FusedEngine, NativeEngine, nativeEngineCheck } from "../../kernel-lib/model/engine-fused.js";
import { nativeBuildFlags, probeNativeBuild } from "../../kernel-lib/model/fused/native-build.js";
import { initModel } from "../../kernel-lib/model/params.js";
import { adamwStep, decayMask, DEFAULT_ADAMW, createAdamWState } from "../../kernel-lib/train/optimizer.js";
import { projectRoot } from "../../kernel-lib/util/paths.js";
import { perturbedModel, randomTokens, smallConfig } from "./helpers.js";

const hasNative = nativeEngineCheck().ok;
if (!hasNative && (process.env.MIXLAB_REQUIRE_NATIVE === "1" || process.env.CI === "true")) {
  throw new Error("the native engine is required here (MIXLAB_REQUIRE_NATIVE=1 or CI=true) but unavailable");
}
const hasAvx512 = /\bavx512f\b/.test(readFileSync("/proc/cpuinfo", "utf8"));

/** sha256 of the float bits of a training trajectory: loss and gradient at step 0, params after `steps` AdamW steps. */
function trajectory(engine: { lossAndGrad: NativeEngine["lossAndGrad"]; adamwStep?: NativeEngine["adamwStep"] }, steps: number): { first: string; final: string; loss0: number } {
  const cfg = smallConfig({ nLayer: 2 });
  const model = perturbedModel(cfg, 11);
  const params = Float32Array.from(model.params);
  const grad = new Float32Array(params.length);
  const st = createAdamWState(params.length);
  const mask = decayMask(cfg);
  const B = 4, T = 16;
  const h0 = createHash("sha256");
  let loss0 = NaN;
  for (let s = 0; s < steps; s++) {
    const tokens = randomTokens(B * (T + 1), 100 + s);
    const loss = engine.lossAndGrad(params, tokens, B, T, grad);
    if (s === 0) {
      loss0 = loss;
      h0.update(Buffer.from(Float32Array.of(loss).buffer)).update(Buffer.from(grad.buffer));
    }
    if (engine.adamwStep) engine.adamwStep(params, grad, st, 3e-3, DEFAULT_ADAMW, mask);
    else adamwStep(params, grad, st, 3e-3, DEFAULT_ADAMW, mask);
  }
  return { first: h0.digest("hex"), final: createHash("sha256").update(Buffer.from(params.buffer)).digest("hex"), loss0 };
}

describe.skipIf(!hasNative)("portable native build", () => {
  const saved = process.env.MIXLAB_PORTABLE_MARCH;
  afterEach(() => {
    if (saved === undefined) delete process.env.MIXLAB_PORTABLE_MARCH;
    else process.env.MIXLAB_PORTABLE_MARCH = saved;
  });

  it("names a fixed ISA level and no -march=native / -ffast-math, and reports itself as portable AVX2", () => {
    const want = nativeBuildFlags({ MIXLAB_NATIVE_BUILD: "portable" });
    expect("flags" in want && want.flags).toEqual(expect.arrayContaining(["-march=x86-64-v3", "-ffp-contract=off", "-DMIXLAB_PORTABLE=1"]));
    expect("flags" in want && want.flags.some((f) => f === "-march=native" || f === "-ffast-math")).toBe(false);
    expect(nativeBuildFlags({ MIXLAB_NATIVE_BUILD: "fast" })).toHaveProperty("error");
    const s = probeNativeBuild({ ...process.env, MIXLAB_NATIVE_BUILD: "portable" });
    expect(s.ok).toBe(true);
    if (s.ok) expect(s.build).toMatchObject({ flavour: "portable", isa: "AVX2", vectorWidth: 8 });
  });

  it.skipIf(!hasAvx512)("x86-64-v3 and x86-64-v4 compiles give the same bits: loss, gradient, 12 AdamW steps, 1 and 2 threads", () => {
    process.env.MIXLAB_PORTABLE_MARCH = "x86-64-v3";
    const v3 = new NativeEngine(smallConfig({ nLayer: 2 }), { flavour: "portable", threads: 1 });
    process.env.MIXLAB_PORTABLE_MARCH = "x86-64-v4";
    const v4 = new NativeEngine(smallConfig({ nLayer: 2 }), { flavour: "portable", threads: 2 });
    expect(v4.build.flags).toContain("-march=x86-64-v4");
    expect(v4.build.buildId).not.toBe(v3.build.buildId); // two different binaries …
    const a = trajectory(v3, 12), b = trajectory(v4, 12);
    expect(b.first).toBe(a.first); // … with the same arithmetic
    expect(b.final).toBe(a.final);
    // and it is the engine's function: the WebAssembly build agrees to rounding
    const w = trajectory(new FusedEngine(smallConfig({ nLayer: 2 })), 1);
    expect(Math.abs(w.loss0 - a.loss0)).toBeLessThan(1e-5);
  });

  it("differs from the CPU-tuned native build only by rounding (so it is a different build, not a different model)", () => {
    const cfg = smallConfig();
    const m = initModel(cfg, 3);
    const tokens = randomTokens(3 * 17, 5);
    const gp = new Float32Array(m.params.length), gn = new Float32Array(m.params.length);
    const lp = new NativeEngine(cfg, { flavour: "portable" }).lossAndGrad(m.params, tokens, 3, 16, gp);
    const ln = new NativeEngine(cfg, { flavour: "native" }).lossAndGrad(m.params, tokens, 3, 16, gn);
    expect(Math.abs(lp - ln)).toBeLessThan(1e-5);
    let d = 0;
    for (let i = 0; i < gp.length; i++) d = Math.max(d, Math.abs(gp[i] - gn[i]));
    expect(d).toBeLessThan(1e-5);
  });
});

describe("WebAssembly build", () => {
  it("gives the same bits under V8's Liftoff and TurboFan compilers", () => {
    const child = join(projectRoot(), "test", "model", "wasm-identity-child.ts");
    const run = (flags: string[]) => execFileSync(process.execPath, [...flags, "--import", "tsx", child], { cwd: projectRoot(), encoding: "utf8" }).trim();
    const liftoff = run(["--liftoff", "--no-wasm-tier-up"]);
    const turbofan = run(["--no-liftoff"]);
    expect(liftoff).toMatch(/^[0-9a-f]{64} [0-9a-f]{64}$/);
    expect(turbofan).toBe(liftoff);
  }, 60_000);
});
