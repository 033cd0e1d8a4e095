import { describe, expect, it } from "vitest";
import { flopsPerToken, nonEmbeddingParamCount, paramCount, paramLayout, presetConfig, PRESETS } from "../../kernel-lib/model/config.js";
import { getParams, initModel, setParams } from "../../kernel-lib/model/params.js";
import { maxAbsDiff } from "./helpers.js";

describe("model config", () => {
  it("the issue's benchmark model has exactly 445,952 parameters", () => {
    expect(paramCount(PRESETS["445k"])).toBe(445952);
  });

  it("presets have the sizes their names promise", () => {
    expect(paramCount(PRESETS.tiny)).toBeGreaterThan(80_000);
    expect(paramCount(PRESETS.tiny)).toBeLessThan(150_000);
    expect(nonEmbeddingParamCount(PRESETS["1M"])).toBe(991_616); // 5·(12d²+13d) + 2d at d=128
    expect(nonEmbeddingParamCount(PRESETS.small)).toBeGreaterThan(9e6);
    expect(nonEmbeddingParamCount(PRESETS.small)).toBeLessThan(11e6);
  });

  it("layout is contiguous and covers every parameter once", () => {
    const L = paramLayout(PRESETS.tiny);
    let off = 0;
    for (const e of L) {
      expect(e.offset).toBe(off);
      expect(e.size).toBe(e.shape.reduce((a, b) => a * b, 1));
      off += e.size;
    }
    expect(off).toBe(paramCount(PRESETS.tiny));
  });

  it("flopsPerToken = 6·N_matmul + 12·L·T·d", () => {
    const c = PRESETS["445k"];
    const nMatmul = 2 * (4 * 128 * 128 + 2 * 128 * 512) + 256 * 128;
    expect(flopsPerToken(c, 128)).toBe(6 * nMatmul + 12 * 2 * 128 * 128);
  });

  it("rejects a config whose width does not split into heads", () => {
    expect(() => presetConfig("tiny", { nHead: 3 })).toThrow(/divisible/);
    expect(() => presetConfig("nope")).toThrow(/unknown model preset/);
  });

  it("init is deterministic by seed; get/setParams round-trip", () => {
    const a = initModel(PRESETS.tiny, 7), b = initModel(PRESETS.tiny, 7), c = initModel(PRESETS.tiny, 8);
    expect(maxAbsDiff(a.params, b.params)).toBe(0);
    expect(maxAbsDiff(a.params, c.params)).toBeGreaterThan(0.01);
    const p = getParams(a);
    expect(p.get("h0.ln1.g")!.every((v) => v === 1)).toBe(true);
    expect(p.get("h1.mlp.b1")!.every((v) => v === 0)).toBe(true);
    setParams(c, p);
    expect(maxAbsDiff(c.params, a.params)).toBe(0);
    expect(() => setParams(c, { bogus: new Float32Array(1) })).toThrow(/unknown parameter/);
  });
});
