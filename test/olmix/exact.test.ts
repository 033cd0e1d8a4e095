/**
 * Olmix's exact proposer: min Σ w_i exp(a_i·x) + λ KL(x‖q) on the simplex under bounds. The
 * answer is checked, not trusted: the Karush–Kuhn–Tucker conditions recomputed here from the
 * laws (stationarity with one multiplier for Σx = 1, signs of the bound multipliers where a
 * bound is active), every constraint, hand-solvable cases (a flat loss gives the KL projection
 * of the prior; two domains by bisection), no feasible point beating it, and the token caps of
 * Olmix's DCLM swarm never exceeded by either proposer. Also the barrier solver on a Euclidean
 * projection with a known answer.
 */
import { describe, expect, it } from "vitest";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { boundsViolations, expandFree, freeSpace, resolveMixtureBounds, type MixtureBounds } from "../../kernel-lib/data/mixture-bounds.js";
import { proposeExact } from "../../kernel-lib/olmix/exact.js";
import { loadOlmixDclmSwarm } from "../../kernel-lib/olmix/released.js";
import { minimiseOnCappedSimplex } from "../../kernel-lib/olmix/simplex-barrier.js";
import { fitLogLinear, logLinearFromJSON, type LogLinearModel } from "../../kernel-lib/regression/log-linear.js";
import { objectivePredictor, objectiveWeights } from "../../kernel-lib/regression/objective.js";
import { fitRegressor } from "../../kernel-lib/regression/regressor.js";
import { familyTargets } from "../../kernel-lib/regression/swarm.js";
import { capProportionally, simulateWithBounds } from "../../kernel-lib/regmix/simulate-bounds.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const law = (logC: number, t: number[]): LogLinearModel => logLinearFromJSON({ format: "mixlab-log-linear", version: 1, logC, t, delta: 0.02, trainLoss: 0 });

/** F(x) = Σ w_i exp(a_i·x) + λ Σ x log(x/q), and its gradient. */
function objective(laws: readonly LogLinearModel[], w: ArrayLike<number>, q: ArrayLike<number>, lam: number, x: ArrayLike<number>): { f: number; g: number[] } {
  const d = x.length;
  const g = new Array<number>(d).fill(0);
  let f = 0;
  laws.forEach((m, i) => {
    let z = 0;
    for (let j = 0; j < d; j++) z += m.t[j] * x[j];
    const e = w[i] * Math.exp(z);
    f += e;
    for (let j = 0; j < d; j++) g[j] += e * m.t[j];
  });
  for (let j = 0; j < d; j++) {
    if (x[j] > 0) f += lam * x[j] * Math.log(x[j] / q[j]);
    g[j] += lam * (Math.log(x[j] / q[j]) + 1);
  }
  return { f, g };
}

/**
 * The KKT conditions at x, recomputed from the laws: with ν = −mean of g over the searched
 * domains strictly inside their bounds, g_j + ν = 0 inside, ≥ 0 at a lower bound, ≤ 0 at an
 * upper bound (the multipliers' signs). Returns the worst violation, scaled by max |g|.
 */
function kktResidual(laws: readonly LogLinearModel[], w: ArrayLike<number>, q: ArrayLike<number>, lam: number, b: MixtureBounds, x: ArrayLike<number>): { worst: number; active: number } {
  const { g } = objective(laws, w, q, lam, x);
  const searched = [...Array(x.length).keys()].filter((j) => !b.pinned[j] && b.hi[j] - b.lo[j] > 1e-15);
  const at = (j: number) => (x[j] - b.lo[j] <= 1e-8 ? "lo" : b.hi[j] - x[j] <= 1e-8 ? "hi" : "in");
  const inside = searched.filter((j) => at(j) === "in");
  expect(inside.length).toBeGreaterThan(0);
  const nu = -inside.reduce((s, j) => s + g[j], 0) / inside.length;
  const scale = Math.max(1e-300, ...searched.map((j) => Math.abs(g[j])));
  let worst = 0;
  for (const j of searched) {
    const r = g[j] + nu;
    const v = at(j) === "in" ? Math.abs(r) : at(j) === "lo" ? Math.max(0, -r) : Math.max(0, r);
    worst = Math.max(worst, v / scale);
  }
  return { worst, active: searched.length - inside.length };
}

const dclm = loadOlmixDclmSwarm();
const targets = familyTargets(dclm.swarm, dclm.families);
// one start per grid value keeps the test fast; the proposer only needs some log-linear laws
const laws = targets.names.map((n) => fitLogLinear(dclm.swarm.X, targets.values[n], { startsPerC: 1 }));
const w = objectiveWeights(targets.names);
const prior = dclm.prior;
const q = prior.weights;
const domains = prior.domains;

