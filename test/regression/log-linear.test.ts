/**
 * The log-linear mixing law ŷ = exp(c) + exp(t·x) and its Huber fit: the loss, gradient and
 * Hessian at a hand-computed point (one row in each Huber regime), the derivatives against
 * finite differences on sparse swarm-like rows, recovery of known parameters, robustness to an
 * outlier (what the Huber loss is for), determinism, and the one regressor interface.
 */
import { describe, expect, it } from "vitest";
import { fitLogLinear, huberLossAndGradient, logLinearFromJSON, LOG_LINEAR_DEFAULTS } from "../../kernel-lib/regression/log-linear.js";
import { choleskyInPlace, choleskySolve, minimiseNewton } from "../../kernel-lib/regression/newton.js";
import { fitRegressor, parseRegressionKind, regressorFromJSON, REGRESSION_KINDS } from "../../kernel-lib/regression/regressor.js";
import { createRng } from "../../kernel-lib/util/rng.js";

describe("huberLossAndGradient (δ = 0.02)", () => {
  it("matches a hand computation with one quadratic-regime and one linear-regime row", () => {
    // params c = 0, t = (1, −1); rows x1 = (1, 0), x2 = (0.5, 0.5); y = (3.73, 1.9)
    const X = Float64Array.of(1, 0, 0.5, 0.5);
    const y = Float64Array.of(3.73, 1.9);
    const g = new Float64Array(3), H = new Float64Array(9);
    const loss = huberLossAndGradient(Float64Array.of(0, 1, -1), X, y, 0.02, g, H);
    const e = Math.E;
    // row 1: ŷ = 1 + e, r1 = 3.73 − 1 − e ≈ 0.01172 (< δ: r²/2, ψ = r1, ψ' = 1)
    // row 2: ŷ = 1 + e⁰ = 2, r2 = −0.1 (≥ δ: δ(|r| − δ/2) = 0.0018, ψ = −δ, ψ' = 0)
    const r1 = 3.73 - 1 - e;
    expect(r1).toBeGreaterThan(0);
    expect(r1).toBeLessThan(0.02);
    expect(loss).toBeCloseTo(0.5 * r1 * r1 + 0.02 * (0.1 - 0.01), 15);
    // ∂c = −Σ ψ e^c; ∂t = −Σ ψ e_i x_i
    expect(g[0]).toBeCloseTo(-(r1 - 0.02), 14);
    expect(g[1]).toBeCloseTo(-(r1 * e * 1 + -0.02 * 1 * 0.5), 14);
    expect(g[2]).toBeCloseTo(-(r1 * e * 0 + -0.02 * 1 * 0.5), 14);
    // ∂²c² = Σ ψ' e^{2c} − ψ e^c; ∂c∂t = Σ ψ' e^c e_i x_i; ∂²t = Σ (ψ' e_i − ψ) e_i x_i x_iᵀ
    const hand = [
      [1 - r1 + 0.02, e, 0],
      [e, (e - r1) * e + 0.02 * 0.25, 0.02 * 0.25],
      [0, 0.02 * 0.25, 0.02 * 0.25],
    ];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(H[a * 3 + b]).toBeCloseTo(hand[a][b], 13);
  });

  it("gradient and Hessian agree with central differences on sparse rows", () => {
    const rng = createRng(5);
    const n = 40, d = 6;
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      // 1–3 non-zero domains per row, like a swarm
      const k = 1 + rng.int(3);
      const w = rng.dirichlet(new Array(k).fill(1));
      for (let m = 0; m < k; m++) X[i * d + rng.int(d)] += w[m];
    }
    const y = Float64Array.from({ length: n }, () => 1 + rng.next());
    const p = Float64Array.from({ length: d + 1 }, () => rng.normal() * 0.3);
    const g = new Float64Array(d + 1), H = new Float64Array((d + 1) ** 2);
    huberLossAndGradient(p, X, y, 0.02, g, H);
    const h = 1e-6;
    const gp = new Float64Array(d + 1), gm = new Float64Array(d + 1), scratch = new Float64Array(d + 1);
    for (let a = 0; a <= d; a++) {
      const pp = Float64Array.from(p), pm = Float64Array.from(p);
      pp[a] += h; pm[a] -= h;
      const fd = (huberLossAndGradient(pp, X, y, 0.02, scratch) - huberLossAndGradient(pm, X, y, 0.02, scratch)) / (2 * h);
      expect(g[a]).toBeCloseTo(fd, 6);
      huberLossAndGradient(pp, X, y, 0.02, gp);
      huberLossAndGradient(pm, X, y, 0.02, gm);
      for (let b = 0; b <= d; b++) expect(H[b * (d + 1) + a]).toBeCloseTo((gp[b] - gm[b]) / (2 * h), 4);
    }
  });
});

