import { describe, expect, it } from "vitest";
import { createRng, deriveSeed } from "../../kernel-lib/util/rng.js";

function meanVar(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return [m, v];
}

describe("rng", () => {
  it("is deterministic by seed and differs across seeds", () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
  });

  it("uniform draws have mean 1/2 and variance 1/12", () => {
    const r = createRng(1);
    const [m, v] = meanVar(Array.from({ length: 100_000 }, () => r.next()));
    expect(m).toBeCloseTo(0.5, 2);
    expect(v).toBeCloseTo(1 / 12, 3);
  });

  it("normal draws have mean 0 and variance 1", () => {
    const r = createRng(2);
    const [m, v] = meanVar(Array.from({ length: 100_000 }, () => r.normal()));
    expect(Math.abs(m)).toBeLessThan(0.015);
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
  });

  // Gamma(k, 1) has mean k and variance k; check both regimes of Marsaglia–Tsang (k < 1 boost).
  for (const shape of [0.1, 0.5, 1, 2.5, 15]) {
    it(`gamma(${shape}) has mean ${shape} and variance ${shape}`, () => {
      const r = createRng(100 + shape);
      const [m, v] = meanVar(Array.from({ length: 100_000 }, () => r.gamma(shape)));
      // standard error of the mean is sqrt(k/n); allow 5 SE. Variance estimate: allow 6%.
      expect(Math.abs(m - shape)).toBeLessThan(5 * Math.sqrt(shape / 100_000));
      expect(Math.abs(v / shape - 1)).toBeLessThan(0.06);
    });
  }

  it("dirichlet draws lie on the simplex with mean alpha/sum(alpha)", () => {
    const r = createRng(3);
    const alpha = [0.2, 1, 3, 0];
    const n = 50_000;
    const mean = new Float64Array(4);
    for (let i = 0; i < n; i++) {
      const x = r.dirichlet(alpha);
      const s = x.reduce((a, b) => a + b, 0);
      expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      expect(x[3]).toBe(0);
      x.forEach((v, j) => { mean[j] += v / n; });
    }
    const tot = 4.2;
    alpha.forEach((a, j) => expect(mean[j]).toBeCloseTo(a / tot, 2));
  });

  it("int(n) covers [0, n) uniformly", () => {
    const r = createRng(4);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
    // chi-square with 9 dof; 99.9% quantile ≈ 27.9
    const chi = counts.reduce((a, c) => a + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi).toBeLessThan(27.9);
  });

  it("fork and deriveSeed do not depend on draw order", () => {
    const a = createRng(5), b = createRng(5);
    b.next(); b.next();
    expect(a.fork("run-1").next()).toBe(b.fork("run-1").next());
    expect(deriveSeed(5, "x")).toBe(deriveSeed(5, "x"));
    expect(deriveSeed(5, "x")).not.toBe(deriveSeed(5, "y"));
  });

  it("rejects bad parameters", () => {
    const r = createRng(6);
    expect(() => r.gamma(0)).toThrow(/shape/);
    expect(() => r.dirichlet([NaN, 1])).toThrow(/alpha/);
    expect(() => createRng(NaN)).toThrow(/seed/);
  });
});
