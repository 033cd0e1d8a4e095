/** The normal quantile against CPython's statistics.NormalDist.inv_cdf; the t tail against closed forms and @stdlib's t quantile. */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { describe, expect, it } from "vitest";
import { normalQuantile, tTwoSidedP } from "../../../kernel-lib/regression/inference/distributions.js";

describe("normalQuantile (AS241)", () => {
  // /usr/bin/python3 (3.11.2): statistics.NormalDist().inv_cdf(p), every branch of the algorithm
  const reference: [number, number][] = [
    [0.975, 1.9599639845400536], [0.995, 2.5758293035489], [0.75, 0.6744897501960817], [0.3, -0.5244005127080407], [0.9, 1.2815515655446008], // |p − ½| ≤ 0.425
    [0.02425, -1.9729610513118845], [0.001, -3.090232306167813], [0.999999, 4.753424308817089], [1e-10, -6.361340902404056], // r ≤ 5
    [1e-15, -7.941345326170995], [1 - 1e-12, 7.0344869100478356], // r > 5
  ];
  it.each(reference)("Φ⁻¹(%s) = %s", (p, q) => expect(normalQuantile(p)).toBeCloseTo(q, 14));
  it("is odd about ½ and infinite at the ends", () => {
    for (const p of [0.01, 0.2, 0.4999]) expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.2)).toBeNaN();
  });
});

describe("tTwoSidedP", () => {
  it("is the Cauchy tail for ν = 1 and 1 − t/√(2 + t²) for ν = 2 (values from /usr/bin/python3 math)", () => {
    // ν = 1: 1 − 2·atan(t)/π; ν = 2: 1 − t/√(2 + t²)
    for (const [t, p1, p2] of [[0.5, 0.7048327646991335, 0.6666666666666667], [2, 0.2951672353008665, 0.18350341907227385], [10, 0.06345103486110704, 0.0098524570233256]]) {
      expect(tTwoSidedP(t, 1)).toBeCloseTo(p1, 14);
      expect(tTwoSidedP(-t, 2)).toBeCloseTo(p2, 14);
    }
  });
  it("inverts @stdlib's t quantile (which agrees with scipy.stats.t.ppf) for odd and even ν", () => {
    for (let df = 1; df <= 40; df++) {
      for (const p of [0.5, 0.05, 0.01, 0.001]) expect(Math.abs(tTwoSidedP(tQuantile(1 - p / 2, df), df) - p)).toBeLessThan(1e-12);
    }
    expect(tTwoSidedP(4.302652729749464, 2)).toBeCloseTo(0.05, 13); // scipy.stats.t.ppf(0.975, 2)
    expect(tTwoSidedP(2.776, 4)).toBeCloseTo(0.05, 4); // printed t tables: t(0.975, 4) = 2.776
  });
  it("is 1 at t = 0, 0 at ±∞, decreasing in |t|", () => {
    expect(tTwoSidedP(0, 4)).toBe(1);
    expect(tTwoSidedP(Infinity, 4)).toBe(0);
    let last = 1;
    for (let t = 0.25; t < 20; t += 0.25) { const p = tTwoSidedP(t, 5); expect(p).toBeLessThan(last); last = p; }
  });
  it("needs an integer ν ≥ 1", () => {
    expect(() => tTwoSidedP(1, 2.5)).toThrow(expect.objectContaining({ code: "STATS_BAD_DF" }));
    expect(() => tTwoSidedP(1, 0)).toThrow(expect.objectContaining({ code: "STATS_BAD_DF" }));
  });
});
