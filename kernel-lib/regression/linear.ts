/**
 * Ordinary least squares with an intercept, solved by SVD (a pseudo-inverse solve), so a
 * rank-deficient design is fine: with an intercept, mixture columns that sum to 1 are exactly
 * collinear. We centre X and y (which absorbs the intercept), take the SVD of the centred
 * n×d matrix, drop singular values below `rcond·s_max` and return the minimum-norm solution —
 * the same answer as numpy.linalg.lstsq / sklearn LinearRegression. Predictions on rows that lie
 * in the span of the training design (e.g. on the simplex) are unaffected by the dropped
 * direction.
 */
import { Matrix, SVD } from "ml-matrix";
import { MixlabError } from "../util/errors.js";
import { checkDesign, rowsOf, type FeatureMatrix } from "./design.js";

/** Options for {@link fitLinear}. */
export interface LinearOptions {
  /** Relative cut-off for singular values (default `max(n, d)·ε`, as numpy.linalg.lstsq). */
  rcond?: number;
}

/** A serialised {@link LinearModel}. */
export interface LinearModelJson {
  format: "mixlab-linear";
  version: 1;
  intercept: number;
  coef: number[];
  rank: number;
}

/** A fitted linear model `y ≈ intercept + coef·x`. */
export interface LinearModel {
  readonly kind: "linear";
  readonly numFeatures: number;
  readonly intercept: number;
  /** d coefficients (minimum-norm when the design is rank-deficient). */
  readonly coef: Float64Array;
  /** Numerical rank of the centred design. */
  readonly rank: number;
  /** Predict rows: `Float64Array[]` (one per row) or a flat row-major N×d `Float64Array`. */
  predict(X: FeatureMatrix, out?: Float64Array): Float64Array;
  predictOne(row: ArrayLike<number>): number;
  toJSON(): LinearModelJson;
}

class LinearModelImpl implements LinearModel {
  readonly kind = "linear" as const;
  readonly numFeatures: number;
  constructor(readonly intercept: number, readonly coef: Float64Array, readonly rank: number) {
    this.numFeatures = coef.length;
  }
  predictOne(row: ArrayLike<number>): number {
    let s = this.intercept;
    for (let j = 0; j < this.coef.length; j++) s += this.coef[j] * row[j];
    return s;
  }
  predict(X: FeatureMatrix, out?: Float64Array): Float64Array {
    const d = this.numFeatures;
    if (X instanceof Float64Array) {
      if (X.length % d !== 0) throw new MixlabError("PREDICT_SHAPE", `flat input of length ${X.length} is not a multiple of ${d} features`);
      const n = X.length / d;
      const res = out ?? new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = this.intercept;
        const o = i * d;
        for (let j = 0; j < d; j++) s += this.coef[j] * X[o + j];
        res[i] = s;
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
  toJSON(): LinearModelJson {
    return { format: "mixlab-linear", version: 1, intercept: this.intercept, coef: Array.from(this.coef), rank: this.rank };
  }
}

/**
 * Fit OLS with intercept by an SVD pseudo-inverse solve (handles collinear designs).
 *
 * @example
 * const m = fitLinear([Float64Array.of(0, 1), Float64Array.of(1, 0), Float64Array.of(0.5, 0.5)], Float64Array.of(1, 3, 2));
 * m.predictOne([0.25, 0.75]); // 1.5
 */
export function fitLinear(X: FeatureMatrix, y: ArrayLike<number>, opts: LinearOptions = {}): LinearModel {
  return fitLinearTargets(X, [y], opts)[0];
}

/**
 * One OLS fit per target over the same design, sharing one SVD of the centred design (the
 * RegMix study fits every domain's loss on the same mixtures, thousands of times when
 * bootstrapping). Each model equals `fitLinear(X, ys[t])` bit for bit.
 *
 * @example
 * const [books, code] = fitLinearTargets(X, [lossBooks, lossCode]);
 */
export function fitLinearTargets(X: FeatureMatrix, ys: readonly ArrayLike<number>[], opts: LinearOptions = {}): LinearModel[] {
  if (ys.length === 0) return [];
  const rows = rowsOf(X, ys[0].length);
  const { n, d } = checkDesign(rows, ys[0], "fitLinear");
  for (const y of ys) checkDesign(rows, y, "fitLinear");
  const xMean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xMean[j] += rows[i][j];
  for (let j = 0; j < d; j++) xMean[j] /= n;
  const yMeans = ys.map((y) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += y[i];
    return m / n;
  });
  const coefs = ys.map(() => new Float64Array(d));
  let rank = 0;
  if (n > 1 && d > 0) {
    // Centred design Xc (n×d); each target centred by its own mean.
    const xc = new Matrix(n, d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xc.set(i, j, rows[i][j] - xMean[j]);
    const svd = new SVD(xc, { computeLeftSingularVectors: true, computeRightSingularVectors: true, autoTranspose: true });
    const U = svd.leftSingularVectors; // n×k
    const V = svd.rightSingularVectors; // d×k
    const s = svd.diagonal; // k singular values, descending
    const rcond = opts.rcond ?? Math.max(n, d) * Number.EPSILON;
    const cutoff = rcond * (s[0] ?? 0);
    for (let k = 0; k < s.length; k++) {
      if (!(s[k] > cutoff) || s[k] === 0) continue;
      rank++;
      for (let t = 0; t < ys.length; t++) {
        const y = ys[t], yMean = yMeans[t], coef = coefs[t];
        let uty = 0;
        for (let i = 0; i < n; i++) uty += U.get(i, k) * (y[i] - yMean);
        const w = uty / s[k];
        for (let j = 0; j < d; j++) coef[j] += V.get(j, k) * w;
      }
    }
  }
  return coefs.map((coef, t) => {
    let intercept = yMeans[t];
    for (let j = 0; j < d; j++) intercept -= coef[j] * xMean[j];
    return new LinearModelImpl(intercept, coef, rank);
  });
}

/**
 * Rebuild a linear model from {@link LinearModel.toJSON} output.
 *
 * @example
 * const m2 = linearFromJSON(JSON.parse(JSON.stringify(m.toJSON())));
 */
export function linearFromJSON(json: LinearModelJson): LinearModel {
  if (json?.format !== "mixlab-linear" || !Array.isArray(json.coef)) {
    throw new MixlabError("MODEL_BAD_JSON", "not a mixlab-linear model");
  }
  return new LinearModelImpl(json.intercept, Float64Array.from(json.coef), json.rank);
}
