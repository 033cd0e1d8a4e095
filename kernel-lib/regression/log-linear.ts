/**
 * The log-linear mixing law, Olmix's default regression (allenai/olmix @ 9586977,
 * `olmix/fit/utils.py` `mixing_law`, `LogLinearRegressor`, `init_params_log_linear_law`;
 * `olmix/fit/law.py` `ScalingLaw.fit`, `fit_scaling_laws`; adapted there from yegcjs/mixinglaws):
 *
 *   ŷ(x) = exp(c) + exp(Σ_j t_j x_j)          x: d domain weights, params p = [c, t_1 … t_d]
 *
 * fitted per metric by minimising the summed Huber loss Σ_i H_δ(y_i − ŷ(x_i)), δ = 0.02
 * (`LogLinearRegressor.fit` default; H_δ(r) = r²/2 for |r| < δ, δ(|r| − δ/2) otherwise, as
 * `torch.nn.functional.huber_loss`), from many seeded starts, keeping the lowest loss.
 *
 * Starts (as `init_params_log_linear_law`): c on the grid linspace(−2, 1.5, 10), for each c
 * `startsPerC` draws of t_j ~ U(0, 0.1). Olmix takes 30 per c (300 starts) and additionally sets
 * t_idx ~ −U(0, 1) for the domain whose *column index equals the metric's index* (a leftover of
 * mixinglaws, where metric i was domain i's loss; for task metrics it picks an arbitrary
 * domain) — we leave that out: every t_j starts in U(0, 0.1).
 *
 * Deviation from Olmix, in the optimiser only: Olmix runs PyTorch L-BFGS (float32, lr 0.01,
 * history 10, strong-Wolfe line search, 100 outer steps of ≤ 20 iterations, 4 worker
 * processes); we run damped Newton steps with the exact Hessian (regression/newton.ts) in
 * float64 to convergence, one start after another — the same objective and starts, the minimum
 * reached in tens of steps instead of ≈ 1,100 L-BFGS iterations, deterministic in `seed`
 * regardless of machine or threads. Olmix keeps within a start the lowest loss seen and across
 * starts the lowest; our steps only ever descend, so the last iterate is the lowest, and across
 * starts we keep the lowest (the first on ties).
 */
import { MixlabError } from "../util/errors.js";
import { createRng } from "../util/rng.js";
import { checkDesign, rowsOf, type FeatureMatrix } from "./design.js";
import { minimiseNewton, type NewtonOptions } from "./newton.js";

/** Options of {@link fitLogLinear}. */
export interface LogLinearOptions {
  /** Huber threshold δ (default 0.02, Olmix's `LogLinearRegressor.fit`) */
  delta: number;
  /** grid of starting c = log of the constant term (default linspace(−2, 1.5, 10)) */
  logCGrid: readonly number[];
  /** starts per grid value of c (default 30: 300 starts, as Olmix) */
  startsPerC: number;
  /** t_j of a start ~ U(0, initScale) (default 0.1) */
  initScale: number;
  seed: number;
  /** optimiser settings per start (regression/newton.ts) */
  newton: Partial<NewtonOptions>;
}

/** numpy's `linspace(lo, hi, n)`. */
function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
}

export const LOG_LINEAR_DEFAULTS: Readonly<LogLinearOptions> = Object.freeze({
  delta: 0.02,
  logCGrid: Object.freeze(linspace(-2, 1.5, 10)),
  startsPerC: 30,
  initScale: 0.1,
  seed: 42,
  newton: Object.freeze({}),
});

/** A serialised {@link LogLinearModel}. */
export interface LogLinearModelJson {
  format: "mixlab-log-linear";
  version: 1;
  /** c: log of the constant term */
  logC: number;
  /** t: one exponent coefficient per feature */
  t: number[];
  delta: number;
  /** summed Huber loss on the training rows */
  trainLoss: number;
}

/** How a {@link fitLogLinear} run went. */
export interface LogLinearFitStats { starts: number; startsAtBest: number; iterations: number; evaluations: number }

/** A fitted log-linear mixing law ŷ(x) = exp(c) + exp(t·x). */
export interface LogLinearModel {
  readonly kind: "log-linear";
  readonly numFeatures: number;
  readonly logC: number;
  readonly t: Float64Array;
  readonly delta: number;
  /** summed Huber loss of the chosen start on the training rows */
  readonly trainLoss: number;
  /**
   * starts run; how many ended within 1e-9 (relative) of the chosen loss (all of them when the
   * loss has one basin); Newton steps and function evaluations over all starts
   */
  readonly fit: LogLinearFitStats;
  predict(X: FeatureMatrix, out?: Float64Array): Float64Array;
  predictOne(row: ArrayLike<number>): number;
  toJSON(): LogLinearModelJson;
}

