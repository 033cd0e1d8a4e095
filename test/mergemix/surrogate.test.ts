import { describe, expect, it } from "vitest";
import { fitSurrogates, searchSimplex, seedAlphas, surrogateCrossValidation } from "../../kernel-lib/mergemix/index.js";
import { createRng } from "../../kernel-lib/util/rng.js";

// A known synthetic "suite": two capabilities with optima at different corners of a 3-simplex,
// their macro-average peaking inside. GBDTs fitted on 40 seeds, then the search on them.
const code = (a: ArrayLike<number>): number => 1 - 2 * ((a[0] - 0.7) ** 2 + (a[1] - 0.1) ** 2 + (a[2] - 0.2) ** 2);
const math = (a: ArrayLike<number>): number => 1 - 2 * ((a[0] - 0.1) ** 2 + (a[1] - 0.5) ** 2 + (a[2] - 0.4) ** 2);
// macro-average optimum: mean of the two targets = (0.4, 0.3, 0.3)

describe("capability surrogates + search", () => {
  const seeds = seedAlphas(3, createRng(1), { count: 40 });
  const rows = seeds.map((a) => ({ code: code(a), math: math(a) }));

  it("GBDTs fitted on 40 seeds rank unseen mixtures well", () => {
    const cv = surrogateCrossValidation(seeds, rows, 5);
    expect(cv.code).toBeGreaterThan(0.7);
    expect(cv.math).toBeGreaterThan(0.7);
    expect(cv.utility).toBeGreaterThan(0.6);
  });

  it("searching the surrogate utility lands near the true optimum (0.4, 0.3, 0.3), true utility 0.72", () => {
    const s = fitSurrogates(seeds, rows);
    const truth = (a: ArrayLike<number>): number => (code(a) + math(a)) / 2;
    const r = searchSimplex((a) => s.utility(a), 3, createRng(2), { samples: 3000 });
    const dist = Math.hypot(r.alpha[0] - 0.4, r.alpha[1] - 0.3, r.alpha[2] - 0.3);
    expect(dist).toBeLessThan(0.2);
    expect(truth(r.alpha)).toBeGreaterThan(0.72 - 0.05);
    // one capability alone: the search moves toward that capability's corner
    const rc = searchSimplex((a) => s.utility(a, "code"), 3, createRng(3), { samples: 3000 });
    expect(rc.alpha[0]).toBeGreaterThan(0.5);
    expect(() => s.utility(r.alpha, "nope")).toThrow(/no capability/);
  });

  it("predicts each capability separately", () => {
    const s = fitSurrogates(seeds, rows);
    const p = s.predict([0.7, 0.1, 0.2]);
    expect(Object.keys(p)).toEqual(["code", "math"]);
    expect(p.code).toBeGreaterThan(p.math);
  });
});
