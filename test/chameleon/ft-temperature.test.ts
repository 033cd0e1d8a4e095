import { describe, expect, it } from "vitest";
import { finetuningWeights, ftTemperatureForRatio, normalizeLeverage, OFFICIAL_EXAMPLE, OFFICIAL_FT_WEIGHT_RATIO } from "../../kernel-lib/chameleon/index.js";

const ratio = (w: ArrayLike<number>) => Math.max(...Array.from(w)) / Math.min(...Array.from(w));

describe("ftTemperatureForRatio (fitted τ_ft, issue 27)", () => {
  it("gives weights softmax(S/τ) whose largest/smallest is the requested ratio", () => {
    const S = Float64Array.of(0.05, 0.1, 0.25, 0.6); // leverage spread 12×, as a small proxy gives
    for (const r of [1.5, 1.94, 4.08]) expect(ratio(finetuningWeights(S, { tau: ftTemperatureForRatio(S, r) }))).toBeCloseTo(r, 10);
    // by hand: (0.75 − 0.25) / ln e = 0.5
    expect(ftTemperatureForRatio(Float64Array.of(0.25, 0.75), Math.E)).toBeCloseTo(0.5, 14);
  });

  it("the official example's FT range is what τ_ft = 0.2 gives on its leverage scores (≈ 1.94)", () => {
    const S = normalizeLeverage(OFFICIAL_EXAMPLE.leverageRaw);
    expect(OFFICIAL_FT_WEIGHT_RATIO).toBeCloseTo(ratio(finetuningWeights(S, { tau: 0.2 })), 12);
    expect(OFFICIAL_FT_WEIGHT_RATIO).toBeCloseTo(1.9354, 3);
    expect(ftTemperatureForRatio(S, OFFICIAL_FT_WEIGHT_RATIO)).toBeCloseTo(0.2, 12);
  });

  it("names bad input", () => {
    expect(() => ftTemperatureForRatio([0.5, 0.5], 2)).toThrow(expect.objectContaining({ code: "DEGENERATE_KERNEL" }));
    expect(() => ftTemperatureForRatio([0.2, 0.8], 1)).toThrow(expect.objectContaining({ code: "BAD_TEMPERATURE" }));
  });
});