class LogLinearModelImpl implements LogLinearModel {
  readonly kind = "log-linear" as const;
  readonly numFeatures: number;
  constructor(
    readonly logC: number,
    readonly t: Float64Array,
    readonly delta: number,
    readonly trainLoss: number,
    readonly fit: LogLinearFitStats,
  ) {
    this.numFeatures = t.length;
  }
  predictOne(row: ArrayLike<number>): number {
    let z = 0;
    for (let j = 0; j < this.t.length; j++) z += this.t[j] * row[j];
    return Math.exp(this.logC) + Math.exp(z);
  }
  predict(X: FeatureMatrix, out?: Float64Array): Float64Array {
    const d = this.numFeatures;
    const base = Math.exp(this.logC);
    if (X instanceof Float64Array) {
      if (X.length % d !== 0) throw new MixlabError("PREDICT_SHAPE", `flat input of length ${X.length} is not a multiple of ${d} features`);
      const n = X.length / d;
      const res = out ?? new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let z = 0;
        const o = i * d;
        for (let j = 0; j < d; j++) z += this.t[j] * X[o + j];
        res[i] = base + Math.exp(z);
      }
      return res;
    }
    const res = out ?? new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) {
      if (X[i].length !== d) throw new MixlabError("PREDICT_SHAPE", `row ${i} has ${X[i].length} features, model has ${d}`);
      res[i] = this.predictOne(X[i]);
    }
    return res;
  }
  toJSON(): LogLinearModelJson {
    return { format: "mixlab-log-linear", version: 1, logC: this.logC, t: Array.from(this.t), delta: this.delta, trainLoss: this.trainLoss };
  }
}

/**
 * Summed Huber loss of the law at `params` = [c, t_1 … t_d] on the flat design `X` (n × d) and
 * targets `y`, with its gradient written into `grad` (length d + 1) and, when given, its
 * Hessian into `hess` (row-major (d+1) × (d+1)):
 *   e_i = exp(t·x_i),  r_i = y_i − (exp(c) + e_i),  ψ(r) = r for |r| < δ, δ·sign(r) otherwise,
 *   ∂/∂c = −Σ ψ(r_i) exp(c),                ∂/∂t_j = −Σ ψ(r_i) e_i x_ij,
 *   ∂²/∂c² = Σ ψ'(r_i) exp(2c) − ψ(r_i) exp(c),   ∂²/∂c∂t_j = Σ ψ'(r_i) exp(c) e_i x_ij,
 *   ∂²/∂t_j∂t_k = Σ (ψ'(r_i) e_i − ψ(r_i)) e_i x_ij x_ik,   ψ'(r) = 1 for |r| < δ, else 0.
 *
 * @example
 * const g = new Float64Array(2);
 * huberLossAndGradient(Float64Array.of(0, 0), Float64Array.of(1), Float64Array.of(2.01), 0.02, g);
 * // ŷ = e⁰ + e⁰ = 2, r = 0.01 < δ: loss 0.5·0.01² = 5e-5; g = [−0.01, −0.01]
 */
export function huberLossAndGradient(params: Float64Array, X: Float64Array, y: ArrayLike<number>, delta: number, grad: Float64Array, hess?: Float64Array): number {
  const n = y.length;
  const p = params.length;
  const d = p - 1;
  const base = Math.exp(params[0]);
  grad.fill(0);
  if (hess) hess.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let z = 0;
    for (let j = 0; j < d; j++) z += params[j + 1] * X[o + j];
    const e = Math.exp(z);
    const r = y[i] - (base + e);
    const a = Math.abs(r);
    let psi: number, dpsi: number;
    if (a < delta) { loss += 0.5 * r * r; psi = r; dpsi = 1; } else { loss += delta * (a - 0.5 * delta); psi = r > 0 ? delta : -delta; dpsi = 0; }
    grad[0] -= psi * base;
    const w = psi * e;
    for (let j = 0; j < d; j++) grad[j + 1] -= w * X[o + j];
    if (hess) {
      hess[0] += dpsi * base * base - psi * base;
      const ct = dpsi * base * e;
      const tt = (dpsi * e - psi) * e;
      for (let j = 0; j < d; j++) {
        const xj = X[o + j];
        if (xj === 0) continue; // swarm mixtures are sparse
        hess[j + 1] += ct * xj;
        const row = (j + 1) * p;
        for (let k = 0; k <= j; k++) hess[row + k + 1] += tt * xj * X[o + k];
      }
    }
  }
  if (hess) {
    // mirror the lower triangle of the t block and the c column
    for (let j = 1; j < p; j++) {
      hess[j * p] = hess[j];
      for (let k = 1; k < j; k++) hess[k * p + j] = hess[j * p + k];
    }
  }
  return loss;
}

