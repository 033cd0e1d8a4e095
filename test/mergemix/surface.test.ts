import { describe, expect, it } from "vitest";
import { fitSurrogates, searchSurface, seedAlphas, simplexSlice, surfaceTernary } from "../../kernel-lib/mergemix/index.js";
import { createRng } from "../../kernel-lib/util/rng.js";

// seed merges over 4 experts whose two capabilities are known functions of α:
// "code" rises with α[0], "math" with α[2] — the surrogate surface has to show both
const alphas = seedAlphas(4, createRng(7), { count: 80 }).map((a) => Array.from(a));
const seeds = alphas.map((alpha) => ({ alpha, valNats: 1, scores: { code: alpha[0], math: alpha[2], utility: (alpha[0] + alpha[2]) / 2 } }));
const view = { groups: ["code", "prose", "math", "web"], alphaStar: [0.4, 0.05, 0.35, 0.2], seeds, capabilities: ["code", "math"] };

describe("searchSurface: the surrogate over the slice of the simplex through α*", () => {
  it("spans α*'s three largest experts; every point plus α*'s rest is a mixture", () => {
    const s = searchSurface(view, { steps: 10 });
    expect(s.labels).toEqual(["code", "math", "web"]);
    expect(s.rest).toBeCloseTo(0.05, 12);
    expect(s.alphaStar).toEqual([0.4, 0.35, 0.2]);
    expect(s.points).toHaveLength(66);
    for (const p of s.points) expect(p[0] + p[1] + p[2] + s.rest).toBeCloseTo(1, 12);
  });

  it("its values are the refitted surrogate's utility at the full α of each point", () => {
    const s = searchSurface(view, { steps: 10 });
    const f = fitSurrogates(alphas, seeds.map((x) => ({ code: x.scores.code, math: x.scores.math })));
    const full = simplexSlice(view.alphaStar, [0, 2, 3], 10);
    full.forEach((a, i) => expect(s.values[i]).toBe(f.utility(a)));
    // the web corner (α = rest on prose, the rest on web) predicts less than the code–math edge
    const corner = (j: number) => s.values[s.points.findIndex((p) => p[j] > 0.9)];
    expect(corner(2)).toBeLessThan(corner(0));
    expect(corner(2)).toBeLessThan(corner(1));
  });

  it("one capability's surface follows that capability", () => {
    const s = searchSurface(view, { steps: 10, capability: "code" });
    const codeCorner = s.values[s.points.findIndex((p) => p[0] > 0.9)];
    const mathCorner = s.values[s.points.findIndex((p) => p[1] > 0.9)];
    expect(codeCorner).toBeGreaterThan(mathCorner + 0.3);
    expect(surfaceTernary(s, "toy").data).toHaveLength(2);
  });

  it("names what it cannot plot", () => {
    expect(() => searchSurface({ ...view, groups: ["a", "b"], alphaStar: [0.5, 0.5] })).toThrow(/at least three groups/);
    expect(() => searchSurface(view, { groups: ["code", "math", "nope"] })).toThrow(/unknown group "nope"/);
  });
});
