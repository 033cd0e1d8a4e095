import { describe, expect, it } from "vitest";
import { acrossSeedsFigure, acrossSeedsTable, armsAcrossSeeds, type ComparisonArm } from "../../kernel-lib/compare/index.js";
import type { CompareMethod } from "../../kernel-lib/compare/config.js";

const domains = ["a", "b"];
// an arm whose per-domain losses are given; its average is their mean, as the comparison computes it
function arm(method: CompareMethod, a: number, b: number): ComparisonArm {
  return { method, label: method, mixture: {}, cost: {} as ComparisonArm["cost"], details: {}, searchSeconds: 0, final: { validation: { a, b }, average: (a + b) / 2 } as unknown as ComparisonArm["final"] };
}

describe("armsAcrossSeeds", () => {
  // regmix = uniform − 0.1, − 0.2, − 0.3 on the average over three seeds; prior misses seed 2
  const repeats = [
    [arm("regmix", 1.0, 1.2), arm("uniform", 1.2, 1.2), arm("prior", 1.1, 1.1)],
    [arm("uniform", 1.3, 1.3), arm("regmix", 1.0, 1.2), arm("prior", 1.4, 1.4)],
    [arm("uniform", 1.4, 1.4), arm("regmix", 1.0, 1.2)],
  ];
  const rows = armsAcrossSeeds(repeats, domains, "uniform");

  it("orders arms as the comparison table does and counts each arm's seeds", () => {
    expect(rows.map((r) => [r.method, r.seeds])).toEqual([["uniform", 3], ["prior", 2], ["regmix", 3]]);
  });

  it("gives mean ± sd over seeds and the paired t interval against the baseline", () => {
    const regmix = rows.find((r) => r.method === "regmix")!;
    expect(regmix.average.mean).toBeCloseTo(1.1, 12);
    expect(regmix.average.sd).toBe(0);
    expect(regmix.perDomain.b.mean).toBeCloseTo(1.2, 12);
    // uniform averages 1.2, 1.3, 1.4 → differences −0.1, −0.2, −0.3
    const d = regmix.vsBaseline!;
    expect(d.value).toBeCloseTo(-0.2, 12);
    // t(0.975, 2) = 4.302652729…, sd 0.1, n 3
    expect(d.hi - d.value).toBeCloseTo(4.302652729911275 * 0.1 / Math.sqrt(3), 9);
    expect(d.n).toBe(3);
    // prior pairs only on the two seeds it has: −0.1 and +0.1
    const prior = rows.find((r) => r.method === "prior")!;
    expect(prior.vsBaseline!.n).toBe(2);
    expect(prior.vsBaseline!.value).toBeCloseTo(0, 12);
    expect(rows.find((r) => r.method === "uniform")!.vsBaseline).toBeNull();
  });

  it("has no interval and no error bar from a single seed", () => {
    const one = armsAcrossSeeds([repeats[0]], domains);
    expect(one.every((r) => r.vsBaseline === null && Number.isNaN(r.average.sd))).toBe(true);
    expect(acrossSeedsTable(one)[0].sd).toBe("—");
    const fig = acrossSeedsFigure(one, domains);
    expect(JSON.stringify(fig)).not.toContain("NaN");
  });
});
