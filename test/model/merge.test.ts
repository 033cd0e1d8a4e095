import { describe, expect, it } from "vitest";
import { mergeModels } from "../../kernel-lib/model/merge.js";
import { initModel } from "../../kernel-lib/model/params.js";
import { maxAbsDiff, smallConfig } from "./helpers.js";

describe("mergeModels", () => {
  const cfg = smallConfig();

  it("merging k copies of one model returns that model", () => {
    const m = initModel(cfg, 11);
    for (const k of [1, 3, 7]) {
      const merged = mergeModels(Array(k).fill(m), Array(k).fill(1 / k));
      expect(maxAbsDiff(merged.params, m.params)).toBe(0);
    }
  });

  it("is linear: α = (0.5, 0.5) gives the parameter-wise average; (1, 0) gives the first model", () => {
    const a = initModel(cfg, 1), b = initModel(cfg, 2);
    const mid = mergeModels([a, b], [0.5, 0.5]);
    let worst = 0;
    for (let i = 0; i < a.params.length; i++) worst = Math.max(worst, Math.abs(mid.params[i] - (a.params[i] + b.params[i]) / 2));
    expect(worst).toBeLessThan(1e-7);
    expect(maxAbsDiff(mergeModels([a, b], [1, 0]).params, a.params)).toBe(0);
    // merge(merge(a,b,½),c,…) = merge(a,b,c) with the composed weights
    const c = initModel(cfg, 3);
    const two = mergeModels([mid, c], [0.4, 0.6]);
    const three = mergeModels([a, b, c], [0.2, 0.2, 0.6]);
    expect(maxAbsDiff(two.params, three.params)).toBeLessThan(1e-7);
  });

  it("rejects alphas off the simplex and mismatched architectures", () => {
    const a = initModel(cfg, 1), b = initModel(cfg, 2);
    expect(() => mergeModels([a, b], [0.5, 0.6])).toThrow(/sum to/);
    expect(() => mergeModels([a, b], [1.5, -0.5])).toThrow(/non-negative/);
    expect(() => mergeModels([a, b], [1])).toThrow(/alphas for/);
    const other = initModel(smallConfig({ nLayer: 1 }), 1);
    expect(() => mergeModels([a, other], [0.5, 0.5])).toThrow(/architecture/);
  });
});