describe("minimiseOnCappedSimplex", () => {
  const sq = (c: number[]) => (x: Float64Array, g: Float64Array, H: Float64Array) => {
    H.fill(0);
    let f = 0;
    c.forEach((cj, j) => { g[j] = 2 * (x[j] - cj); H[j * c.length + j] = 2; f += (x[j] - cj) ** 2; });
    return f;
  };
  it("projects (0.8, 0.6, −0.2) onto the simplex: (0.6, 0.4, 0)", () => {
    const r = minimiseOnCappedSimplex(sq([0.8, 0.6, -0.2]), 1, new Float64Array(3), Float64Array.of(1, 1, 1));
    [0.6, 0.4, 0].forEach((v, j) => expect(r.x[j]).toBeCloseTo(v, 9));
    expect(r.nu).toBeCloseTo(0.4, 8); // g = 2(x − c) = (−0.4, −0.4, 0.4); g + ν = 0 inside
  });
  it("with x0 ≤ 0.5: (0.5, 0.5, 0), upper multiplier 0.4 on x0, lower multiplier 0.6 on x2", () => {
    const r = minimiseOnCappedSimplex(sq([0.8, 0.6, -0.2]), 1, new Float64Array(3), Float64Array.of(0.5, 1, 1));
    [0.5, 0.5, 0].forEach((v, j) => expect(r.x[j]).toBeCloseTo(v, 9));
    // g = 2(x − c) = (−0.6, −0.2, 0.4); g + ν − μ_lo + μ_hi = 0: x1 inside → ν = 0.2,
    // x0 at its cap → μ_hi = 0.4, x2 at 0 → μ_lo = 0.6
    expect(r.nu).toBeCloseTo(0.2, 8);
    expect(r.upper[0]).toBeCloseTo(0.4, 7);
    expect(r.lower[2]).toBeCloseTo(0.6, 7);
    expect(r.x[0]).toBeLessThan(0.5);
  });
});

