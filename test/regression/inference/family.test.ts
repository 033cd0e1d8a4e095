/**
 * Holm families: adjusted p-values by hand, a family that holds uncorrected and not under
 * Holm, the Chameleon 1a, and the invariant that each interval excludes its threshold
 * exactly when Holm rejects.
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { describe, expect, it } from "vitest";
import { SHARE } from "../../../kernel-lib/regression/inference/bounded.js";
import {
  bootstrapMember, bootstrapPValue, boundedTMember, formatFamily, holm, holmFamily, pairedTFamily, tMember,
} from "../../../kernel-lib/regression/inference/family.js";
import { bootstrapDistributions, bootstrapIntervals, percentileInterval } from "../../../kernel-lib/regression/intervals.js";
import { spearman } from "../../../kernel-lib/regression/metrics.js";
import { createRng } from "../../../kernel-lib/util/rng.js";

/** n = 5 paired differences with the given mean and the sd that gives the 95 % t half-width `half` */
const Z5 = [-2, -1, 0, 1, 2].map((k) => k / Math.sqrt(2.5)); // mean 0, sd 1
const withInterval = (mean: number, lo: number, hi: number) => {
  const sd = ((hi - lo) / 2 / tQuantile(0.975, 4)) * Math.sqrt(5);
  return Z5.map((z) => mean + sd * z);
};
/** differences whose two-sided t p-value for "mean = 0" is p, mean below 0 */
const withP = (p: number, sd = 1) => {
  const t = tQuantile(1 - p / 2, 4);
  return Z5.map((z) => -t * sd / Math.sqrt(5) + sd * z);
};

describe("holm", () => {
  it("adjusts by hand: sorted 0.005·4, 0.01·3, max(0.03·2), max(0.04·1)", () => {
    const a = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((x, i) => expect(a[i]).toBeCloseTo(x, 15));
  });
  it("is monotone in the sorted order, capped at 1, equal for ties", () => {
    expect(holm([0.5, 0.6])).toEqual([1, 1]);
    expect(holm([0.02, 0.02])).toEqual([0.04, 0.04]);
    expect(holm([0.2])).toEqual([0.2]);
    expect(() => holm([0.1, Number.NaN])).toThrow(expect.objectContaining({ code: "STATS_BAD_P" }));
  });
});

