import { describe, expect, it } from "vitest";
import { findBins, nextUp, valueToBin, ZERO_THRESHOLD } from "../../kernel-lib/regression/gbdt/binning.js";
import { binDataset } from "../../kernel-lib/regression/gbdt/dataset.js";
import { headSplit } from "./regmix-data.js";

// Expected bounds below are hand-traced through LightGBM's src/io/bin.cpp
// (FindBin → FindBinWithZeroAsOneBin → GreedyFindBin).
describe("LightGBM-style binning", () => {
  it("nextUp is C nextafter(x, +inf)", () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextUp(-2.5)).toBe(-2.4999999999999996);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(ZERO_THRESHOLD).toBe(Math.fround(1e-35));
  });

  it("zero gets its own bin; positive values are merged until a bin holds min_data_in_bin rows", () => {
    // 0×5, 0.001×2, 0.002×1, 0.003×4, 0.5×1 with min_data_in_bin 3
    const v = [0, 0, 0, 0, 0, 0.001, 0.001, 0.002, 0.003, 0.003, 0.003, 0.003, 0.5];
    const m = findBins(v, { maxBin: 255, minDataInBin: 3 });
    expect(Array.from(m.upperBounds)).toEqual([ZERO_THRESHOLD, nextUp(0.0025), nextUp(0.2515), Infinity]);
    expect(Array.from(m.countInBin)).toEqual([5, 3, 4, 1]);
    expect(v.map((x) => valueToBin(m.upperBounds, x))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3]);
  });

  it("more distinct values than bins: quantile cut (GreedyFindBin's second branch)", () => {
    // 1..10 once each, max_bin 4 → zero bin + 3 bins; right part cut after 4 and after 7.
    const m = findBins([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { maxBin: 4, minDataInBin: 3 });
    expect(Array.from(m.upperBounds)).toEqual([ZERO_THRESHOLD, nextUp(4.5), nextUp(7.5), Infinity]);
    expect(Array.from(m.countInBin)).toEqual([0, 4, 3, 3]);
  });

  it("negative values get bins below −1e-35, zero sits between ±1e-35", () => {
    const m = findBins([-3, -2, -1, 0, 0, 1, 2], { maxBin: 255, minDataInBin: 1 });
    expect(Array.from(m.upperBounds)).toEqual([nextUp(-2.5), nextUp(-1.5), -ZERO_THRESHOLD, ZERO_THRESHOLD, nextUp(1.5), Infinity]);
    expect([-3, -2, -1, 0, 1, 2].map((x) => valueToBin(m.upperBounds, x))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("pre-filter marks features that cannot leave min_data_in_leaf rows on both sides", () => {
    const sparse = Array.from({ length: 100 }, (_, i) => (i < 10 ? 0.1 * (i + 1) : 0));
    expect(findBins(sparse, { maxBin: 255, minDataInBin: 3, preFilterMinData: 20 }).isTrivial).toBe(true);
    expect(findBins(sparse, { maxBin: 255, minDataInBin: 3, preFilterMinData: 5 }).isTrivial).toBe(false);
    expect(findBins([0, 0, 0], { maxBin: 255, minDataInBin: 3 }).isTrivial).toBe(true); // one bin
  });

  it("RegMix mixtures: bounds ascend, lie strictly between data values, ≤ max_bin bins, bins consistent", () => {
    const { X } = headSplit();
    const ds = binDataset(X, { maxBin: 255, minDataInBin: 3, preFilterMinData: 20 });
    expect(ds.numFeatures).toBeGreaterThan(10);
    for (let f = 0; f < ds.numFeatures; f++) {
      const { upperBounds: ub, numBins } = ds.mappers[f];
      expect(numBins).toBeLessThanOrEqual(255);
      for (let b = 1; b < numBins; b++) expect(ub[b]).toBeGreaterThan(ub[b - 1]);
      const col = X.map((r) => r[ds.realFeature[f]]);
      const values = new Set(col);
      for (let b = 0; b < numBins - 1; b++) expect(values.has(ub[b])).toBe(false);
      col.forEach((x, i) => {
        const bin = ds.bins[i * ds.numFeatures + f];
        expect(x <= ub[bin] && (bin === 0 || x > ub[bin - 1])).toBe(true);
      });
      // every bin except the last positive one holds ≥ 3 rows (zero bin may hold fewer)
      for (let b = 2; b < numBins - 1; b++) expect(ds.mappers[f].countInBin[b]).toBeGreaterThanOrEqual(3);
    }
  });
});
