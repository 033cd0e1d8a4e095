/**
 * Minimise a smooth convex f over the capped simplex { x : Σ x_j = s, lo_j ≤ x_j ≤ hi_j } by the
 * barrier method (Boyd & Vandenberghe, *Convex Optimization*, §11.3, Algorithm 11.1, with the
 * equality-constrained Newton step of §10.2):
 *
 *   for t = t0, μ t0, μ² t0, …   (until m / t ≤ gap)
 *     minimise  t·f(x) − Σ_j log(x_j − lo_j) − Σ_{j: hi_j binding} log(hi_j − x_j)   s.t. Σ x = s
 *     by Newton:  [∇²  1; 1ᵀ 0] [Δx; ν] = [−∇; 0],  backtracking that keeps x strictly inside
 *
 * At the end, x is within a duality gap m/t of the optimum and the multipliers of the
 * Karush–Kuhn–Tucker conditions are read off the barrier (§11.2.2):
 *   ∇f(x) + ν·1 − μ_lo + μ_hi = 0,  μ_lo_j = 1/(t (x_j − lo_j)) ≥ 0,  μ_hi_j = 1/(t (hi_j − x_j)) ≥ 0,
 * with complementary slackness μ·(distance to the bound) = 1/t. Olmix solves its problem with
 * cvxpy + ECOS (`olmix/fit/utils.py` `LogLinearExactProposer.propose`, `prob.solve(solver="ECOS")`),
 * an interior-point method too; this is the same idea written for this one problem shape.
 */
import { MixlabError } from "../util/errors.js";
import { choleskyInPlace, choleskySolve } from "../regression/newton.js";

/** f(x) with its gradient into `g` (k) and Hessian into `H` (k × k row-major); may return a non-finite value outside f's domain. */
export type ConvexObjective = (x: Float64Array, g: Float64Array, H: Float64Array) => number;

export interface BarrierOptions {
  /** initial barrier weight t0 (default 1) */
  t0: number;
  /** factor μ by which t grows each outer step (default 10) */
  mu: number;
  /** stop when the duality gap m/t ≤ gap (default 1e-11) */
  gap: number;
  /** Newton steps per centring at most (default 100) */
  maxNewton: number;
}

export const BARRIER_DEFAULTS: Readonly<BarrierOptions> = Object.freeze({ t0: 1, mu: 10, gap: 1e-11, maxNewton: 100 });

export interface BarrierResult {
  x: Float64Array;
  f: number;
  /** multiplier of Σ x = s, and of each lower / upper bound (0 where the bound is not binding) */
  nu: number;
  lower: Float64Array;
  upper: Float64Array;
  /** duality gap bound m/t at the end */
  gap: number;
  outerSteps: number;
  newtonSteps: number;
}

/**
 * Minimise `f` over { Σ x = s, lo ≤ x ≤ hi } (k variables). `lo < hi` for every j and
 * Σ lo < s < Σ min(hi, s) strictly (the caller removes fixed coordinates first).
 *
 * @example
 * // min Σ (x_j − c_j)² on the simplex: the Euclidean projection of c
 * const c = [0.8, 0.6, -0.2];
 * const r = minimiseOnCappedSimplex((x, g, H) => { H.fill(0); let f = 0; for (let j = 0; j < 3; j++) { g[j] = 2 * (x[j] - c[j]); H[j * 4] = 2; f += (x[j] - c[j]) ** 2; } return f; },
 *   1, new Float64Array(3), Float64Array.of(1, 1, 1));
 * r.x; // ≈ [0.6, 0.4, 0]
 */
