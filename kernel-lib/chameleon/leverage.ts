/**
 * Chameleon step 4 — kernel ridge leverage scores (KRLS).
 *
 * With the centred affinity K_c (k × k) and ridge c = λ·k, domain i's score is
 *   S_i = [K_c (K_c + c·I)⁻¹]_ii,
 * the i-th diagonal entry of the kernel ridge "hat" matrix. In the eigenbasis of K_c
 * (eigenvalues μ_m, unit eigenvectors u_m) this is Σ_m u_mi² · μ_m / (μ_m + c): how much of
 * the kernel's spread domain i alone accounts for. A domain that shares the directions of
 * many others gets a small score (its mass is split); a distinctive domain gets a large one.
 * The official code (LIONS-EPFL/Chameleon, λ = 10, ridge λ·k) then normalises S to sum to 1.
 *
 * Because K_c and (K_c + cI)⁻¹ commute (same eigenvectors), the diagonal is computed from
 * one linear solve, M = (K_c + cI)⁻¹ K_c, with `ml-matrix`'s LU decomposition (k ≤ ~100).
 */
import { EigenvalueDecomposition, LuDecomposition, Matrix } from "ml-matrix";
import { MixlabError } from "../util/errors.js";
import { assertSymmetricKernel, type MatrixRows } from "./affinity.js";

/** Options of `ridgeLeverageScores`. */
export interface LeverageOptions {
  /** Ridge strength λ > 0; the ridge added to K_c is λ·k (official: 10 → 70 for k = 7). */
  lambda?: number;
  /** Divide S by ΣS (official code since commit 159d9e1). Default true. */
  normalize?: boolean;
  /** Added as ε·I to K_c + λkI when the LU solve finds it singular (default 1e-9). */
  singularRidge?: number;
  /** Relative tolerance of the symmetry check on K_c (default 1e-9). */
  symmetryTol?: number;
  /**
   * A raw score below −negativeTol is an error (`KERNEL_NOT_PSD`); scores in [−negativeTol, 0)
   * are round-off and clamped to 0. Default 1e-10. Only a kernel given directly (not built from
   * embeddings) can be indefinite enough to trip this: eigenvalues in (−λk, 0), e.g. from a
   * rounded hand-typed matrix, are tolerated as long as every score stays ≥ 0; an eigenvalue
   * ≤ −λk is always an error (K_c + λkI is then not positive definite: no ridge regression).
   */
  negativeTol?: number;
}

function solveShifted(Kc: Matrix, shift: number, singularRidge: number): Matrix {
  const k = Kc.rows;
  const A = Kc.clone();
  for (let i = 0; i < k; i++) A.set(i, i, A.get(i, i) + shift);
  let lu = new LuDecomposition(A);
  if (lu.isSingular()) {
    // Reachable only when round-off puts an eigenvalue of K_c at −λk (a hand-made indefinite
    // kernel at the edge of the eigenvalue check): add the tiny ridge and retry once.
    for (let i = 0; i < k; i++) A.set(i, i, A.get(i, i) + singularRidge);
    lu = new LuDecomposition(A);
    if (lu.isSingular()) {
      throw new MixlabError("KERNEL_SINGULAR", `K_c + λk·I is singular even after adding ${singularRidge}·I`);
    }
  }
  return lu.solve(Kc);
}

/**
 * Kernel ridge leverage scores of a centred kernel: S_i = [K_c (K_c + λ·k·I)⁻¹]_ii, then (by
 * default) S ← S / ΣS. Kc: k × k symmetric (k ≥ 2) → S: length k, each raw score in [0, 1).
 *
 * Errors: `TOO_FEW_DOMAINS` (k < 2), `BAD_LAMBDA` (λ not finite or ≤ 0), kernel shape errors
 * (`KERNEL_NOT_SQUARE`, `KERNEL_NOT_SYMMETRIC`, `NON_FINITE`, …), `KERNEL_NOT_PSD` (a clearly
 * negative score), `DEGENERATE_KERNEL` (ΣS = 0: all domains have the same embedding).
 *
 * @example
 * // two domains at ±1: K_c = [[1,-1],[-1,1]], eigenvalue 2, ridge 10·2 = 20 → S_i = 1/22
 * ridgeLeverageScores([[1, -1], [-1, 1]], { lambda: 10, normalize: false }); // [0.04545…, 0.04545…]
 * ridgeLeverageScores([[1, -1], [-1, 1]]);                                   // [0.5, 0.5]
 */
export function ridgeLeverageScores(Kc: MatrixRows, opts: LeverageOptions = {}): Float64Array {
  const lambda = opts.lambda ?? 10;
  const singularRidge = opts.singularRidge ?? 1e-9;
  const negativeTol = opts.negativeTol ?? 1e-10;
  if (!Number.isFinite(lambda) || lambda <= 0) {
    throw new MixlabError("BAD_LAMBDA", `lambda must be a finite number > 0, got ${lambda}`);
  }
  const k = assertSymmetricKernel(Kc, opts.symmetryTol ?? 1e-9, "centred kernel");
  if (k < 2) throw new MixlabError("TOO_FEW_DOMAINS", `leverage scores need at least 2 domains, got ${k}`);

  const KcM = new Matrix(Kc.map((r) => Array.from(r)));
  const shift = lambda * k;
  const minEig = Math.min(...new EigenvalueDecomposition(KcM, { assumeSymmetric: true }).realEigenvalues);
  if (minEig <= -shift) {
    throw new MixlabError(
      "KERNEL_NOT_PSD",
      `centred kernel has eigenvalue ${minEig} ≤ −λk = ${-shift}: it is not an inner-product kernel and the ridge cannot regularise it`,
    );
  }
  const M = solveShifted(KcM, shift, singularRidge); // (K_c + λkI)⁻¹ K_c, k × k
  const S = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const s = M.get(i, i);
    if (!Number.isFinite(s)) throw new MixlabError("KERNEL_SINGULAR", `leverage of domain ${i} is ${s}`);
    if (s < -negativeTol) {
      throw new MixlabError(
        "KERNEL_NOT_PSD",
        `leverage of domain ${i} is ${s} < 0: the centred kernel is not positive semi-definite (not an inner-product kernel)`,
      );
    }
    S[i] = Math.max(0, s);
  }
  return opts.normalize === false ? S : normalizeLeverage(S);
}

/**
 * S ← S / ΣS (the official code's normalisation). Errors: `NON_FINITE`, `DEGENERATE_KERNEL`
 * when ΣS ≤ 0 (every score is 0: the centred kernel is zero, all domains embed identically).
 *
 * @example
 * normalizeLeverage(Float64Array.of(0.1, 0.3)); // [0.25, 0.75]
 */
export function normalizeLeverage(S: ArrayLike<number>): Float64Array {
  let sum = 0;
  for (let i = 0; i < S.length; i++) {
    if (!Number.isFinite(S[i])) throw new MixlabError("NON_FINITE", `leverage[${i}] is ${S[i]}`);
    sum += S[i];
  }
  if (!(sum > 0)) {
    throw new MixlabError(
      "DEGENERATE_KERNEL",
      `leverage scores sum to ${sum}: the centred kernel is zero (all domains have the same embedding?)`,
    );
  }
  return Float64Array.from(S, (s) => s / sum);
}
