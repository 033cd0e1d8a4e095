/**
 * The shared input shape of the regressors: a design matrix given either as one `Float64Array`
 * per row (n rows × d features) or as one flat row-major `Float64Array` of n·d numbers (so
 * callers can predict a million candidate mixtures without a million small arrays).
 */
import { MixlabError } from "../util/errors.js";

/** Rows of features: `Float64Array[]` (n × d) or a flat row-major `Float64Array` (n·d). */
export type FeatureMatrix = Float64Array[] | Float64Array;

/**
 * View a design as one array per row. A flat input is split into `n` rows (subarray views, no
 * copy), so its length must be a multiple of `n`.
 *
 * @example
 * rowsOf(Float64Array.of(1, 2, 3, 4), 2); // [Float64Array [1, 2], Float64Array [3, 4]]
 */
export function rowsOf(X: FeatureMatrix, n: number): Float64Array[] {
  if (!(X instanceof Float64Array)) return X;
  if (n <= 0 || X.length % n !== 0) throw new MixlabError("DESIGN_SHAPE", `flat design of length ${X.length} does not split into ${n} rows`);
  const d = X.length / n;
  return Array.from({ length: n }, (_, i) => X.subarray(i * d, (i + 1) * d));
}

/**
 * Check that rows and targets agree: n ≥ 1 rows of equal width, every value finite.
 * Returns the shape.
 *
 * @example
 * checkDesign([Float64Array.of(0.5, 0.5)], [1], "fit"); // { n: 1, d: 2 }
 */
export function checkDesign(rows: Float64Array[], y: ArrayLike<number>, who: string): { n: number; d: number } {
  const n = rows.length;
  if (n === 0) throw new MixlabError("DESIGN_EMPTY", `${who}: no training rows`);
  if (y.length !== n) throw new MixlabError("DESIGN_SHAPE", `${who}: ${n} rows but ${y.length} targets`);
  const d = rows[0].length;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.length !== d) throw new MixlabError("DESIGN_SHAPE", `${who}: row ${i} has ${r.length} features, row 0 has ${d}`);
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(r[j])) throw new MixlabError("DESIGN_NOT_FINITE", `${who}: row ${i}, feature ${j} is ${r[j]}`);
    }
    if (!Number.isFinite(y[i])) throw new MixlabError("DESIGN_NOT_FINITE", `${who}: target ${i} is ${y[i]}`);
  }
  return { n, d };
}
