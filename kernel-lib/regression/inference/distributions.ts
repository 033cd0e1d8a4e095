/**
 * The two distribution functions the inference module needs beyond @stdlib's t quantile
 * (`intervals.ts`): the standard normal quantile and Student's t tail probability.
 *
 * Normal quantile Φ⁻¹(p): Wichura's AS241 "PPND16" (Applied Statistics 37(3), 477–484, 1988),
 * three rational approximations — |p − ½| ≤ 0.425, then r = √(−ln min(p, 1 − p)) ≤ 5 and > 5 —
 * accurate to about 1e-16 relative. The coefficients are those of CPython's
 * `statistics.NormalDist.inv_cdf`, which implements the same algorithm.
 *
 * Student's t tail, integer degrees of freedom ν (a paired test over n seeds has ν = n − 1):
 * with θ = atan(|t|/√ν), c = cos²θ = ν/(ν + t²) and s = sin θ, the probability
 * A(t|ν) = P(|T| ≤ |t|) has the finite series of Abramowitz & Stegun 26.7.3–26.7.4:
 *   ν odd:  A = (2/π)·(θ + s·cos θ·[1 + (2/3)c + (2·4)/(3·5)c² + … + (2·4⋯(ν−3))/(3·5⋯(ν−2))·c^((ν−3)/2)])
 *           (ν = 1: A = 2θ/π, the Cauchy distribution)
 *   ν even: A = s·[1 + (1/2)c + (1·3)/(2·4)c² + … + (1·3⋯(ν−3))/(2·4⋯(ν−2))·c^((ν−2)/2)]
 * and the two-sided p-value is 1 − A. The series is exact (no approximation error); 1 − A
 * loses relative precision only for p far below 1e-10, where no multiplicity decision changes.
 */
import { MixlabError } from "../../util/errors.js";

/**
 * Standard normal quantile Φ⁻¹(p) (AS241). p = 0 → −∞, p = 1 → +∞, outside [0, 1] → NaN.
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num = (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r + 1.3314166789178437745e2) * r + 3.387132872796366608) * q;
    const den = ((((((5.226495278852854561e3 * r + 2.8729085735721942674e4) * r + 3.930789580009271061e4) * r + 2.1213794301586595867e4) * r + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r + 4.2313330701600911252e1) * r + 1.0;
    return num / den;
  }
  let r = Math.sqrt(-Math.log(q <= 0 ? p : 1 - p));
  let num: number, den: number;
  if (r <= 5) {
    r -= 1.6;
    num = ((((((7.7454501427834140764e-4 * r + 2.27238449892691845833e-2) * r + 2.4178072517745061177e-1) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734;
    den = ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 1.51986665636164571966e-2) * r + 1.4810397642748007459e-1) * r + 6.8976733498510000455e-1) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1.0;
  } else {
    r -= 5;
    num = ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.2426609473880784386e-3) * r + 2.6532189526576123093e-2) * r + 2.9656057182850489123e-1) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772;
    den = ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 1.4875361290850615025e-2) * r + 1.3692988092273580531e-1) * r + 5.9983220655588793769e-1) * r + 1.0;
  }
  const x = num / den;
  return q < 0 ? -x : x;
}

/**
 * Two-sided p-value of Student's t statistic with integer ν ≥ 1 degrees of freedom,
 * P(|T| ≥ |t|) = 1 − A(t|ν) (A&S 26.7.3–4). t = ±∞ → 0; t NaN → NaN.
 *
 * @example
 * tTwoSidedP(4.302652729749464, 2); // 0.05 (t.ppf(0.975, 2) = 4.3027)
 */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new MixlabError("STATS_BAD_DF", `the t tail needs an integer number of degrees of freedom ≥ 1, got ${df}`);
  if (Number.isNaN(t)) return Number.NaN;
  const a = Math.abs(t);
  if (a === Infinity) return 0;
  const theta = Math.atan(a / Math.sqrt(df));
  const c = df / (df + a * a); // cos²θ
  const s = Math.sin(theta);
  let A: number;
  if (df % 2 === 1) {
    // 1 + (2/3)c + (2·4)/(3·5)c² + …: term k+1 = term k · c · 2k/(2k+1)
    let sum = 0;
    if (df > 1) {
      let term = 1;
      sum = 1;
      for (let k = 1; k <= (df - 3) / 2; k++) { term *= c * (2 * k) / (2 * k + 1); sum += term; }
    }
    A = (2 / Math.PI) * (theta + s * Math.cos(theta) * sum);
  } else {
    // 1 + (1/2)c + (1·3)/(2·4)c² + …: term k+1 = term k · c · (2k−1)/(2k)
    let term = 1, sum = 1;
    for (let k = 1; k <= (df - 2) / 2; k++) { term *= c * (2 * k - 1) / (2 * k); sum += term; }
    A = s * sum;
  }
  return Math.min(1, Math.max(0, 1 - A));
}
