/** Intervals for the studies: Student's t against scipy's quantiles, the percentile bootstrap's invariants. */
import { describe, expect, it } from "vitest";
import { bootstrapInterval, bootstrapIntervals, meanSd, quantileSorted, tInterval } from "../../kernel-lib/regression/intervals.js";
import { fitLinear, fitLinearTargets } from "../../kernel-lib/regression/linear.js";
import { createRng } from "../../kernel-lib/util/rng.js";

describe("tInterval", () => {
  it("uses Student's t quantile (scipy.stats.t.ppf(0.975, 2) = 4.302652729749464)", () => {
    const i = tInterval([1, 2, 3]);
    expect(i.value).toBe(2);
    expect(i.hi - 2).toBeCloseTo(4.302652729749464 / Math.sqrt(3), 9); // @stdlib agrees with scipy to ~1e-11
    expect(i.lo).toBeCloseTo(2 - (i.hi - 2), 12);
    // t.ppf(0.975, 9) = 2.2621571627409915
    const ten = Array.from({ length: 10 }, (_, k) => k);
    expect(tInterval(ten).hi - 4.5).toBeCloseTo(2.2621571627409915 * meanSd(ten).sd / Math.sqrt(10), 9);
  });
  it("needs two values", () => expect(() => tInterval([1])).toThrow(/at least 2/));
});

describe("bootstrap", () => {
  const rng = createRng(3);
  const x = Array.from({ length: 200 }, () => rng.normal());
  const mean = (idx: Int32Array) => idx.reduce((s, i) => s + x[i], 0) / idx.length;

  it("brackets the mean like the normal approximation (±1.96 sd/√n) and is deterministic in its seed", () => {
    const i = bootstrapInterval(x.length, mean, { seed: 1, resamples: 4000 });
    const { mean: m, sd } = meanSd(x);
    expect(i.value).toBeCloseTo(m, 12);
    const half = 1.96 * sd / Math.sqrt(x.length);
    expect(i.lo).toBeCloseTo(m - half, 1);
    expect(i.hi).toBeCloseTo(m + half, 1);
    expect(i.hi - i.lo).toBeGreaterThan(1.6 * half);
    expect(i.hi - i.lo).toBeLessThan(2.4 * half);
    expect(bootstrapInterval(x.length, mean, { seed: 1, resamples: 4000 })).toEqual(i);
  });

  it("bootstrapIntervals draws the same resamples as bootstrapInterval for each statistic", () => {
    const max = (idx: Int32Array) => Math.max(...Array.from(idx, (i) => x[i]));
    const [a, b] = bootstrapIntervals(x.length, (idx) => [mean(idx), max(idx)], { seed: 9, resamples: 500 });
    expect(a).toEqual(bootstrapInterval(x.length, mean, { seed: 9, resamples: 500 }));
    expect(b).toEqual(bootstrapInterval(x.length, max, { seed: 9, resamples: 500 }));
  });

  it("quantileSorted interpolates like numpy", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
  });
});

describe("fitLinearTargets", () => {
  it("equals fitLinear on each target, bit for bit", () => {
    const rng = createRng(4);
    const n = 40, d = 5;
    const X = Float64Array.from({ length: n * d }, () => rng.next());
    const ys = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => rng.normal()));
    const many = fitLinearTargets(X, ys);
    ys.forEach((y, t) => {
      const one = fitLinear(X, y);
      expect(Array.from(many[t].coef)).toEqual(Array.from(one.coef));
      expect(many[t].intercept).toBe(one.intercept);
    });
  });
});