describe("minimiseNewton and the Cholesky helpers", () => {
  it("solves a 2×2 system by hand: [[4,2],[2,3]] x = [2,1] → x = [0.5, 0]", () => {
    const A = Float64Array.of(4, 2, 2, 3);
    expect(choleskyInPlace(A, 2)).toBe(true);
    const b = Float64Array.of(2, 1);
    choleskySolve(A, 2, b);
    expect(b[0]).toBeCloseTo(0.5, 15);
    expect(b[1]).toBeCloseTo(0, 15);
    expect(choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toBe(false); // indefinite
  });

  it("finds the minimum of Rosenbrock's function from (−1.2, 1)", () => {
    const r = minimiseNewton((x, g, H) => {
      const [a, b] = [x[0], x[1]];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      H[0] = 2 - 400 * (b - a * a) + 800 * a * a; H[1] = -400 * a; H[2] = -400 * a; H[3] = 200;
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    }, Float64Array.of(-1.2, 1));
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
    expect(r.iterations).toBeLessThan(100);
  });
});

/** Noise-free data from a known law over sparse-ish mixtures of d domains. */
function synthetic(n: number, truth: number[], seed: number): { X: Float64Array; y: Float64Array } {
  const d = truth.length - 1;
  const rng = createRng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) X.set(rng.dirichlet(new Array(d).fill(0.7)), i * d);
  const y = Float64Array.from({ length: n }, (_, i) => {
    let z = 0;
    for (let j = 0; j < d; j++) z += truth[j + 1] * X[i * d + j];
    return Math.exp(truth[0]) + Math.exp(z);
  });
  return { X, y };
}

describe("fitLogLinear", () => {
  const truth = [-1, 0.5, -0.3, 0.2, 0.1];

  it("recovers the parameters of noise-free data", () => {
    const { X, y } = synthetic(60, truth, 1);
    const m = fitLogLinear(X, y, { startsPerC: 2 });
    expect(m.logC).toBeCloseTo(truth[0], 6);
    for (let j = 0; j < 4; j++) expect(m.t[j]).toBeCloseTo(truth[j + 1], 6);
    expect(m.trainLoss).toBeLessThan(1e-20);
    expect(m.fit.starts).toBe(20);
  });

  it("is robust to one gross outlier (Huber), where least squares is pulled", () => {
    const { X, y } = synthetic(60, truth, 2);
    const yBad = Float64Array.from(y);
    yBad[7] += 5;
    const huber = fitLogLinear(X, yBad, { startsPerC: 2 });
    // the outlier moves the Huber fit by little (its pull is bounded by δ); δ = 1e3 makes the
    // loss quadratic (least squares), which the outlier drags far off the clean rows
    const ls = fitLogLinear(X, yBad, { startsPerC: 2, delta: 1e3 });
    const worst = (m: typeof huber) => Math.max(...Array.from(m.predict(X), (p, i) => (i === 7 ? 0 : Math.abs(p - y[i]))));
    expect(worst(huber)).toBeLessThan(5e-3);
    expect(worst(ls)).toBeGreaterThan(10 * worst(huber));
  });

  it("is deterministic, uses Olmix's 10 × 30 starts by default, and round-trips through JSON", () => {
    const { X, y } = synthetic(30, truth, 3);
    const noisy = Float64Array.from(y, (v, i) => v + 0.01 * Math.sin(7 * i));
    const a = fitLogLinear(X, noisy, { startsPerC: 3 });
    const b = fitLogLinear(X, noisy, { startsPerC: 3 });
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(LOG_LINEAR_DEFAULTS.startsPerC * LOG_LINEAR_DEFAULTS.logCGrid.length).toBe(300);
    expect(LOG_LINEAR_DEFAULTS.logCGrid[0]).toBe(-2);
    expect(LOG_LINEAR_DEFAULTS.logCGrid[9]).toBe(1.5);
    const back = logLinearFromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(back.predict(X))).toEqual(Array.from(a.predict(X)));
    expect(a.predictOne(X.subarray(0, 4))).toBe(a.predict(X)[0]);
  });

  it("rejects bad options and data with named errors", () => {
    const { X, y } = synthetic(10, truth, 4);
    expect(() => fitLogLinear(X, y, { delta: 0 })).toThrow(expect.objectContaining({ code: "LOG_LINEAR_BAD_OPTION" }));
    expect(() => fitLogLinear(X, y, { startsPerC: 0 })).toThrow(expect.objectContaining({ code: "LOG_LINEAR_BAD_OPTION" }));
    const yNaN = Float64Array.from(y); yNaN[3] = NaN;
    expect(() => fitLogLinear(X, yNaN)).toThrow(expect.objectContaining({ code: "DESIGN_NOT_FINITE" }));
  });
});

describe("fitRegressor: one interface over log-linear, GBDT and OLS", () => {
  it("fits each kind, predicts flat matrices and round-trips through JSON", () => {
    const { X, y } = synthetic(80, [-1, 0.5, -0.3, 0.2, 0.1], 6);
    for (const kind of REGRESSION_KINDS) {
      const m = fitRegressor(kind, X, y, { logLinear: { startsPerC: 1 }, gbdt: { numRounds: 50, minDataInLeaf: 5 } });
      expect(m.kind).toBe(kind);
      const p = m.predict(X);
      expect(p.length).toBe(80);
      const back = regressorFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
      expect(Array.from(back.predict(X))).toEqual(Array.from(p));
    }
    expect(() => parseRegressionKind("lightgbm")).toThrow(expect.objectContaining({ code: "REGRESSION_UNKNOWN_KIND" }));
  });
});