export function minimiseOnCappedSimplex(f: ConvexObjective, s: number, lo: Float64Array, hi: Float64Array, options: Partial<BarrierOptions> = {}): BarrierResult {
  const o: BarrierOptions = { ...BARRIER_DEFAULTS, ...options };
  const k = lo.length;
  // an upper bound binds only when the others' lower bounds leave room to reach it
  let loSum = 0, hiSum = 0;
  for (let j = 0; j < k; j++) loSum += lo[j];
  const upperOn = new Uint8Array(k);
  const hiEff = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const reach = s - (loSum - lo[j]);
    upperOn[j] = hi[j] < reach ? 1 : 0;
    hiEff[j] = Math.min(hi[j], reach);
    hiSum += hiEff[j];
    if (!(hiEff[j] > lo[j])) throw new MixlabError("BARRIER_BAD_BOUNDS", `coordinate ${j}: no room between lower bound ${lo[j]} and upper bound ${hiEff[j]}`);
  }
  if (!(loSum < s && s < hiSum)) throw new MixlabError("BARRIER_BAD_BOUNDS", `the bounds leave no interior: Σ lo = ${loSum}, s = ${s}, Σ hi = ${hiSum}`);
  let m = k;
  for (let j = 0; j < k; j++) m += upperOn[j];

  // strictly interior start: the same fraction θ of every coordinate's room
  const theta = (s - loSum) / (hiSum - loSum);
  let x = Float64Array.from(lo, (l, j) => l + theta * (hiEff[j] - l));
  let xt = new Float64Array(k);
  const g = new Float64Array(k), H = new Float64Array(k * k);
  const gt = new Float64Array(k), Ht = new Float64Array(k * k);
  const grad = new Float64Array(k), A = new Float64Array(k * k);
  const dx = new Float64Array(k), ones = new Float64Array(k);

  // barrier objective at x: t f(x) − Σ log(x − lo) − Σ log(hi − x); gradient and Hessian when asked
  const phi = (z: Float64Array, t: number, gOut: Float64Array | null, HOut: Float64Array | null, gf: Float64Array, Hf: Float64Array): number => {
    let b = 0;
    for (let j = 0; j < k; j++) {
      const a = z[j] - lo[j];
      if (!(a > 0)) return Infinity;
      b -= Math.log(a);
      if (upperOn[j]) {
        const c = hi[j] - z[j];
        if (!(c > 0)) return Infinity;
        b -= Math.log(c);
      }
    }
    const fz = f(z, gf, Hf);
    if (!Number.isFinite(fz)) return Infinity;
    if (gOut && HOut) {
      for (let j = 0; j < k * k; j++) HOut[j] = t * Hf[j];
      for (let j = 0; j < k; j++) {
        const a = z[j] - lo[j];
        let gj = t * gf[j] - 1 / a;
        let hj = 1 / (a * a);
        if (upperOn[j]) { const c = hi[j] - z[j]; gj += 1 / c; hj += 1 / (c * c); }
        gOut[j] = gj;
        HOut[j * k + j] += hj;
      }
    }
    return t * fz + b;
  };

  let t = o.t0;
  let outerSteps = 0, newtonSteps = 0;
  let nu = 0;
  for (;;) {
    outerSteps++;
    // centring: Newton with Σ Δx = 0
    let val = phi(x, t, grad, A, g, H);
    for (let it = 0; it < o.maxNewton; it++) {
      // Δx = −A⁻¹(∇ + ν1), ν = −(1ᵀA⁻¹∇)/(1ᵀA⁻¹1)
      if (!choleskyInPlace(A, k)) throw new MixlabError("BARRIER_NOT_CONVEX", "the barrier Hessian is not positive definite (is the objective convex?)");
      dx.set(grad);
      choleskySolve(A, k, dx); // A⁻¹∇
      ones.fill(1);
      choleskySolve(A, k, ones); // A⁻¹1
      let a1 = 0, b1 = 0;
      for (let j = 0; j < k; j++) { a1 += dx[j]; b1 += ones[j]; }
      const w = -a1 / b1;
      let dec = 0; // Newton decrement² = −∇ᵀΔx
      for (let j = 0; j < k; j++) { dx[j] = -(dx[j] + w * ones[j]); dec -= grad[j] * dx[j]; }
      nu = w / t;
      if (!(dec / 2 > 1e-20)) break;
      // largest step that stays strictly inside, then backtrack (α = 0.25, β = 0.5)
      let step = 1;
      for (let j = 0; j < k; j++) {
        if (dx[j] < 0) step = Math.min(step, 0.99 * (x[j] - lo[j]) / -dx[j]);
        else if (dx[j] > 0 && upperOn[j]) step = Math.min(step, 0.99 * (hi[j] - x[j]) / dx[j]);
      }
      let next = Infinity;
      if (dec < 1e-4) {
        // near the centre: take the Newton step as it is. Comparing values of t·f(x) ~ t cannot
        // resolve decreases this small once t is large (rounding ≈ t·1e-16), and the quadratic
        // convergence region is where the full step is right
        for (let j = 0; j < k; j++) xt[j] = x[j] + step * dx[j];
        next = phi(xt, t, null, null, gt, Ht);
        if (!Number.isFinite(next)) break;
      } else {
        for (let bt = 0; bt < 60; bt++) {
          for (let j = 0; j < k; j++) xt[j] = x[j] + step * dx[j];
          next = phi(xt, t, null, null, gt, Ht);
          if (next <= val - 0.25 * step * dec) break;
          step *= 0.5;
        }
        if (!(next < val)) break; // no further progress in floating point
      }
      [x, xt] = [xt, x];
      newtonSteps++;
      val = phi(x, t, grad, A, g, H);
    }
    if (m / t <= o.gap) break;
    t *= o.mu;
  }
  const lower = Float64Array.from(x, (xj, j) => 1 / (t * (xj - lo[j])));
  const upper = Float64Array.from(x, (xj, j) => (upperOn[j] ? 1 / (t * (hi[j] - xj)) : 0));
  const fx = f(x, g, H);
  return { x, f: fx, nu, lower, upper, gap: m / t, outerSteps, newtonSteps };
}
