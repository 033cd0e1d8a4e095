/**
 * Mixture constraints → bounds: token caps computed by hand, pinned and minimum weights, each
 * infeasible combination a named error that says which constraint breaks; the free-space
 * reduction the proposers use; the token-count sources (a corpus, a CSV).
 */
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { boundsViolations, expandFree, freeSpace, resolveMixtureBounds } from "../../kernel-lib/data/mixture-bounds.js";
import { tokenPrior } from "../../kernel-lib/data/prior.js";
import { availableTokensFromCorpus, readTokenCountsCsv } from "../../kernel-lib/data/token-counts.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const D = ["web", "code", "math", "books"];
const avail = { web: 1000, code: 100, math: 50, books: 400 };
const code = (c: string) => expect.objectContaining({ code: c });

describe("resolveMixtureBounds", () => {
  it("token caps = repetitionFactor × available / targetTokens, clamped to 1", () => {
    const b = resolveMixtureBounds(D, { targetTokens: 500, repetitionFactor: 2, availableTokens: avail });
    expect(Array.from(b.caps!)).toEqual([4, 0.4, 0.2, 1.6]);
    expect(Array.from(b.hi)).toEqual([1, 0.4, 0.2, 1]);
    expect(Array.from(b.lo)).toEqual([0, 0, 0, 0]);
    // default repetition factor 4 (Olmix's run_fit)
    expect(resolveMixtureBounds(D, { targetTokens: 500, availableTokens: avail }).caps![2]).toBe(0.4);
    // no targetTokens: no caps
    expect(resolveMixtureBounds(D, { availableTokens: avail }).caps).toBeNull();
  });

  it("pinned weights fix lo = hi, minimum weights raise lo", () => {
    const b = resolveMixtureBounds(D, { pinned: { math: 0.1 }, minWeights: { code: 0.05 } });
    expect(Array.from(b.lo)).toEqual([0, 0.05, 0.1, 0]);
    expect(Array.from(b.hi)).toEqual([1, 1, 0.1, 1]);
    expect(Array.from(b.pinned)).toEqual([0, 0, 1, 0]);
  });

  it("each infeasible set is a named error that says which constraint", () => {
    const caps = { targetTokens: 500, repetitionFactor: 2, availableTokens: avail }; // caps code 0.4, math 0.2
    expect(() => resolveMixtureBounds(D, { pinned: { web: 0.7, code: 0.4 } })).toThrow(code("CONSTRAINTS_PINNED_OVER_ONE"));
    expect(() => resolveMixtureBounds(D, { ...caps, pinned: { math: 0.3 } })).toThrow(code("CONSTRAINTS_PIN_OVER_CAP"));
    expect(() => resolveMixtureBounds(D, { ...caps, pinned: { math: 0.3 } })).toThrow(/"math": pinned weight 0.3 exceeds its token cap 0.2 \(= 2 × 50 available \/ 500 target tokens\)/);
    expect(() => resolveMixtureBounds(D, { ...caps, minWeights: { code: 0.5 } })).toThrow(code("CONSTRAINTS_MIN_OVER_CAP"));
    expect(() => resolveMixtureBounds(D, { pinned: { code: 0.1 }, minWeights: { code: 0.2 } })).toThrow(code("CONSTRAINTS_PIN_UNDER_MIN"));
    expect(() => resolveMixtureBounds(D, { pinned: { web: 0.6 }, minWeights: { code: 0.3, books: 0.2 } })).toThrow(code("CONSTRAINTS_MINIMA_OVER_ONE"));
    expect(() => resolveMixtureBounds(D, { pinned: { web: 0.2, code: 0.3, math: 0.1, books: 0.2 } })).toThrow(code("CONSTRAINTS_PINNED_NOT_ONE"));
    // 2 × 1550 available tokens cannot fill 4000 target tokens: the caps sum to 0.775 < 1
    const short = { targetTokens: 4000, repetitionFactor: 2, availableTokens: avail };
    expect(() => resolveMixtureBounds(D, short)).toThrow(code("CONSTRAINTS_CAPS_UNDER_ONE"));
    expect(() => resolveMixtureBounds(D, short)).toThrow(/at most 3100 target tokens fit/);
    expect(() => resolveMixtureBounds(D, { targetTokens: 500, availableTokens: { web: 1 } })).toThrow(code("CONSTRAINTS_MISSING_TOKENS"));
    expect(() => resolveMixtureBounds(D, { pinned: { wiki: 0.1 } })).toThrow(code("CONSTRAINTS_UNKNOWN_DOMAIN"));
    expect(() => resolveMixtureBounds(D, { targetTokens: -1 })).toThrow(code("CONSTRAINTS_BAD_VALUE"));
    expect(() => resolveMixtureBounds(D, { pinned: { web: 1.5 } })).toThrow(code("CONSTRAINTS_BAD_VALUE"));
    expect(() => resolveMixtureBounds(D, { minWeights: { web: Number.NaN } })).toThrow(code("CONSTRAINTS_BAD_VALUE"));
  });

  it("freeSpace / expandFree: x = lo + r·u over the free domains", () => {
    const b = resolveMixtureBounds(D, { pinned: { math: 0.1 }, minWeights: { code: 0.05 }, targetTokens: 500, repetitionFactor: 2, availableTokens: avail });
    const fs = freeSpace(b);
    expect(fs.free).toEqual([0, 1, 3]);
    expect(fs.r).toBeCloseTo(0.85, 15);
    expect(fs.uUpper[1]).toBeCloseTo((0.4 - 0.05) / 0.85, 15); // code: (hi − lo)/r
    const x = expandFree(fs, Float64Array.of(0.5, 0.2, 0.3), new Float64Array(4), 1);
    expect(Array.from(x).map((v) => +v.toFixed(12))).toEqual([0.425, 0.22, 0.1, 0.255]);
    expect(boundsViolations(b, x)).toEqual([]);
    expect(boundsViolations(b, [0.3, 0.5, 0.1, 0.1])).toEqual(['domain "code": 0.5 > upper bound 0.4']);
  });
});

describe("token counts", () => {
  it("a corpus gives its train-split tokens (the token prior's counts)", () => {
    const corpus = loadCorpus(fixtureCorpusDir());
    const a = availableTokensFromCorpus(corpus);
    const total = Object.values(a).reduce((s, v) => s + v, 0);
    const prior = tokenPrior(corpus);
    corpus.domains.forEach((d, j) => expect(a[d] / total).toBeCloseTo(prior.weights[j], 12));
  });

  it("a CSV with domain,tokens columns; bad rows are named errors", () => {
    expect(readTokenCountsCsv("domain,tokens,relative_size\nweb,45_000_000_000,0.1\ncode,1e9,0.2\n")).toEqual({ web: 45e9, code: 1e9 });
    expect(() => readTokenCountsCsv("name,tokens\nweb,1\n")).toThrow(code("TOKENS_CSV_MISSING_COLUMN"));
    expect(() => readTokenCountsCsv("domain,tokens\nweb,1\nweb,2\n")).toThrow(code("TOKENS_CSV_DUPLICATE_DOMAIN"));
    expect(() => readTokenCountsCsv("domain,tokens\nweb,-3\n")).toThrow(code("TOKENS_CSV_BAD_ROW"));
    expect(() => readTokenCountsCsv("domain,tokens\nweb,NaN\n")).toThrow(code("TOKENS_CSV_BAD_ROW"));
  });
});
