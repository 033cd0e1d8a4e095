/**
 * Olmix's exact proposer (allenai/olmix @ 9586977, `olmix/fit/utils.py`
 * `LogLinearExactProposer.propose`): with every target fitted by the log-linear law
 * ŷ_i(x) = exp(c_i) + exp(a_i·x), choose the mixture
 *
 *   x* = argmin_x  Σ_i w_i exp(a_i·x) + λ·KL(x ‖ q)     Σ_j x_j = 1,  lo_j ≤ x_j ≤ hi_j
 *
 * (the constants exp(c_i) do not move the argmin; KL(x‖q) = Σ x_j log(x_j/q_j), q the prior with
 * entries floored at 1e-12 and renormalised, as Olmix). Each exp(a_i·x) is convex in x and the
 * KL term is strictly convex for λ > 0, so the optimum is unique and is found by a barrier
 * Newton method (simplex-barrier.ts) instead of Olmix's cvxpy/ECOS call.
 *
 * Constraints: Olmix's only bound is the token cap x ≤ repetition_factor · available /
 * target_tokens; here the bounds of `data/mixture-bounds.ts` (caps, pinned weights, minimum
 * weights) all apply. Pinned domains are held at their weight (Olmix puts fixed weights into
 * the prior instead). Objective weights w are normalised to sum 1 (regression/objective.ts).
 */
import { Mixture } from "../data/mixture.js";
import type { MixtureBounds } from "../data/mixture-bounds.js";
import type { LogLinearModel } from "../regression/log-linear.js";
import type { Regressor } from "../regression/regressor.js";
import { MixlabError } from "../util/errors.js";
import { minimiseOnCappedSimplex, type BarrierOptions } from "./simplex-barrier.js";

export interface ExactOptions {
  /** λ, the weight of KL(x ‖ prior) (default 0.1: Olmix's DCLM config `kl_reg`) */
  klWeight: number;
  barrier: Partial<BarrierOptions>;
}

export const EXACT_DEFAULTS: Readonly<ExactOptions> = Object.freeze({ klWeight: 0.1, barrier: Object.freeze({}) });

/** Prior entries are floored here before renormalising (Olmix: `q = np.maximum(q, 1e-12)`). */
export const PRIOR_FLOOR = 1e-12;

/** Width below which a domain's bounds count as one value (it is fixed, not searched). */
const FIXED_WIDTH = 1e-15;

export interface ExactProposal {
  mixture: Mixture;
  /** Σ_i w_i ŷ_i(x*), constants included: the predicted objective metric */
  predicted: number;
  /** ŷ_i(x*) per target */
  perTarget: Float64Array;
  /** KL(x* ‖ q) */
  kl: number;
  /** predicted + λ·kl: the value minimised (up to the constants) */
  objective: number;
  /**
   * The KKT multipliers at x* (over all d domains; 0 for fixed domains): with
   * g = ∇(Σ w_i exp(a_i·x) + λ KL) on the searched domains, g + ν − lower + upper = 0.
   */
  kkt: { nu: number; lower: Float64Array; upper: Float64Array; fixed: Uint8Array; gap: number };
  newtonSteps: number;
  seconds: number;
}

/** The models as log-linear laws, or EXACT_NEEDS_LOG_LINEAR. */
export function asLogLinear(models: readonly Regressor[]): LogLinearModel[] {
  return models.map((m, i) => {
    if (m.kind !== "log-linear") throw new MixlabError("EXACT_NEEDS_LOG_LINEAR", `the exact proposer needs log-linear regressions; target ${i} is "${m.kind}" (use the simulation proposer)`);
    return m;
  });
}

/**
 * The exact proposal for log-linear `models` with objective `weights` (normalised), prior `q`
 * and `bounds` (from `resolveMixtureBounds` over the same domains, in the same order).
 *
 * @example
 * const laws = targets.map((t) => fitLogLinear(swarm.X, t));
 * const p = proposeExact(laws, objectiveWeights(names), prior, resolveMixtureBounds(prior.domains, { targetTokens, availableTokens }));
 * p.mixture.toString(); p.predicted;
 */
