/** MAD outlier flags: the 2.472-nat seed, the 1.4826 scale (a value it changes), MAD 0, values never dropped. */
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../../../kernel-lib/regression/inference/distributions.js";
import { armOutliers, formatOutliers, MAD_NORMAL_SCALE, madOutliers } from "../../../kernel-lib/regression/inference/outliers.js";
import { meanSd } from "../../../kernel-lib/regression/intervals.js";

const seeds = [2.198, 2.203, 2.207, 2.212, 2.216, 2.221, 2.229, 2.472];

describe("madOutliers", () => {
  it("flags the issue's seed at 2.472 nats and none of the seven at 2.198–2.229", () => {
    const o = madOutliers(seeds);
    expect(o.median).toBeCloseTo(2.214, 12); // (2.212 + 2.216)/2
    expect(o.mad).toBeCloseTo(0.009, 12); // |deviations| sorted .002 .002 .007 .007 .011 .015 .016 .258 → (.007 + .011)/2
    expect(o.flagged.map((f) => f.index)).toEqual([7]);
    expect(o.flagged[0].distance).toBeCloseTo(0.258 / (1.4826 * 0.009), 2); // ≈ 19.3
    // mean ± 3 sd never flags it: with 8 values no value is more than 7/√8 = 2.47 sd from the mean
    const { mean, sd } = meanSd(seeds);
    expect((2.472 - mean) / sd).toBeLessThan(3);
  });

  it("scales the MAD by 1/Φ⁻¹(3/4) = 1.4826 (CPython statistics.NormalDist: Φ⁻¹(0.75) = 0.6744897501960817)", () => {
    expect(MAD_NORMAL_SCALE).toBeCloseTo(1 / normalQuantile(0.75), 15);
    expect(MAD_NORMAL_SCALE).toBeCloseTo(1 / 0.6744897501960817, 15);
    // median 0, MAD 1: 4 is 4 raw MADs but 2.70 scaled MADs from the median
    const xs = [-1, -1, 0, 0, 0, 1, 1, 4];
    expect(madOutliers(xs).flagged).toEqual([]);
    expect(madOutliers(xs, { scale: 1 }).flagged.map((f) => f.value)).toEqual([4]);
    expect(madOutliers(xs, { k: 2.5 }).flagged.map((f) => f.value)).toEqual([4]);
  });

  it("with MAD 0 flags every value off the median; returns flags, never changes the values", () => {
    const xs = Object.freeze([1, 1, 1, 1, 2]);
    const o = madOutliers(xs);
    expect(o.flagged).toEqual([{ index: 4, value: 2, distance: Infinity }]);
    expect(xs).toEqual([1, 1, 1, 1, 2]);
    expect(o.n).toBe(5);
    expect(() => madOutliers([1, 2])).toThrow(expect.objectContaining({ code: "STATS_TOO_FEW" }));
    expect(() => madOutliers([1, 2, Number.NaN])).toThrow(expect.objectContaining({ code: "STATS_NOT_FINITE" }));
  });

  it("per arm, with a column that names each flagged seed", () => {
    const arms = armOutliers({ uniform: seeds, regmix: [2.18, 2.19, 2.17, 2.18], two: [1, 9] });
    expect(Object.keys(arms)).toEqual(["uniform", "regmix"]);
    expect(formatOutliers(arms)).toBe("uniform seed 7: 2.472 (19.3 MADs)");
    expect(formatOutliers({ regmix: arms.regmix })).toBe("none");
  });
});
