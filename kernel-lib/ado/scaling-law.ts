/**
 * ADO's per-domain scaling law (yidingjiang/ado `src/data_selectors/ado.py`: `scaling_law`,
 * `loss_fn`, `fit_scaling_law`): the training loss of a domain after n samples,
 *
 *   L(n) = ε + β·n^(−α),  parameterised as (a, e, α) with β = exp(a), ε = exp(e),
 *
 * fitted in log space: pred = logsumexp(a − α·log n, e) against log L with a Huber loss
 * (δ = 1e-3) summed over the points, plus the official soft bounds
 * max(α − 0.8, 0) − min(α, 0.001) + max(a − 6.5, 0) − min(e − 0.5, 0). The official fit runs
 * L-BFGS (jaxopt, tol 1e-5, 200 iterations) from the 8×8×8 grid a ∈ {−2…5}, e ∈ {−2, −1.5…1.5},
 * α ∈ {0, 0.1…0.7} and keeps the lowest objective; so does this, with a two-loop L-BFGS
 * (memory 10) and a backtracking Armijo line search in place of jaxopt's zoom search.
 */

/** (a, e, α): L(n) = exp(e) + exp(a)·n^(−α). */
export type ScalingLaw = { a: number; e: number; alpha: number };

const HUBER_DELTA = 1e-3;

/**
 * L(n) of a fitted law (`scaling_law`).
 *
 * @example
 * scalingLaw({ a: 1, e: 0.5, alpha: 0.3 }, 1000);
 */
export function scalingLaw(p: ScalingLaw, n: number): number {
  return Math.exp(p.e) + Math.exp(p.a) / n ** p.alpha;
}

/**
 * The official objective and its gradient at θ = [a, e, α] (`loss_fn`).
 *
 * @example
 * scalingLawObjective([1, 0.5, 0.3], n, L).value;
 */
export function scalingLawObjective(theta: readonly number[], n: ArrayLike<number>, L: ArrayLike<number>): { value: number; grad: [number, number, number] } {
  const [a, e, alpha] = theta;
  let value = 0, ga = 0, ge = 0, gal = 0;
  for (let i = 0; i < n.length; i++) {
    const ln = Math.log(n[i]);
    const x1 = a - alpha * ln;
    const m = Math.max(x1, e);
    const s1 = Math.exp(x1 - m), s2 = Math.exp(e - m);
    const pred = m + Math.log(s1 + s2);
    const diff = Math.log(L[i]) - pred;
    const ad = Math.abs(diff);
    value += ad > HUBER_DELTA ? HUBER_DELTA * (ad - 0.5 * HUBER_DELTA) : 0.5 * ad * ad;
    const dPred = ad > HUBER_DELTA ? -HUBER_DELTA * Math.sign(diff) : -diff; // ∂huber/∂pred
    const w1 = s1 / (s1 + s2), w2 = s2 / (s1 + s2);
    ga += dPred * w1;
    ge += dPred * w2;
    gal += dPred * w1 * -ln;
  }
  // soft bounds
  if (alpha > 0.8) { value += alpha - 0.8; gal += 1; }
  value += -Math.min(alpha, 0.001); // −0.001 above 0.001: a constant, as in the official term
  if (alpha < 0.001) gal -= 1;
  if (a > 6.5) { value += a - 6.5; ga += 1; }
  if (e < 0.5) { value += -(e - 0.5); ge -= 1; }
  return { value, grad: [ga, ge, gal] };
}

const dot = (x: readonly number[], y: readonly number[]) => x.reduce((s, v, i) => s + v * y[i], 0);

/** L-BFGS from θ0; returns the final θ and objective. */
function lbfgs(theta0: number[], f: (t: number[]) => { value: number; grad: number[] }, maxIter = 200, tol = 1e-5, memory = 10): { theta: number[]; value: number } {
  let theta = [...theta0];
  let cur = f(theta);
  const S: number[][] = [], Y: number[][] = [];
  for (let it = 0; it < maxIter; it++) {
    if (Math.hypot(...cur.grad) <= tol) break;
    // two-loop recursion: d = −H·g
    const q = [...cur.grad];
    const alphas: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      const rho = 1 / dot(Y[i], S[i]);
      const al = rho * dot(S[i], q);
      alphas.push(al);
      for (let j = 0; j < 3; j++) q[j] -= al * Y[i][j];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1;
    for (let j = 0; j < 3; j++) q[j] *= gamma;
    for (let i = 0; i < S.length; i++) {
      const rho = 1 / dot(Y[i], S[i]);
      const b = rho * dot(Y[i], q);
      const al = alphas[S.length - 1 - i];
      for (let j = 0; j < 3; j++) q[j] += S[i][j] * (al - b);
    }
    let d = q.map((x) => -x);
    if (dot(d, cur.grad) >= 0) d = cur.grad.map((x) => -x); // not a descent direction: steepest descent
    // backtracking Armijo
    let step = 1;
    let next = f(theta.map((t, j) => t + step * d[j]));
    const slope = dot(d, cur.grad);
    while (next.value > cur.value + 1e-4 * step * slope && step > 1e-10) {
      step *= 0.5;
      next = f(theta.map((t, j) => t + step * d[j]));
    }
    if (!(next.value < cur.value) && step <= 1e-10) break;
    const s = d.map((x) => step * x);
    const y = next.grad.map((g, j) => g - cur.grad[j]);
    theta = theta.map((t, j) => t + s[j]);
    cur = next;
    if (dot(s, y) > 1e-12) {
      S.push(s); Y.push(y);
      if (S.length > memory) { S.shift(); Y.shift(); }
    }
  }
  return { theta, value: cur.value };
}

/**
 * The best fit over the official grid of starting points (`fit_scaling_law`), or null when a
 * fit is not finite (`check_valid`).
 *
 * @example
 * fitScalingLaw([100, 200, 400], [3.1, 2.8, 2.6]);
 */
export function fitScalingLaw(n: ArrayLike<number>, L: ArrayLike<number>): ScalingLaw | null {
  let best: { theta: number[]; value: number } | null = null;
  for (let ia = 0; ia < 8; ia++) for (let ie = 0; ie < 8; ie++) for (let ial = 0; ial < 8; ial++) {
    const r = lbfgs([-2 + ia, -2 + 0.5 * ie, 0.1 * ial], (t) => scalingLawObjective(t, n, L));
    if (Number.isFinite(r.value) && (best === null || r.value < best.value)) best = r;
  }
  if (!best || !best.theta.every(Number.isFinite)) return null;
  return { a: best.theta[0], e: best.theta[1], alpha: best.theta[2] };
}
