import { describe, expect, it } from "vitest";
import { searchSimplex } from "../../kernel-lib/mergemix/search.js";
import { seedAlphas, simplexGrid } from "../../kernel-lib/mergemix/seeds.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);

describe("seed merge weights", () => {
  it("the grid has C(steps+k-1, k-1) points on the simplex, vertices first", () => {
    const g = simplexGrid(4, 2);
    expect(g.length).toBe(10);
    for (const p of g) expect(sum(p)).toBeCloseTo(1, 12);
    expect(g.slice(0, 4).map((p) => Array.from(p))).toEqual([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
    expect(simplexGrid(3, 10).length).toBe(66);
    expect(new Set(simplexGrid(3, 10).map((p) => p.join())).size).toBe(66);
  });

  it("gives N = 40 distinct seeds: the coarse grid, then Dirichlet draws, deterministic by seed", () => {
    const s = seedAlphas(4, createRng(5));
    expect(s.length).toBe(40);
    for (const a of s) {
      expect(sum(a)).toBeCloseTo(1, 12);
      for (const v of a) expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(s.slice(0, 10).map((a) => a.join())).toEqual(simplexGrid(4, 2).map((a) => a.join()));
    expect(new Set(s.map((a) => a.join())).size).toBe(40);
    expect(seedAlphas(4, createRng(5)).map((a) => a.join())).toEqual(s.map((a) => a.join()));
    expect(seedAlphas(4, createRng(6)).slice(10).map((a) => a.join())).not.toEqual(s.slice(10).map((a) => a.join()));
  });
});

describe("simplex search", () => {
  it("finds the interior optimum of a known concave utility", () => {
    const target = [0.1, 0.45, 0.3, 0.15];
    const f = (a: Float64Array): number => -a.reduce((s, v, i) => s + (i + 1) * (v - target[i]) ** 2, 0);
    const r = searchSimplex(f, 4, createRng(1), { samples: 2000 });
    for (let i = 0; i < 4; i++) expect(r.alpha[i]).toBeCloseTo(target[i], 3);
    expect(sum(r.alpha)).toBeCloseTo(1, 12);
  });

  it("finds an optimum on a face of the simplex (constrained maximum)", () => {
    // unconstrained maximum at (0.8, 0.5, -0.3): outside; the constrained one is (0.65, 0.35, 0)
    const c = [0.8, 0.5, -0.3];
    const f = (a: Float64Array): number => -a.reduce((s, v, i) => s + (v - c[i]) ** 2, 0);
    const r = searchSimplex(f, 3, createRng(2), { samples: 2000 });
    expect(r.alpha[0]).toBeCloseTo(0.65, 3);
    expect(r.alpha[1]).toBeCloseTo(0.35, 3);
    expect(r.alpha[2]).toBeCloseTo(0, 3);
  });

  it("finds the best cell of a piecewise-constant utility (as a tree ensemble gives)", () => {
    // value 1 only in a small box around (0.2, 0.2, 0.6); 0 elsewhere, a small slope to break ties
    const f = (a: Float64Array): number => (Math.abs(a[0] - 0.2) < 0.03 && Math.abs(a[1] - 0.2) < 0.03 ? 1 : 0) - 1e-3 * a[0];
    const r = searchSimplex(f, 3, createRng(3), { samples: 5000 });
    expect(r.value).toBeGreaterThan(0.99);
    expect(Math.abs(r.alpha[0] - 0.2)).toBeLessThan(0.03);
    expect(Math.abs(r.alpha[1] - 0.2)).toBeLessThan(0.03);
  });

  it("returns a vertex when one expert is best everywhere (linear utility)", () => {
    const r = searchSimplex((a) => 0.1 * a[0] + 0.7 * a[1] + 0.3 * a[2] + 0.2 * a[3], 4, createRng(4), { samples: 500 });
    expect(Array.from(r.alpha)).toEqual([0, 1, 0, 0]);
    expect(r.value).toBeCloseTo(0.7, 12);
  });

  it("rejects a NaN utility by name", () => {
    expect(() => searchSimplex(() => NaN, 3, createRng(1), { samples: 10 })).toThrow(/NaN/);
  });
});
