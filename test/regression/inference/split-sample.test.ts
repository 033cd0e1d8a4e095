/** Split-sample selection: a pick made and tested on the same proxies holds, and fails on the other half; a real effect survives the split. */
import { describe, expect, it } from "vitest";
import { formatSplit, splitHalves, splitSampleSelection, type PickTest } from "../../../kernel-lib/regression/inference/split-sample.js";
import { tInterval } from "../../../kernel-lib/regression/intervals.js";
import { verdictBelow } from "../../../kernel-lib/regression/verdicts.js";

describe("splitHalves", () => {
  it("partitions the units into ⌊n/2⌋ and the rest, the same for the same seed", () => {
    for (const n of [4, 7, 12]) {
      const { A, B } = splitHalves(n, 5);
      expect(A.length).toBe(Math.floor(n / 2));
      expect([...A, ...B].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(A).toEqual([...A].sort((a, b) => a - b));
      expect(splitHalves(n, 5)).toEqual({ A, B });
    }
    expect(splitHalves(12, 5)).not.toEqual(splitHalves(12, 6));
    expect(() => splitHalves(3, 1)).toThrow(expect.objectContaining({ code: "STATS_TOO_FEW" }));
  });
});

describe("splitSampleSelection", () => {
  // 12 proxies × 4 candidate domains: effect[d][i] is how much domain d lowers the target's
  // loss on proxy i (negative helps). "The most helpful domain helps": pick the domain with the
  // lowest mean, test "its mean effect < 0" with a t interval over the proxies given.
  const n = 12, seed = 7;
  const { A, B } = splitHalves(n, seed);
  const jitter = [0.03, -0.02, 0.01, -0.03, 0.02, 0];
  const onHalves = (a: number, b: number) => {
    const e = new Array<number>(n);
    A.forEach((i, k) => { e[i] = a + jitter[k]; });
    B.forEach((i, k) => { e[i] = b + jitter[(k + 2) % 6]; });
    return e;
  };
  const choose = (effect: number[][]) => (units: readonly number[]) => {
    const mean = (d: number) => units.reduce((s, i) => s + effect[d][i], 0) / units.length;
    return effect.reduce((best, _, d) => (mean(d) < mean(best) ? d : best), 0);
  };
  const test = (effect: number[][]) => (d: number, units: readonly number[]): PickTest => {
    const estimate = tInterval(units.map((i) => effect[d][i]));
    return { estimate, verdict: verdictBelow(estimate, 0) };
  };

  it("a pick that holds on the data it was chosen on fails on the other half", () => {
    // domain 0 looks helpful only on half A, domain 1 only on half B (noise that happened to line up)
    const effect = [onHalves(-0.5, 0.05), onHalves(0.05, -0.5), onHalves(0.1, 0.1), onHalves(0.2, 0.15)];
    const r = splitSampleSelection(n, choose(effect), test(effect), { seed });
    expect(r.halves).toEqual({ A, B });
    expect(r.sameData.verdict).toBe("holds"); // what choosing and testing on all 12 says
    expect(r.cross.map((c) => [c.chosenOn, c.testedOn, c.choice])).toEqual([["A", "B", 0], ["B", "A", 1]]);
    expect(r.cross.map((c) => c.verdict)).toEqual(["does not hold at this scale", "does not hold at this scale"]);
    expect(r.verdict).toBe("does not hold at this scale");
    expect(formatSplit(r, (d) => `domain ${d}`)).toMatch(/^chosen on A \(6\): domain 0, tested on B: .* does not hold at this scale; chosen on B \(6\): domain 1, tested on A: .*; same data: domain \d .* holds$/);
  });

  it("a domain that helps everywhere survives the split", () => {
    const effect = [onHalves(-0.3, -0.25), onHalves(0.05, -0.1), onHalves(0.1, 0.1)];
    const r = splitSampleSelection(n, choose(effect), test(effect), { seed });
    expect(r.cross.map((c) => c.choice)).toEqual([0, 0]);
    expect(r.verdict).toBe("holds");
  });

  it("each choice sees only its own half", () => {
    const seen: number[][] = [];
    splitSampleSelection(n, (u) => { seen.push([...u]); return 0; }, () => ({ estimate: { value: 0, lo: -1, hi: 1, n: 1 }, verdict: "inconclusive" }), { seed });
    expect(seen).toEqual([A, B, Array.from({ length: n }, (_, i) => i)]);
  });
});