describe("holmFamily", () => {
  it("a family that holds uncorrected and not under Holm (p = 0.01, 0.03, 0.04)", () => {
    const f = pairedTFamily([{ label: "a", differences: withP(0.01) }, { label: "b", differences: withP(0.03) }, { label: "c", differences: withP(0.04) }], { side: "below", claim: "all" });
    f.parts.forEach((x, i) => expect(x.p).toBeCloseTo([0.01, 0.03, 0.04][i], 12));
    f.parts.forEach((x, i) => expect(x.adjustedP).toBeCloseTo([0.03, 0.06, 0.06][i], 12));
    expect(f.uncorrected).toBe("holds");
    expect(f.parts.map((x) => x.uncorrected.verdict)).toEqual(["holds", "holds", "holds"]);
    // step 1: 0.01 ≤ 0.05/3 rejects; step 2: 0.03 > 0.05/2 stops; step 3 shares step 2's level
    expect(f.parts.map((x) => x.verdict)).toEqual(["holds", "inconclusive", "inconclusive"]);
    expect(f.parts.map((x) => x.level)).toEqual([1 - 0.05 / 3, 1 - 0.05 / 2, 1 - 0.05 / 2]);
    expect(f.verdict).toBe("inconclusive");
    expect(f.correction).toMatch(/^Holm over 3 comparisons \(family-wise α = 0\.05\)/);
  });

  it("the issue's Chameleon 1a: 'does not hold' uncorrected rests on vs DoReMi; under Holm it is inconclusive", () => {
    const f = pairedTFamily([
      { label: "vs Uniform", differences: withInterval(0.1416, -0.1653, 0.4486) },
      { label: "vs Token prior", differences: withInterval(-0.0124, -0.4049, 0.38) },
      { label: "vs RegMix", differences: withInterval(-11.1373, -13.3212, -8.9535) },
      { label: "vs DoReMi", differences: withInterval(0.2577, 0.0337, 0.4817) },
      { label: "vs DoGE", differences: withInterval(-1.4471, -1.6456, -1.2487) },
    ], { side: "below", claim: "all" });
    const doremi = f.parts[3];
    expect(doremi.uncorrected.interval.lo).toBeCloseTo(0.0337, 10);
    expect(doremi.uncorrected.verdict).toBe("does not hold at this scale");
    expect(f.uncorrected).toBe("does not hold at this scale");
    // the issue: Bonferroni over 5 gives [−0.114, 0.629]
    expect(doremi.bonferroni.lo).toBeCloseTo(-0.114, 3);
    expect(doremi.bonferroni.hi).toBeCloseTo(0.629, 3);
    // Holm: DoGE and RegMix reject at steps 1–2; DoReMi (p 0.033) fails step 3 (α/3 = 0.0167): 98.3 % interval
    expect(f.parts.map((x) => x.step)).toEqual([4, 5, 2, 3, 1]);
    expect(doremi.level).toBeCloseTo(1 - 0.05 / 3, 15);
    expect(doremi.interval.lo).toBeLessThan(0);
    expect(doremi.interval.lo).toBeCloseTo(0.2577 - tQuantile(1 - 0.05 / 6, 4) * (0.4817 - 0.0337) / 2 / tQuantile(0.975, 4), 10);
    expect(f.parts.map((x) => x.verdict)).toEqual(["inconclusive", "inconclusive", "holds", "inconclusive", "holds"]);
    expect(f.verdict).toBe("inconclusive");
    expect(formatFamily(f, 4)).toContain("vs DoReMi: 0.2577 [-0.0619, 0.5773] (98.3 %, Holm p = 0.099)");
  });

  it("each interval excludes its threshold exactly when the Holm-adjusted p ≤ α; Bonferroni ⊆ Holm ⊆ uncorrected", () => {
    const rng = createRng(25);
    let rejected = 0, fewerThanUncorrected = 0;
    for (let trial = 0; trial < 300; trial++) {
      const m = 2 + rng.int(5), n = 3 + rng.int(6);
      const members = Array.from({ length: m }, (_, i) => {
        const shift = (rng.next() - 0.7) * 2;
        return tMember(`c${i}`, Array.from({ length: n }, () => shift + rng.normal()), { threshold: 0, side: rng.next() < 0.5 ? "below" : "above" });
      });
      const f = holmFamily(members, { claim: "all" });
      for (const x of f.parts) {
        const holmRejects = x.verdict !== "inconclusive";
        expect(holmRejects).toBe(x.adjustedP <= f.alpha);
        const bonf = x.bonferroni.lo > 0 || x.bonferroni.hi < 0;
        const plain = x.uncorrected.verdict !== "inconclusive";
        if (bonf) expect(holmRejects).toBe(true);
        if (holmRejects) expect(plain).toBe(true);
        if (holmRejects) rejected++;
        if (plain && !holmRejects) fewerThanUncorrected++;
      }
    }
    expect(rejected).toBeGreaterThan(50); // the property was exercised both ways
    expect(fewerThanUncorrected).toBeGreaterThan(10);
  });

  it("an 'any' claim on shares: one proxy below the bar uncorrected, not once the 4 proxies are corrected", () => {
    // largest official weight over 3 seeds per proxy; claim: some proxy's is below 0.5
    const proxies = [[0.99, 0.98, 0.995], [0.4, 0.36, 0.42], [0.97, 0.9, 0.99], [0.95, 0.6, 0.98]];
    const f = holmFamily(proxies.map((xs, i) => boundedTMember(`p${i}`, xs, { threshold: 0.5, side: "below", range: SHARE })), { claim: "any" });
    expect(f.parts[1].uncorrected.verdict).toBe("holds");
    expect(f.uncorrected).toBe("holds");
    expect(f.parts[1].p).toBeCloseTo(1 - 5.844350734402766 / Math.sqrt(2 + 5.844350734402766 ** 2), 12); // ν = 2: p = 1 − t/√(2 + t²), t = mean logit / (sd/√3)
    expect(f.parts[1].p).toBeGreaterThan(0.05 / 4);
    expect(f.verdict).toBe("inconclusive");
    for (const x of f.parts) { expect(x.interval.hi).toBeLessThan(1); expect(x.bonferroni.lo).toBeGreaterThan(0); }
  });

  it("one comparison is not corrected", () => {
    const f = pairedTFamily([{ label: "a", differences: withP(0.03) }], { side: "below", claim: "all" });
    expect(f.parts[0].level).toBe(0.95);
    expect(f.parts[0].interval).toEqual(f.parts[0].uncorrected.interval);
    expect(f.verdict).toBe("holds");
    expect(f.correction).toMatch(/no correction/);
    expect(() => holmFamily([], { claim: "all" })).toThrow(expect.objectContaining({ code: "STATS_EMPTY_FAMILY" }));
  });
});

describe("bootstrap members", () => {
  it("p-value by hand: 2·min(below, above)/B", () => {
    const d = { value: 0.5, replicates: [0.1, 0.2, 0.3, 0.4], n: 10 };
    expect(bootstrapPValue(d, 0.15)).toBe(0.5);
    expect(bootstrapPValue(d, 0)).toBe(0);
    expect(bootstrapPValue(d, 0.25)).toBe(1);
  });

  it("reads every level from one set of resamples, the same as bootstrapIntervals, and its p agrees with its intervals", () => {
    const rng = createRng(8);
    const truth = Array.from({ length: 24 }, () => rng.normal());
    const scales = [0.3, 0.6, 1.2].map((s) => truth.map((x) => x + s * rng.normal()));
    const rhoAt = (b: number[]) => (idx: Int32Array) => spearman(Array.from(idx, (i) => truth[i]), Array.from(idx, (i) => b[i]));
    const stats = (idx: Int32Array) => scales.map((b) => rhoAt(b)(idx));
    const ds = bootstrapDistributions(truth.length, stats, { seed: 3, resamples: 1000 });
    expect(ds.map((d) => percentileInterval(d, 0.95))).toEqual(bootstrapIntervals(truth.length, stats, { seed: 3, resamples: 1000 }));
    const f = holmFamily(ds.map((d, i) => bootstrapMember(`scale ${i}`, d, { threshold: 0.8, side: "above" })), { claim: "all" });
    for (const x of f.parts) {
      expect(x.interval).toEqual(percentileInterval(ds[f.parts.indexOf(x)], x.level));
      // the interval at 1 − a excludes 0.8 iff p < a, to the bootstrap's 1/B resolution
      const a = 1 - x.level;
      if (x.verdict !== "inconclusive") expect(x.p).toBeLessThanOrEqual(a + 2 / 1000);
      else if (x.step === f.parts.filter((y) => y.verdict !== "inconclusive").length + 1) expect(x.p).toBeGreaterThanOrEqual(a - 2 / 1000);
    }
    expect(f.parts[2].verdict).not.toBe("holds"); // the noisiest measurement does not keep ρ ≥ 0.8
  });
});