/**
 * Fit the log-linear law to one target by Huber loss from seeded starts (see the file header).
 * Deterministic: the same X, y and options give the same bits.
 *
 * @example
 * const m = fitLogLinear(X, bpbMath);        // 300 starts, δ = 0.02
 * m.predict(candidates);                     // exp(c) + exp(t·x) per row
 * fitLogLinear(X, y, { startsPerC: 3 });     // 30 starts
 */
export function fitLogLinear(X: FeatureMatrix, y: ArrayLike<number>, options: Partial<LogLinearOptions> = {}): LogLinearModel {
  const o: LogLinearOptions = { ...LOG_LINEAR_DEFAULTS, ...options, newton: { ...LOG_LINEAR_DEFAULTS.newton, ...(options.newton ?? {}) } };
  if (!(o.delta > 0) || !Number.isFinite(o.delta)) throw new MixlabError("LOG_LINEAR_BAD_OPTION", `delta must be a finite number > 0, got ${o.delta}`);
  if (!Number.isInteger(o.startsPerC) || o.startsPerC < 1) throw new MixlabError("LOG_LINEAR_BAD_OPTION", `startsPerC must be a positive integer, got ${o.startsPerC}`);
  if (o.logCGrid.length === 0 || !o.logCGrid.every(Number.isFinite)) throw new MixlabError("LOG_LINEAR_BAD_OPTION", "logCGrid must hold at least one finite value");
  if (!(o.initScale >= 0) || !Number.isFinite(o.initScale)) throw new MixlabError("LOG_LINEAR_BAD_OPTION", `initScale must be finite and ≥ 0, got ${o.initScale}`);
  const rows = rowsOf(X, y.length);
  const { n, d } = checkDesign(rows, y, "fitLogLinear");
  const flat = new Float64Array(n * d);
  rows.forEach((r, i) => flat.set(r, i * d));
  const yy = Float64Array.from(y);

  const rng = createRng(o.seed);
  const fgh = (p: Float64Array, g: Float64Array, H: Float64Array) => huberLossAndGradient(p, flat, yy, o.delta, g, H);
  let best: { x: Float64Array; f: number } | null = null;
  const finals: number[] = [];
  let iterations = 0, evaluations = 0, starts = 0;
  const p0 = new Float64Array(d + 1);
  for (const c of o.logCGrid) {
    for (let k = 0; k < o.startsPerC; k++) {
      p0[0] = c;
      for (let j = 0; j < d; j++) p0[j + 1] = rng.next() * o.initScale;
      const r = minimiseNewton(fgh, p0, o.newton);
      starts++;
      iterations += r.iterations;
      evaluations += r.evaluations;
      finals.push(r.f);
      if (Number.isFinite(r.f) && (best === null || r.f < best.f)) best = { x: r.x, f: r.f };
    }
  }
  if (best === null) throw new MixlabError("LOG_LINEAR_NO_FIT", `fitLogLinear: no start reached a finite loss on ${n} rows`);
  const bestF = best.f;
  const startsAtBest = finals.filter((f) => f - bestF <= 1e-9 * Math.max(1, Math.abs(bestF))).length;
  return new LogLinearModelImpl(best.x[0], best.x.subarray(1).slice(), o.delta, best.f, { starts, startsAtBest, iterations, evaluations });
}

/**
 * Rebuild a log-linear model from {@link LogLinearModel.toJSON} output.
 *
 * @example
 * const m2 = logLinearFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
 */
export function logLinearFromJSON(json: LogLinearModelJson): LogLinearModel {
  if (json?.format !== "mixlab-log-linear" || !Array.isArray(json.t) || !Number.isFinite(json.logC)) {
    throw new MixlabError("MODEL_BAD_JSON", "not a mixlab-log-linear model");
  }
  return new LogLinearModelImpl(json.logC, Float64Array.from(json.t), json.delta, json.trainLoss, { starts: 0, startsAtBest: 0, iterations: 0, evaluations: 0 });
}
