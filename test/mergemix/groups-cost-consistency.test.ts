import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/index.js";
import { alphaToMixture, groupMixture, mergeMixCost, mixtureTrainingCost, rankConsistency, rankShifts, resolveGroups, splitHalfReliability, suiteTokens, type ConsistencyPoint } from "../../kernel-lib/mergemix/index.js";
import { DEFAULT_EXPERT_GROUPS } from "../../kernel-lib/mergemix/groups.js";
import { flopsPerToken, paramCount, presetConfig } from "../../kernel-lib/model/index.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const corpus = loadCorpus(fixtureCorpusDir());

describe("expert groups and merge weights as data mixtures", () => {
  it("cover the fixture's 13 domains with the 4 default groups, each domain once", () => {
    const g = resolveGroups(corpus.domains, DEFAULT_EXPERT_GROUPS);
    expect(Object.keys(g)).toEqual(["code", "math", "prose", "reference"]);
    expect(Object.values(g).flat().sort()).toEqual([...corpus.domains].sort());
  });

  it("drops domains the corpus lacks, and rejects empty groups and a domain in two groups", () => {
    expect(resolveGroups(["books", "math"], { a: ["books", "nope"], b: ["math"] })).toEqual({ a: ["books"], b: ["math"] });
    expect(() => resolveGroups(["books"], { a: ["books"], b: ["math"] })).toThrow(/none of the corpus/);
    expect(() => resolveGroups(["books", "math"], { a: ["books"], b: ["books", "math"] })).toThrow(/two|groups "a" and "b"/);
    expect(() => resolveGroups(["books"], { a: ["books", "nope"] }, true)).toThrow(/unknown domain/);
  });

  it("a group's mixture is its domains at token-prior proportions", () => {
    const m = groupMixture(corpus, ["math", "math_docs"]);
    const a = corpus.info("math").bytes.train, b = corpus.info("math_docs").bytes.train;
    expect(m.get("math")).toBeCloseTo(a / (a + b), 12);
    expect(m.get("books")).toBe(0);
  });

  it("α maps linearly to Σ α_g · group mixture; a vertex gives that group's mixture", () => {
    const groups = resolveGroups(corpus.domains, DEFAULT_EXPERT_GROUPS);
    const names = Object.keys(groups);
    const v = alphaToMixture(corpus, groups, [0, 1, 0, 0]);
    expect(Array.from(v.weights)).toEqual(Array.from(groupMixture(corpus, groups[names[1]]).weights));
    const a = [0.1, 0.2, 0.3, 0.4];
    const m = alphaToMixture(corpus, groups, a);
    for (const d of corpus.domains) {
      const expected = names.reduce((s, g, k) => s + a[k] * groupMixture(corpus, groups[g]).get(d), 0);
      expect(m.get(d)).toBeCloseTo(expected, 12);
    }
    expect(() => alphaToMixture(corpus, groups, [0.5, 0.5])).toThrow(/groups/);
  });
});

describe("cost accounting", () => {
  it("counts training at flopsPerToken, scoring at a third of it, and sums the rows", () => {
    const config = presetConfig("tiny");
    const f = flopsPerToken(config, 64);
    const rows = mergeMixCost({ config, seqLen: 64, baseTokens: 1000, expertTokens: 100, experts: 4, evaluations: 41, tokensPerEvaluation: 30 });
    expect(rows.map((r) => r.item)).toEqual(["base model (training)", "experts (continued training)", "merges (Σ αₖθₖ)", "suite evaluations (forward)", "MergeMix total"]);
    expect(rows[0].flops).toBe(1000 * f);
    expect(rows[1].tokens).toBe(400);
    expect(rows[1].flops).toBe(400 * f);
    expect(rows[2].flops).toBe(41 * 2 * 4 * paramCount(config));
    expect(rows[3].tokens).toBe(41 * 30);
    expect(rows[3].flops).toBeCloseTo((41 * 30 * f) / 3, 6);
    expect(rows[4].tokens).toBe(1000 + 400 + 41 * 30);
    expect(rows[4].flops).toBeCloseTo(rows.slice(0, 4).reduce((a, r) => a + r.flops, 0), 3);
    const direct = mixtureTrainingCost(config, 64, 40, 100, 30, 1000);
    expect(direct[direct.length - 1].tokens).toBe(1000 + 40 * 100 + 40 * 30);
  });

  it("a suite evaluation scores every choice with its context", () => {
    const b = (n: number): Uint8Array => new Uint8Array(n);
    const tasks = [{ name: "t", kind: "next_segment" as const, domain: "books", numChoices: 2, chance: 0.5, items: [{ id: "t:0", context: b(10), choices: [b(3), b(5)], answer: 0 }] }];
    expect(suiteTokens(tasks)).toBe(10 + 3 + 10 + 5);
  });
});

describe("rank consistency statistics", () => {
  const pt = (label: string, m: number, t: number): ConsistencyPoint => ({ label, alpha: [], merged: { u: m }, trained: { u: t } });

  it("ρ = 1 for the same order, −1 for the reverse, with spreads reported", () => {
    const same = [pt("a", 1, 10), pt("b", 2, 20), pt("c", 3, 35)];
    expect(rankConsistency(same, ["u"])[0]).toMatchObject({ metric: "u", n: 3, spearman: 1, trainedRange: 25, mergedRange: 2 });
    const rev = [pt("a", 1, 3), pt("b", 2, 2), pt("c", 3, 1)];
    expect(rankConsistency(rev, ["u"])[0].spearman).toBeCloseTo(-1, 12);
  });

  it("lists the mixtures whose ranks moved most first", () => {
    const pts = [pt("a", 1, 1), pt("b", 2, 4), pt("c", 3, 2), pt("d", 4, 3)];
    const s = rankShifts(pts, "u");
    expect(s[0]).toEqual({ label: "b", mergedRank: 2, trainedRank: 4, shift: -2 });
    expect(s.find((x) => x.label === "a")!.shift).toBe(0);
  });

  it("split-half reliability is 1 when both halves rank alike and low when they disagree (Spearman–Brown)", () => {
    const mk = (h0: number[], h1: number[]): ConsistencyPoint[] => h0.map((v, i) => ({ label: `${i}`, alpha: [], merged: { utility_half0: v, utility_half1: h1[i] }, trained: { utility_half0: v, utility_half1: h1[i] } }));
    expect(splitHalfReliability(mk([1, 2, 3, 4], [10, 20, 30, 40]), "trained")).toBeCloseTo(1, 12);
    // ρ_half = 1 − 6·Σd²/(n(n²−1)) = 1 − 6·8/120 = 0.6 → 2·0.6/1.6 = 0.75
    const pts = mk([1, 2, 3, 4, 5], [2, 1, 4, 5, 3]);
    expect(splitHalfReliability(pts, "merged")).toBeCloseTo(0.75, 12);
    // halves that disagree: the raw (negative) ρ, not a stepped-up value below −1
    expect(splitHalfReliability(mk([1, 2, 3, 4], [4, 3, 2, 1]), "trained")).toBeCloseTo(-1, 12);
  });

  it("rejects too few mixtures and missing metrics by name", () => {
    expect(() => rankConsistency([pt("a", 1, 1), pt("b", 2, 2)], ["u"])).toThrow(/≥ 3/);
    expect(() => rankConsistency([pt("a", 1, 1), pt("b", 2, 2), pt("c", 3, 3)], ["v"])).toThrow(/"v"/);
  });
});