describe("proposeExact", () => {
  const cases: [string, Parameters<typeof resolveMixtureBounds>[1], number][] = [
    ["no constraints, λ = 0.1", {}, 0.1],
    ["token caps that bind (2e12 target tokens, repetition 1)", { targetTokens: 2e12, repetitionFactor: 1, availableTokens: dclm.availableTokens }, 0.1],
    ["caps + pinned + minimum weights", { targetTokens: 2e12, repetitionFactor: 1, availableTokens: dclm.availableTokens, pinned: { software_development: 0.05 }, minWeights: { health: 0.06, games: 0.04 } }, 0.1],
    ["λ = 0.01 with caps", { targetTokens: 1e12, repetitionFactor: 1, availableTokens: dclm.availableTokens }, 0.01],
  ];
  for (const [name, cons, lam] of cases) {
    it(`satisfies the KKT conditions and every constraint: ${name}`, () => {
      const b = resolveMixtureBounds(domains, cons);
      const p = proposeExact(laws, w, prior, b, { klWeight: lam });
      const x = p.mixture.weights;
      expect(boundsViolations(b, x, 1e-12)).toEqual([]);
      const { worst } = kktResidual(laws, w, q, lam, b, x);
      expect(worst).toBeLessThan(1e-7);
      // the solver's own multipliers have the right signs
      for (let j = 0; j < x.length; j++) { expect(p.kkt.lower[j]).toBeGreaterThanOrEqual(0); expect(p.kkt.upper[j]).toBeGreaterThanOrEqual(0); }
      // no feasible point does better: random feasible mixtures and the simulation's choice
      const F = (v: ArrayLike<number>) => objective(laws, w, q, lam, v).f;
      const fx = F(x);
      const rng = createRng(9);
      const fs = freeSpace(b);
      const caps = Float64Array.from(fs.uUpper, (c) => Math.min(c, 1));
      for (let k = 0; k < 200; k++) {
        // a random feasible point v (Dirichlet over the free domains, mapped onto the caps), and
        // points between x* and v (feasible: the set is convex) — near and far
        const u = capProportionally(rng.dirichlet(new Array(fs.free.length).fill(1)), 1, caps);
        const v = expandFree(fs, u, new Float64Array(x.length), 1);
        expect(boundsViolations(b, v, 1e-12)).toEqual([]);
        for (const theta of [1, 0.1, 1e-3]) {
          const y = Float64Array.from(x, (xj, j) => (1 - theta) * xj + theta * v[j]);
          expect(F(y)).toBeGreaterThanOrEqual(fx - 1e-13);
        }
      }
      const sim = simulateWithBounds(objectivePredictor(laws, w), prior, b, { numCandidates: 20_000, topK: 32, seed: 3 });
      expect(F(sim.mixture.weights)).toBeGreaterThanOrEqual(fx - 1e-12);
      expect(p.objective).toBeCloseTo(p.predicted + lam * p.kl, 12);
    });
  }

  it("a flat loss (t = 0) gives the KL projection of the prior onto the caps, by hand", () => {
    // min KL(x‖q) s.t. x_0 ≤ c: x_0 = c, the rest ∝ q scaled to 1 − c
    const dq = [0.5, 0.3, 0.2];
    const pr = Mixture.fromWeights(["a", "b", "c"], dq);
    const flat = [law(0, [0, 0, 0])];
    expect(Array.from(proposeExact(flat, [1], pr, resolveMixtureBounds(pr.domains), { klWeight: 1 }).mixture.weights).map((v) => +v.toFixed(9))).toEqual(dq);
    const b = resolveMixtureBounds(pr.domains, { targetTokens: 100, repetitionFactor: 1, availableTokens: { a: 20, b: 100, c: 100 } });
    const x = proposeExact(flat, [1], pr, b, { klWeight: 1 }).mixture.weights;
    expect(x[0]).toBeCloseTo(0.2, 9);
    expect(x[1]).toBeCloseTo(0.3 * 0.8 / 0.5, 9);
    expect(x[2]).toBeCloseTo(0.2 * 0.8 / 0.5, 9);
  });

  it("two domains: the same minimiser as a bisection on F'(s) = 0", () => {
    const pr = Mixture.fromWeights(["a", "b"], [0.7, 0.3]);
    const laws2 = [law(-1, [0.9, -0.4]), law(0.2, [-0.3, 0.6])];
    const ww = [0.6, 0.4], lam = 0.05;
    // x = (s, 1 − s): F'(s) = Σ w_i e^{a_i·x}(a_i0 − a_i1) + λ(log(s/q0) − log((1−s)/q1))
    const dF = (s: number) => laws2.reduce((acc, m, i) => acc + ww[i] * Math.exp(m.t[0] * s + m.t[1] * (1 - s)) * (m.t[0] - m.t[1]), 0) + lam * (Math.log(s / 0.7) - Math.log((1 - s) / 0.3));
    let lo = 1e-12, hi = 1 - 1e-12;
    for (let k = 0; k < 200; k++) { const mid = (lo + hi) / 2; if (dF(mid) > 0) hi = mid; else lo = mid; }
    const x = proposeExact(laws2, ww, pr, resolveMixtureBounds(pr.domains), { klWeight: lam }).mixture.weights;
    expect(x[0]).toBeCloseTo((lo + hi) / 2, 9);
  });

  it("needs log-linear laws and matching domains", () => {
    const g = fitRegressor("linear", dclm.swarm.X, targets.values.math);
    expect(() => proposeExact([g as unknown as LogLinearModel], [1], prior, resolveMixtureBounds(domains))).toThrow(expect.objectContaining({ code: "EXACT_NEEDS_LOG_LINEAR" }));
    expect(() => proposeExact(laws, w, prior, resolveMixtureBounds([...domains].reverse()))).toThrow(expect.objectContaining({ code: "EXACT_DOMAIN_MISMATCH" }));
    expect(() => proposeExact(laws, w, prior, resolveMixtureBounds(domains), { klWeight: -1 })).toThrow(expect.objectContaining({ code: "EXACT_BAD_OPTION" }));
  });
});

describe("token budget on Olmix's DCLM swarm", () => {
  it("no proposal with targetTokens puts more tokens on a domain than repetitionFactor × available", () => {
    for (const targetTokens of [1e12, 2e12, 2.7e12]) {
      const cons = { targetTokens, repetitionFactor: 1, availableTokens: dclm.availableTokens };
      const b = resolveMixtureBounds(domains, cons);
      const exact = proposeExact(laws, w, prior, b).mixture;
      const sim = simulateWithBounds(objectivePredictor(laws, w), prior, b, { numCandidates: 20_000, topK: 64, seed: 1 }).mixture;
      for (const m of [exact, sim]) {
        domains.forEach((d, j) => expect(m.weights[j] * targetTokens).toBeLessThanOrEqual(1 * dclm.availableTokens[d]));
      }
    }
    // 2.79e12 tokens are available in all: more at repetition 1 is infeasible, and says so
    expect(() => resolveMixtureBounds(domains, { targetTokens: 3e12, repetitionFactor: 1, availableTokens: dclm.availableTokens })).toThrow(expect.objectContaining({ code: "CONSTRAINTS_CAPS_UNDER_ONE" }));
  });
});
