/**
 * Damped Newton minimisation for small smooth problems (tens of parameters) whose Hessian is
 * cheap: the log-linear mixing law's fit (regression/log-linear.ts). Each step solves
 * (H + μI) s = −g by Cholesky; μ ≥ 0 is a Levenberg–Marquardt damping adapted from the ratio
 * ρ of actual to predicted decrease (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §4.1
 * and §10.3: grow μ when ρ < 1/4 or H + μI is not positive definite, shrink it when ρ > 3/4),
 * so far from the optimum (indefinite H) it is a short gradient-like step and near it a full
 * Newton step with quadratic convergence.
 *
 * Why not L-BFGS, which Olmix uses: on a Huber loss over sparse mixtures (a swarm run holds
 * 1–7 of 24 domains) the problem is badly conditioned and L-BFGS needed ≈ 1,100 iterations per
 * start to converge on Olmix's DCLM swarm (math family); this method needs tens.
 */
import { MixlabError } from "../util/errors.js";

/**
 * f(x), with its gradient written into `g` (length p) and its Hessian into `H` (row-major
 * p × p, symmetric). May return a non-finite value (then g and H are not read).
 */
export type ValueGradientHessian = (x: Float64Array, g: Float64Array, H: Float64Array) => number;

export interface NewtonOptions {
  /** Newton steps at most (default 500) */
  maxIterations: number;
  /** stop when max |g_j| ≤ gradTol (default 1e-12) */
  gradTol: number;
  /** stop when an accepted step lowers f by ≤ relTol · max(1, |f|) (default 1e-15) */
  relTol: number;
  /** initial damping μ (default 1e-3) */
  damping: number;
}

export const NEWTON_DEFAULTS: Readonly<NewtonOptions> = Object.freeze({
  maxIterations: 500,
  gradTol: 1e-12,
  relTol: 1e-15,
  damping: 1e-3,
});

export interface NewtonResult {
  x: Float64Array;
  f: number;
  g: Float64Array;
  /** accepted steps */
  iterations: number;
  /** calls of the objective */
  evaluations: number;
  reason: "gradient" | "no-progress" | "max-iterations" | "stalled";
}

/**
 * In-place Cholesky factorisation of the row-major p × p matrix `A` (lower triangle L, A = LLᵀ).
 * Returns false when A is not (numerically) positive definite.
 */
export function choleskyInPlace(A: Float64Array, p: number): boolean {
  for (let j = 0; j < p; j++) {
    let s = A[j * p + j];
    for (let k = 0; k < j; k++) s -= A[j * p + k] * A[j * p + k];
    if (!(s > 0) || !Number.isFinite(s)) return false;
    const ljj = Math.sqrt(s);
    A[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let t = A[i * p + j];
      for (let k = 0; k < j; k++) t -= A[i * p + k] * A[j * p + k];
      A[i * p + j] = t / ljj;
    }
  }
  return true;
}

/** Solve LLᵀ x = b in place in `b`, with L from {@link choleskyInPlace}. */
export function choleskySolve(L: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * b[k];
    b[i] = s / L[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * b[k];
    b[i] = s / L[i * p + i];
  }
}

/**
 * Minimise `fgh` from `x0` by damped Newton steps. Deterministic.
 *
 * @example
 * // f(x) = (x0 − 1)² + 10 (x1 + 2)²: one full Newton step lands on the minimum
 * const r = minimiseNewton((x, g, H) => {
 *   g[0] = 2 * (x[0] - 1); g[1] = 20 * (x[1] + 2); H.set([2, 0, 0, 20]);
 *   return (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2;
 * }, Float64Array.of(0, 0));
 * r.x; // ≈ [1, -2]
 */
export function minimiseNewton(fgh: ValueGradientHessian, x0: ArrayLike<number>, options: Partial<NewtonOptions> = {}): NewtonResult {
  const o: NewtonOptions = { ...NEWTON_DEFAULTS, ...options };
  const p = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(p), H = new Float64Array(p * p);
  let xt = new Float64Array(p), gt = new Float64Array(p), Ht = new Float64Array(p * p);
  const A = new Float64Array(p * p);
  const s = new Float64Array(p);
  let evaluations = 1;
  let f = fgh(x, g, H);
  if (!Number.isFinite(f)) throw new MixlabError("NEWTON_NOT_FINITE", `minimiseNewton: the objective is ${f} at the start`);
  let mu = o.damping;
  let iterations = 0;
  let reason: NewtonResult["reason"] = "max-iterations";
  outer: while (iterations < o.maxIterations) {
    let gmax = 0;
    for (let i = 0; i < p; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax <= o.gradTol) { reason = "gradient"; break; }
    // find a damping that gives a positive-definite system and a step that lowers f
    for (let tries = 0; ; tries++) {
      if (tries > 200 || mu > 1e300) { reason = "stalled"; break outer; }
      A.set(H);
      for (let i = 0; i < p; i++) A[i * p + i] += mu;
      if (!choleskyInPlace(A, p)) { mu = Math.max(mu * 4, 1e-12); continue; }
      for (let i = 0; i < p; i++) s[i] = -g[i];
      choleskySolve(A, p, s);
      // predicted decrease of the quadratic model: −(gᵀs + ½ sᵀHs)
      let gs = 0, sHs = 0;
      for (let i = 0; i < p; i++) {
        gs += g[i] * s[i];
        let hs = 0;
        for (let k = 0; k < p; k++) hs += H[i * p + k] * s[k];
        sHs += s[i] * hs;
      }
      const predicted = -(gs + 0.5 * sHs);
      for (let i = 0; i < p; i++) xt[i] = x[i] + s[i];
      evaluations++;
      const ft = fgh(xt, gt, Ht);
      const actual = f - ft;
      if (!Number.isFinite(ft) || !(actual > 0) || !(predicted > 0)) {
        // no decrease: a step this small is below rounding, or the model is poor — damp harder
        if (Number.isFinite(ft) && predicted <= o.relTol * Math.max(1, Math.abs(f))) { reason = "no-progress"; break outer; }
        mu = Math.max(mu * 4, 1e-12);
        continue;
      }
      const rho = actual / predicted;
      if (rho > 0.75) mu /= 3;
      else if (rho < 0.25) mu *= 2;
      // accept: swap buffers
      [x, xt] = [xt, x];
      [g, gt] = [gt, g];
      [H, Ht] = [Ht, H];
      const fPrev = f;
      f = ft;
      iterations++;
      if (fPrev - f <= o.relTol * Math.max(1, Math.abs(fPrev))) { reason = "no-progress"; break outer; }
      break;
    }
  }
  return { x, f, g, iterations, evaluations, reason };
}
