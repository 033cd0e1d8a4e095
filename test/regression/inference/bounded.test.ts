/** Range-respecting intervals: the logit-scale t interval stays in (0, 1) where Student's t runs past 1; Fisher z against /usr/bin/python3 math. */
import { describe, expect, it } from "vitest";
import { boundedTInterval, CORRELATION, fisherZInterval, rangeExpit, rangeLogit, SHARE } from "../../../kernel-lib/regression/inference/bounded.js";
import { tInterval } from "../../../kernel-lib/regression/intervals.js";
import { verdictAbove } from "../../../kernel-lib/regression/verdicts.js";

describe("boundedTInterval", () => {
  // the example: Chameleon claim 2, proxy 445k-4000, the largest official weight over 3 seeds
  const shares = [0.953, 0.474, 0.96];

  it("keeps a share inside (0, 1) where the t interval reaches 1.488", () => {
    const t = tInterval(shares);
    expect(t.lo).toBeCloseTo(0.10360206895384694, 12);
    expect(t.hi).toBeCloseTo(1.4877312643794864, 12);
    expect(t.hi).toBeGreaterThan(1);
    const b = boundedTInterval(shares, SHARE);
    // /usr/bin/python3: logits' mean 2.0278090804164846, sd 1.8482053630960424, t.ppf(0.975, 2) = 4.302652729749464;
    // expit(m), expit(m ∓ t·sd/√3)
    expect(b.value).toBeCloseTo(0.8836860735026126, 12);
    expect(b.lo).toBeCloseTo(0.07153222932355698, 12);
    expect(b.hi).toBeCloseTo(0.9986670217964597, 12);
    expect(b.mean).toBeCloseTo(0.7956666666666666, 12); // the plain mean, kept beside the logit-scale centre
    expect(b.hi).toBeLessThan(1);
    expect(b.lo).toBeGreaterThan(0);
  });

  it("changes a verdict the symmetric t interval gets wrong: 'the share is at least 0.1'", () => {
    // the t interval is too short on the side away from the bound as well as too long towards it
    expect(verdictAbove(tInterval(shares), 0.1)).toBe("holds");
    expect(verdictAbove(boundedTInterval(shares, SHARE), 0.1)).toBe("inconclusive");
  });

  it("is the t interval on Fisher's z for correlations", () => {
    const rhos = [0.97, 0.99, 0.86];
    expect(tInterval(rhos).hi).toBeGreaterThan(1); // 1.1139
    const b = boundedTInterval(rhos, CORRELATION);
    // /usr/bin/python3: z = atanh(ρ), tanh(mean z ± 4.302652729749464·sd(z)/√3)
    expect(b.value).toBeCloseTo(0.9647802449869438, 12);
    expect(b.lo).toBeCloseTo(0.31017242907424275, 12);
    expect(b.hi).toBeCloseTo(0.9987801746998991, 12);
  });

  it("maps a range's logit back exactly; a value on a bound needs eps", () => {
    expect(rangeLogit(0.75, SHARE)).toBeCloseTo(Math.log(3), 14);
    expect(rangeLogit(0.5, CORRELATION)).toBeCloseTo(2 * Math.atanh(0.5), 14);
    for (const x of [0.001, 0.3, 0.999]) expect(rangeExpit(rangeLogit(x, SHARE), SHARE)).toBeCloseTo(x, 12);
    expect(rangeExpit(rangeLogit(2.5, { lo: 2, hi: 5 }), { lo: 2, hi: 5 })).toBeCloseTo(2.5, 12);
    expect(() => boundedTInterval([0.9, 1, 0.95], SHARE)).toThrow(expect.objectContaining({ code: "STATS_OUT_OF_RANGE" }));
    expect(() => boundedTInterval([0.9, 1.2, 0.95], SHARE, 0.95, 1e-6)).toThrow(expect.objectContaining({ code: "STATS_OUT_OF_RANGE" }));
    const e = boundedTInterval([0.9, 1, 0.95], SHARE, 0.95, 1e-6);
    expect(e.hi).toBeLessThan(1);
    expect(() => boundedTInterval([0.5], SHARE)).toThrow(expect.objectContaining({ code: "STATS_TOO_FEW" }));
    expect(() => rangeLogit(0.5, { lo: 1, hi: 0 })).toThrow(expect.objectContaining({ code: "STATS_BAD_RANGE" }));
  });
});

describe("fisherZInterval", () => {
  it("matches tanh(atanh r ± z·se) computed with /usr/bin/python3 math and statistics.NormalDist", () => {
    // se = 1/√(28 − 3) = 0.2 (Pearson); √((1 + 0.25/2)/25) (Spearman, Bonett & Wright 2000)
    const p = fisherZInterval(0.5, 28);
    expect(p.lo).toBeCloseTo(0.15602836252908606, 12);
    expect(p.hi).toBeCloseTo(0.7358184794439374, 12);
    const s = fisherZInterval(0.5, 28, { kind: "spearman" });
    expect(s.lo).toBeCloseTo(0.1327469037222987, 12);
    expect(s.hi).toBeCloseTo(0.746533057841545, 12);
  });
  it("stays in [−1, 1] and is degenerate at ±1", () => {
    const i = fisherZInterval(0.98, 5);
    expect(i.hi).toBeLessThan(1);
    expect(i.lo).toBeGreaterThan(-1);
    expect(fisherZInterval(1, 10)).toMatchObject({ lo: 1, hi: 1 });
    expect(() => fisherZInterval(0.5, 3)).toThrow(expect.objectContaining({ code: "STATS_TOO_FEW" }));
    expect(() => fisherZInterval(1.5, 10)).toThrow(expect.objectContaining({ code: "STATS_OUT_OF_RANGE" }));
  });
});
