import { describe, expect, it } from "vitest";
import { fitLinear, linearFromJSON } from "../../kernel-lib/regression/linear.js";
import { spearman } from "../../kernel-lib/regression/metrics.js";
import { createRng } from "../../kernel-lib/util/rng.js";
import { headSplit, loadJson } from "./regmix-data.js";

describe("fitLinear", () => {
  it("recovers exact predictions on a collinear design (simplex rows + intercept)", () => {
    // Rows on the simplex: the intercept column equals the sum of the features (rank d, not d+1).
    const rng = createRng(7);
    const d = 5;
    const truth = Float64Array.of(2, -1, 0.5, 3, 1);
    const f = (w: Float64Array) => 4 + w.reduce((s, v, j) => s + v * truth[j], 0);
    const X = Array.from({ length: 40 }, () => rng.dirichlet(new Array(d).fill(1)));
    const y = Float64Array.from(X, f);
    const m = fitLinear(X, y);
    expect(m.rank).toBe(d - 1); // centred design loses the sum-to-one direction
    for (const c of m.coef) expect(Number.isFinite(c)).toBe(true);
    const Xt = Array.from({ length: 20 }, () => rng.dirichlet(new Array(d).fill(0.5)));
    const p = m.predict(Xt);
    Xt.forEach((w, i) => expect(p[i]).toBeCloseTo(f(w), 10));
    // Flat row-major input gives the same numbers.
    const flat = new Float64Array(Xt.length * d);
    Xt.forEach((w, i) => flat.set(w, i * d));
    expect(Array.from(m.predict(flat))).toEqual(Array.from(p));
  });

  it("satisfies the normal equations on a full-rank design", () => {
    const rng = createRng(3);
    const X = Array.from({ length: 30 }, () => Float64Array.from({ length: 3 }, () => rng.normal()));
    const y = Float64Array.from(X, (r, i) => 1 + 2 * r[0] - r[2] + 0.1 * Math.sin(i));
    const m = fitLinear(X, y);
    expect(m.rank).toBe(3);
    const res = X.map((r, i) => y[i] - m.predictOne(r));
    expect(Math.abs(res.reduce((a, b) => a + b, 0))).toBeLessThan(1e-10);
    for (let j = 0; j < 3; j++) expect(Math.abs(res.reduce((s, e, i) => s + e * X[i][j], 0))).toBeLessThan(1e-10);
  });

  it("matches scikit-learn LinearRegression on the RegMix 1M data", () => {
    const ref = loadJson<{ spearman_x100: Record<string, number>; pile_cc: { first_three_test_predictions: number[] } }>("sklearn_linear_reference.json");
    const { X, Xt, y, yt } = headSplit();
    for (const [domain, rho] of Object.entries(ref.spearman_x100)) {
      const m = fitLinear(X, y(domain));
      expect(Math.abs(100 * spearman(m.predict(Xt), yt(domain)) - rho)).toBeLessThan(0.01);
    }
    const pile = fitLinear(X, y("pile_cc")).predict(Xt.slice(0, 3));
    ref.pile_cc.first_three_test_predictions.forEach((v, i) => expect(pile[i]).toBeCloseTo(v, 6));
  });

  it("round-trips through JSON", () => {
    const X = [Float64Array.of(0, 1), Float64Array.of(1, 0), Float64Array.of(0.5, 0.5)];
    const m = fitLinear(X, Float64Array.of(1, 3, 2));
    expect(m.predictOne([0.25, 0.75])).toBeCloseTo(1.5, 12);
    const m2 = linearFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(m2.predictOne([0.25, 0.75])).toBe(m.predictOne([0.25, 0.75]));
  });

  it("rejects bad input with MixlabError", () => {
    expect(() => fitLinear([Float64Array.of(1, NaN)], [1])).toThrow(expect.objectContaining({ code: "DESIGN_NOT_FINITE" }));
    expect(() => fitLinear([Float64Array.of(1), Float64Array.of(1, 2)], [1, 2])).toThrow(expect.objectContaining({ code: "DESIGN_SHAPE" }));
    expect(() => fitLinear([], [])).toThrow(expect.objectContaining({ code: "DESIGN_EMPTY" }));
  });
});
