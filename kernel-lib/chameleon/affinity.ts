/**
 * Chameleon step 3 — domain affinity.
 *
 * Each of the k domains is one embedding row xᵢ ∈ ℝᵈ (the proxy's mid-layer hidden state,
 * averaged; see `embed.ts`). The affinity of two domains is their inner product, K = X Xᵀ
 * (k × k, a linear kernel), double-centred exactly as sklearn's `KernelCenterer` does:
 * K_c = H K H with H = I − 11ᵀ/k. Centring makes the kernel that of the embeddings minus their
 * mean, so a shift shared by every domain (a direction all of them have) carries no affinity;
 * what is left is how each domain sits relative to the average domain.
 *
 * Matrices are plain row-major `Float64Array[]` (one typed array per row) so notebooks, the
 * CLI and tests can pass them around without a matrix library.
 */
import { MixlabError } from "../util/errors.js";

/** A rectangular matrix as rows; inputs may be `number[][]` or typed arrays. */
export type MatrixRows = ReadonlyArray<ArrayLike<number>>;

/**
 * Check that `X` (k × d) is a non-empty rectangular matrix of finite numbers and return its
 * width d. `what` names the matrix in error messages.
 *
 * Errors: `EMPTY_MATRIX` (no rows or zero-width rows), `RAGGED_ROWS`, `NON_FINITE`.
 *
 * @example
 * assertFiniteMatrix([[1, 2], [3, 4]], "embeddings"); // 2
 */
export function assertFiniteMatrix(X: MatrixRows, what = "matrix"): number {
  if (!Array.isArray(X) || X.length === 0) throw new MixlabError("EMPTY_MATRIX", `${what}: no rows`);
  const d = X[0].length;
  if (!(d > 0)) throw new MixlabError("EMPTY_MATRIX", `${what}: row 0 is empty`);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    if (row.length !== d) {
      throw new MixlabError("RAGGED_ROWS", `${what}: row ${i} has ${row.length} entries, row 0 has ${d}`);
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(row[j])) {
        throw new MixlabError("NON_FINITE", `${what}: entry [${i}][${j}] is ${row[j]}, expected a finite number`);
      }
    }
  }
  return d;
}

/**
 * Check that `K` is a square (k × k), finite, symmetric matrix. Symmetry is tested with a
 * relative tolerance: |K_ij − K_ji| ≤ tol · max(1, max|K|).
 *
 * Errors: those of `assertFiniteMatrix`, `KERNEL_NOT_SQUARE`, `KERNEL_NOT_SYMMETRIC`.
 *
 * @example
 * assertSymmetricKernel([[2, 1], [1, 2]]); // 2 (= k)
 */
export function assertSymmetricKernel(K: MatrixRows, tol = 1e-9, what = "kernel"): number {
  const d = assertFiniteMatrix(K, what);
  const k = K.length;
  if (d !== k) throw new MixlabError("KERNEL_NOT_SQUARE", `${what}: ${k} rows but ${d} columns; a kernel is k × k`);
  let scale = 1;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) scale = Math.max(scale, Math.abs(K[i][j]));
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      if (Math.abs(K[i][j] - K[j][i]) > tol * scale) {
        throw new MixlabError(
          "KERNEL_NOT_SYMMETRIC",
          `${what}: K[${i}][${j}] = ${K[i][j]} but K[${j}][${i}] = ${K[j][i]} (tolerance ${tol} × ${scale})`,
        );
      }
    }
  }
  return k;
}

/**
 * Linear kernel of domain embeddings: K = X Xᵀ, K_ij = ⟨xᵢ, xⱼ⟩.
 * X: k × d (one row per domain) → K: k × k, symmetric positive semi-definite.
 *
 * @example
 * linearKernel([Float64Array.of(1, 0), Float64Array.of(1, 1)]);
 * // [Float64Array [1, 1], Float64Array [1, 2]]
 */
export function linearKernel(X: MatrixRows): Float64Array[] {
  const d = assertFiniteMatrix(X, "embeddings");
  const k = X.length;
  const K = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < k; i++) {
    const xi = X[i];
    for (let j = i; j < k; j++) {
      const xj = X[j];
      let s = 0;
      for (let t = 0; t < d; t++) s += xi[t] * xj[t];
      K[i][j] = s;
      K[j][i] = s; // fill both triangles from one sum so K is exactly symmetric
    }
  }
  return K;
}

/**
 * Double-centre a kernel: K_c = H K H, H = I − 11ᵀ/k, i.e.
 * K_c[i][j] = K[i][j] − mean_row_i − mean_col_j + grand_mean (sklearn `KernelCenterer`).
 * For K = X Xᵀ this equals the linear kernel of the mean-centred embeddings. K: k × k → k × k.
 * `symmetryTol` is the relative tolerance of the symmetry check (see `assertSymmetricKernel`).
 *
 * @example
 * centerKernel([[1, -1], [-1, 1]]); // unchanged: rows already sum to 0
 * centerKernel([[2, 1], [1, 2]]);   // [[0.5, -0.5], [-0.5, 0.5]]
 */
export function centerKernel(K: MatrixRows, opts: { symmetryTol?: number } = {}): Float64Array[] {
  const k = assertSymmetricKernel(K, opts.symmetryTol ?? 1e-9);
  const rowMean = new Float64Array(k);
  const colMean = new Float64Array(k);
  let grand = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      rowMean[i] += K[i][j];
      colMean[j] += K[i][j];
    }
  }
  for (let i = 0; i < k; i++) {
    grand += rowMean[i];
    rowMean[i] /= k;
    colMean[i] /= k;
  }
  grand /= k * k;
  const Kc = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) Kc[i][j] = K[i][j] - rowMean[i] - colMean[j] + grand;
  }
  return Kc;
}
