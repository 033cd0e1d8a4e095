/**
 * Savitzky–Golay smoothing as `scipy.signal.savgol_filter(x, window, order)` with its default
 * `mode="interp"`: each point is the value at that point of the degree-`order` least-squares
 * polynomial over the window centred on it; within half a window of either end, the polynomial
 * of the first (last) window is evaluated instead. (Centred, that is the usual convolution.)
 */
import { MixlabError } from "../util/errors.js";

/** Solve the small dense system M·x = b in place (Gaussian elimination, partial pivoting). */
function solveSmall(M: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let j = c; j < n; j++) M[r][j] -= f * M[c][j];
      b[r] -= f * b[c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < n; j++) s -= M[r][j] * x[j];
    x[r] = s / M[r][r];
  }
  return x;
}

/** Least-squares polynomial of degree `order` through x[lo..lo+w), evaluated at `at` (indices). */
function localFit(x: ArrayLike<number>, lo: number, w: number, order: number, at: number): number {
  const h = (w - 1) / 2;
  const n = order + 1;
  const M = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const b = new Array<number>(n).fill(0);
  for (let i = 0; i < w; i++) {
    const t = (i - h) / Math.max(h, 1); // centred and scaled for conditioning
    const pw = [1];
    for (let p = 1; p < 2 * n; p++) pw.push(pw[p - 1] * t);
    for (let r = 0; r < n; r++) {
      b[r] += pw[r] * x[lo + i];
      for (let c = 0; c < n; c++) M[r][c] += pw[r + c];
    }
  }
  const coef = solveSmall(M, b);
  const t = (at - lo - h) / Math.max(h, 1);
  return coef.reduceRight((acc, c) => acc * t + c, 0);
}

/**
 * @example
 * savgolFilter(losses, 101, 3); // same length, smoothed
 */
export function savgolFilter(x: ArrayLike<number>, window: number, order: number): Float64Array {
  if (window % 2 !== 1 || window <= order) throw new MixlabError("ADO_BAD_CONFIG", `the Savitzky–Golay window must be odd and larger than the order, got window ${window}, order ${order}`);
  if (window > x.length) throw new MixlabError("ADO_BAD_CONFIG", `the Savitzky–Golay window ${window} is longer than the ${x.length} losses`);
  const T = x.length;
  const h = (window - 1) / 2;
  return Float64Array.from({ length: T }, (_, i) => localFit(x, Math.min(Math.max(i - h, 0), T - window), window, order, i));
}
