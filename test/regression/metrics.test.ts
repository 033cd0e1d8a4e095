import { describe, expect, it } from "vitest";
import { averageRanks, mae, mse, pearson, spearman } from "../../kernel-lib/regression/metrics.js";

// Reference values computed with scipy 1.10.1 (scipy.stats.rankdata / spearmanr / pearsonr) and numpy.
const A = [3.1, 2.0, 2.0, 5.5, 4.0, 2.0, 7.25, 5.5];
const B = [1.0, 0.5, 0.7, 3.0, 3.0, 0.2, 9.0, 2.5];

describe("metrics against scipy", () => {
  it("average ranks give tied values their mean rank", () => {
    expect(Array.from(averageRanks(A))).toEqual([4.0, 2.0, 2.0, 6.5, 5.0, 2.0, 8.0, 6.5]);
  });
  it("spearman with ties in both arrays", () => {
    expect(spearman(A, B)).toBeCloseTo(0.9200335844703181, 14);
    expect(spearman([1, 2, 3, 4], [10, 20, 20, 40])).toBeCloseTo(0.9486832980505139, 14);
    expect(spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toBeCloseTo(-1, 14);
  });
  it("pearson", () => {
    expect(pearson(A, B)).toBeCloseTo(0.8853024094902803, 14);
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(0.9933992677987828, 14);
    expect(Number.isNaN(pearson([1, 1, 1], [1, 2, 3]))).toBe(true); // constant input, as scipy
  });
  it("mse and mae", () => {
    expect(mse(A, B)).toBeCloseTo(3.8628125000000004, 14);
    expect(mae(A, B)).toBeCloseTo(1.86875, 14);
  });
  it("spearman is invariant under monotone transforms", () => {
    const x = Array.from({ length: 50 }, (_, i) => Math.sin(i * 1.7) * 10);
    const y = x.map((v, i) => v + Math.cos(i));
    expect(spearman(x.map(Math.exp), y.map((v) => v ** 3))).toBeCloseTo(spearman(x, y), 14);
  });
  it("length mismatch is a MixlabError", () => {
    expect(() => spearman([1, 2], [1])).toThrow(expect.objectContaining({ code: "METRIC_LENGTH_MISMATCH" }));
    expect(() => pearson([1], [1])).toThrow(expect.objectContaining({ code: "METRIC_TOO_FEW_POINTS" }));
  });
});