export function proposeExact(models: readonly LogLinearModel[], weights: ArrayLike<number>, prior: Mixture, bounds: MixtureBounds, options: Partial<ExactOptions> = {}): ExactProposal {
  const t0 = performance.now();
  const o: ExactOptions = { ...EXACT_DEFAULTS, ...options, barrier: { ...EXACT_DEFAULTS.barrier, ...(options.barrier ?? {}) } };
  const lam = o.klWeight;
  if (!(lam >= 0) || !Number.isFinite(lam)) throw new MixlabError("EXACT_BAD_OPTION", `klWeight must be a finite number ≥ 0, got ${lam}`);
  const domains = prior.domains;
  const d = domains.length;
  if (bounds.domains.length !== d || bounds.domains.some((name, j) => name !== domains[j])) {
    throw new MixlabError("EXACT_DOMAIN_MISMATCH", `bounds are over (${bounds.domains.join(", ")}) but the prior over (${domains.join(", ")})`);
  }
  const n = models.length;
  if (n === 0 || weights.length !== n) throw new MixlabError("EXACT_BAD_OPTION", `${n} models but ${weights.length} objective weights`);
  asLogLinear(models);
  models.forEach((m, i) => {
    if (m.numFeatures !== d) throw new MixlabError("EXACT_DOMAIN_MISMATCH", `target ${i}'s law has ${m.numFeatures} features, the prior ${d} domains`);
  });
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    if (!(weights[i] >= 0) || !Number.isFinite(weights[i])) throw new MixlabError("EXACT_BAD_OPTION", `objective weight ${i} is ${weights[i]}`);
    wsum += weights[i];
  }
  if (!(wsum > 0)) throw new MixlabError("EXACT_BAD_OPTION", "objective weights are all 0");
  const w = Float64Array.from({ length: n }, (_, i) => weights[i] / wsum);

  // q: the prior floored at 1e-12 and renormalised
  const q = Float64Array.from(prior.weights, (v) => Math.max(v, PRIOR_FLOOR));
  const qs = q.reduce((a, b) => a + b, 0);
  for (let j = 0; j < d; j++) q[j] /= qs;

  // split into fixed domains (pinned, or bounds of no width) and searched ones
  const fixed = Uint8Array.from(bounds.lo, (l, j) => (bounds.pinned[j] || bounds.hi[j] - l <= FIXED_WIDTH ? 1 : 0));
  const free: number[] = [];
  const x = new Float64Array(d);
  let s = 1;
  for (let j = 0; j < d; j++) {
    if (fixed[j]) { x[j] = bounds.lo[j]; s -= x[j]; } else free.push(j);
  }
  const k = free.length;
  const A = models.map((m) => m.t); // n × d exponent coefficients a_i
  // a_i·x over the fixed domains: a constant offset of each exponent
  const offset = Float64Array.from(A, (a) => { let z = 0; for (let j = 0; j < d; j++) if (fixed[j]) z += a[j] * x[j]; return z; });
  const lo = Float64Array.from(free, (j) => bounds.lo[j]);
  const hi = Float64Array.from(free, (j) => bounds.hi[j]);
  const qf = Float64Array.from(free, (j) => q[j]);

  // f(z) = Σ_i w_i exp(offset_i + a_i·z) + λ Σ z_j log(z_j / q_j) over the searched domains
  const e = new Float64Array(n);
  const f = (z: Float64Array, g: Float64Array, H: Float64Array): number => {
    let val = 0;
    for (let i = 0; i < n; i++) {
      let u = offset[i];
      for (let m = 0; m < k; m++) u += A[i][free[m]] * z[m];
      e[i] = w[i] * Math.exp(u);
      val += e[i];
    }
    g.fill(0); H.fill(0);
    for (let m = 0; m < k; m++) {
      const zm = z[m];
      if (!(zm > 0)) return zm === 0 && lam === 0 ? val : Infinity;
      val += lam * zm * Math.log(zm / qf[m]);
      g[m] = lam * (Math.log(zm / qf[m]) + 1);
      H[m * k + m] = lam / zm;
    }
    for (let i = 0; i < n; i++) {
      const a = A[i], ei = e[i];
      for (let m = 0; m < k; m++) {
        const am = a[free[m]] * ei;
        g[m] += am;
        for (let l = 0; l <= m; l++) H[m * k + l] += am * a[free[l]];
      }
    }
    for (let m = 0; m < k; m++) for (let l = 0; l < m; l++) H[l * k + m] = H[m * k + l];
    return val;
  };

  let z: Float64Array;
  let nu = 0, gap = 0, newtonSteps = 0;
  let lower = new Float64Array(k), upper = new Float64Array(k);
  let loSum = 0, hiReach = 0;
  for (let m = 0; m < k; m++) loSum += lo[m];
  for (let m = 0; m < k; m++) hiReach += Math.min(hi[m], s - (loSum - lo[m]));
  if (k === 0) z = new Float64Array(0);
  else if (k === 1) z = Float64Array.of(s);
  else if (s - loSum <= FIXED_WIDTH) z = Float64Array.from(lo);
  else if (hiReach - s <= FIXED_WIDTH) z = Float64Array.from(hi, (h, m) => Math.min(h, s - (loSum - lo[m])));
  else {
    const r = minimiseOnCappedSimplex(f, s, lo, hi, o.barrier);
    z = r.x; nu = r.nu; gap = r.gap; newtonSteps = r.newtonSteps; lower = r.lower; upper = r.upper;
  }
  free.forEach((j, m) => { x[j] = z[m]; });

  const perTarget = Float64Array.from(models, (mdl) => mdl.predictOne(x));
  let predicted = 0;
  for (let i = 0; i < n; i++) predicted += w[i] * perTarget[i];
  let kl = 0;
  for (let j = 0; j < d; j++) if (x[j] > 0) kl += x[j] * Math.log(x[j] / q[j]);
  const lowerAll = new Float64Array(d), upperAll = new Float64Array(d);
  free.forEach((j, m) => { lowerAll[j] = lower[m] ?? 0; upperAll[j] = upper[m] ?? 0; });
  return {
    mixture: Mixture.fromWeights(domains, x),
    predicted, perTarget, kl, objective: predicted + lam * kl,
    kkt: { nu, lower: lowerAll, upper: upperAll, fixed, gap },
    newtonSteps,
    seconds: (performance.now() - t0) / 1000,
  };
}
