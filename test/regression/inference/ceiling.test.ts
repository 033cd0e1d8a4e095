/** Noise ceilings: seed agreement by hand, the attenuation bound against a simulation, a verdict that changes once judged against the ceiling. */
import { describe, expect, it } from "vitest";
import { formatCeiling, judgeAgainstCeiling, noiseCeiling, seedAgreement } from "../../../kernel-lib/regression/inference/ceiling.js";
import { spearman, spearmanBrown } from "../../../kernel-lib/regression/metrics.js";
import { verdictAbove } from "../../../kernel-lib/regression/verdicts.js";
import { createRng } from "../../../kernel-lib/util/rng.js";

describe("seedAgreement", () => {
  it("takes Spearman ρ of every pair of repeats (by hand: 1 − 6Σd²/(n(n²−1)))", () => {
    const a = seedAgreement([[1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4]]);
    // (0,1): d = 0,1,1,0 → 1 − 12/60 = 0.8; (0,2): 0.8; (1,2): ranks 1,3,2,4 vs 2,1,3,4: d = 1,2,1,0 → 1 − 36/60 = 0.4
    expect(a.pairs.map((p) => [p.a, p.b])).toEqual([[0, 1], [0, 2], [1, 2]]);
    a.pairs.forEach((p, i) => expect(p.rho).toBeCloseTo([0.8, 0.8, 0.4][i], 14));
    expect(a.mean).toBeCloseTo(2 / 3, 14);
    expect(a.min).toBeCloseTo(0.4, 14);
    expect(a.max).toBeCloseTo(0.8, 14);
    expect(a).toMatchObject({ models: 4, repeats: 3 });
  });
  it("needs 2 repeats of at least 3 models, all the same length", () => {
    expect(() => seedAgreement([[1, 2, 3]])).toThrow(expect.objectContaining({ code: "STATS_TOO_FEW" }));
    expect(() => seedAgreement([[1, 2], [2, 1]])).toThrow(expect.objectContaining({ code: "STATS_TOO_FEW" }));
    expect(() => seedAgreement([[1, 2, 3], [1, 2]])).toThrow(expect.objectContaining({ code: "METRIC_LENGTH_MISMATCH" }));
  });
});

describe("spearmanBrown(r, k)", () => {
  it("steps a one-run reliability up to k runs; k = 2 is the split-half formula unchanged", () => {
    expect(spearmanBrown(0.5, 3)).toBeCloseTo(0.75, 15);
    expect(spearmanBrown(0.6)).toBeCloseTo(0.75, 15);
    for (const r of [0.1, 0.37, 0.86, 0.999]) expect(spearmanBrown(r)).toBe((2 * r) / (1 + r));
    expect(spearmanBrown(-0.2, 5)).toBe(-0.2);
  });
});

describe("noiseCeiling", () => {
  it("is √(rel_a·rel_b), √rel_a with one side measured, not measured with none", () => {
    expect(noiseCeiling(0.81, 0.64).ceiling).toBeCloseTo(0.72, 15);
    expect(noiseCeiling(0.81, null)).toMatchObject({ basis: "√rel_a (one side measured; an upper bound)" });
    expect(noiseCeiling(null, 0.81).ceiling).toBeCloseTo(0.9, 15);
    expect(noiseCeiling(null, null)).toMatchObject({ ceiling: null, basis: "not measured" });
    expect(noiseCeiling(-0.1, 0.9).ceiling).toBe(0);
    expect(() => noiseCeiling(1.2, 0.5)).toThrow(expect.objectContaining({ code: "STATS_BAD_RELIABILITY" }));
  });

  it("is the correlation two noisy measurements of identical true orders reach (simulation, 400 models)", () => {
    // true scores s; measurement a = s + 0.6·noise, b = s + 1.0·noise, three repeats each
    const rng = createRng(11);
    const s = Array.from({ length: 400 }, () => rng.normal());
    const measure = (sd: number) => s.map((x) => x + sd * rng.normal());
    const A = [0, 1, 2].map(() => measure(0.6)), B = [0, 1, 2].map(() => measure(1));
    const c = noiseCeiling(seedAgreement(A).mean, seedAgreement(B).mean).ceiling!;
    const cross = A.flatMap((a) => B.map((b) => spearman(a, b)));
    const observed = cross.reduce((x, y) => x + y, 0) / cross.length;
    expect(Math.abs(observed - c)).toBeLessThan(0.02); // measured: 0.592 vs 0.596
    expect(c).toBeLessThan(0.7); // far below 1: a raw bar of 0.8 could never be met
  });
});

describe("judgeAgainstCeiling", () => {
  const rho = { value: 0.9, lo: 0.8, hi: 0.95, n: 12 };
  it("changes a verdict: ρ 0.90 [0.80, 0.95] is inconclusive at 0.9, holds against a 0.86 ceiling", () => {
    expect(verdictAbove(rho, 0.9)).toBe("inconclusive");
    const j = judgeAgainstCeiling(rho, noiseCeiling(0.86, 0.86), 0.9);
    expect(j.ceiling.ceiling).toBeCloseTo(0.86, 15);
    expect(j.disattenuated!.lo).toBeCloseTo(0.8 / 0.86, 14);
    expect(j.disattenuated!.hi).toBe(1); // 0.95/0.86 = 1.105, clipped
    expect(j.disattenuated!.value).toBe(1);
    expect(j.verdict).toBe("holds");
    expect(j.atCeiling).toBe(true);
    expect(formatCeiling(j)).toBe("0.860 (√(rel_a·rel_b)); ρ/ceiling 1.000 [0.930, 1.000]: holds");
  });
  it("says 'not measured' without repeats, and judges nothing against a zero ceiling", () => {
    const none = judgeAgainstCeiling(rho, noiseCeiling(null, null), 0.9);
    expect(none).toMatchObject({ verdict: "not measured", disattenuated: null, atCeiling: null });
    expect(formatCeiling(none)).toBe("not measured");
    expect(judgeAgainstCeiling(rho, noiseCeiling(0, 0.9), 0.9)).toMatchObject({ verdict: "inconclusive", disattenuated: null });
  });
  it("a ρ well below the ceiling stays below it", () => {
    const j = judgeAgainstCeiling({ value: 0.3, lo: 0.1, hi: 0.5, n: 12 }, noiseCeiling(0.9, 0.9), 0.8);
    expect(j.atCeiling).toBe(false);
    expect(j.verdict).toBe("does not hold at this scale");
  });
});
