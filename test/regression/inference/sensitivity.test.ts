/** Threshold sensitivity: RegMix claim 1's ρ 0.929 [0.863, 0.958] at the config's bars, on the interval and on the point estimate. */
import { describe, expect, it } from "vitest";
import { formatSensitivity, pointEstimate, sensitivity, sensitivityOf } from "../../../kernel-lib/regression/inference/sensitivity.js";
import { allOf, verdictAbove } from "../../../kernel-lib/regression/verdicts.js";

const rho = { value: 0.929, lo: 0.863, hi: 0.958, n: 64 };

describe("sensitivity", () => {
  it("RegMix 1: inconclusive at 0.90 on the interval, holds at 0.85 and on the point estimate", () => {
    const rows = sensitivityOf(rho, [0.8, 0.85, 0.9, 0.96], "above");
    expect(rows.map((r) => r.interval)).toEqual(["holds", "holds", "inconclusive", "does not hold at this scale"]);
    expect(rows.map((r) => r.point)).toEqual(["holds", "holds", "holds", "does not hold at this scale"]);
    expect(formatSensitivity(rows.slice(0, 3), "≥")).toBe("≥ 0.80: holds (point: holds); ≥ 0.85: holds (point: holds); ≥ 0.90: inconclusive (point: holds)");
  });

  it("re-judges a compound claim whole (every scale ≥ t)", () => {
    const scales = [rho, { value: 0.84, lo: 0.7, hi: 0.93, n: 12 }];
    const rows = sensitivity((t, basis) => allOf(scales.map((s) => verdictAbove(basis === "point" ? pointEstimate(s) : s, t))), [0.8, 0.85]);
    expect(rows).toEqual([
      { threshold: 0.8, interval: "inconclusive", point: "holds" },
      { threshold: 0.85, interval: "inconclusive", point: "does not hold at this scale" },
    ]);
  });

  it("a point estimate is the degenerate interval; a claim below a bar uses the other side", () => {
    expect(pointEstimate(rho)).toEqual({ value: 0.929, lo: 0.929, hi: 0.929, n: 64 });
    const loss = { value: -0.01, lo: -0.03, hi: 0.01, n: 5 };
    expect(sensitivityOf(loss, [0, 0.02], "below")).toEqual([
      { threshold: 0, interval: "inconclusive", point: "holds" },
      { threshold: 0.02, interval: "holds", point: "holds" },
    ]);
    expect(() => sensitivityOf(rho, [], "above")).toThrow(expect.objectContaining({ code: "STATS_NO_THRESHOLDS" }));
  });
});
