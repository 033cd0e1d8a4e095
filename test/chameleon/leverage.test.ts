import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { centerKernel, linearKernel, normalizeLeverage, ridgeLeverageScores } from "../../kernel-lib/chameleon/index.js";
import { errorCode, randomEmbeddings } from "./helpers.js";

describe("ridgeLeverageScores", () => {
  it("known value: two domains at ±1 → eigenvalue 2, ridge 10·2 → S_i = 1/22", () => {
    const S = ridgeLeverageScores([[1, -1], [-1, 1]], { lambda: 10, normalize: false });
    expect(S[0]).toBeCloseTo(1 / 22, 14);
    expect(S[1]).toBeCloseTo(1 / 22, 14);
    const N = ridgeLeverageScores([[1, -1], [-1, 1]]);
    expect(N[0]).toBeCloseTo(0.5, 15);
    expect(N[1]).toBeCloseTo(0.5, 15);
  });

  it("equals Σ_m u_mi² μ_m/(μ_m + λk) from the eigendecomposition, for several λ", () => {
    const Kc = centerKernel(linearKernel(randomEmbeddings(10, 6, 11)));
    const eig = new EigenvalueDecomposition(new Matrix(Kc.map((r) => Array.from(r))), { assumeSymmetric: true });
    const mu = eig.realEigenvalues;
    const U = eig.eigenvectorMatrix;
    for (const lambda of [0.01, 1, 10, 1000]) {
      const S = ridgeLeverageScores(Kc, { lambda, normalize: false });
      for (let i = 0; i < 10; i++) {
        let ref = 0;
        for (let m = 0; m < 10; m++) ref += U.get(i, m) ** 2 * (mu[m] / (mu[m] + lambda * 10));
        expect(Math.abs(S[i] - ref)).toBeLessThan(1e-10);
        expect(S[i]).toBeGreaterThanOrEqual(0);
        expect(S[i]).toBeLessThan(1);
      }
    }
  });

  it("raw scores fall as λ grows; the sum tends to the rank (k−1) as λ → 0", () => {
    const Kc = centerKernel(linearKernel(randomEmbeddings(6, 20, 12)));
    const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
    const s1 = ridgeLeverageScores(Kc, { lambda: 1, normalize: false });
    const s10 = ridgeLeverageScores(Kc, { lambda: 10, normalize: false });
    for (let i = 0; i < 6; i++) expect(s10[i]).toBeLessThan(s1[i]);
    // centred kernel of 6 points in general position has rank 5
    expect(sum(ridgeLeverageScores(Kc, { lambda: 1e-9, normalize: false }))).toBeCloseTo(5, 5);
  });

  it("normalised scores sum to 1", () => {
    const S = ridgeLeverageScores(centerKernel(linearKernel(randomEmbeddings(5, 3, 13))));
    expect(Math.abs(S.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    const n = normalizeLeverage([0.1, 0.3]);
    expect(n[0]).toBeCloseTo(0.25, 15);
    expect(n[1]).toBeCloseTo(0.75, 15);
  });

  it("indefinite kernels: eigenvalue ≤ −λk (incl. an exactly singular K_c + λkI) or a negative score → KERNEL_NOT_PSD", () => {
    // [[−10,10],[10,−10]]: eigenvalues 0 and −20 = −λk (k = 2, λ = 10), K_c + 20I singular
    expect(errorCode(() => ridgeLeverageScores([[-10, 10], [10, -10]], { lambda: 10, normalize: false }))).toBe("KERNEL_NOT_PSD");
    // eigenvalue −50 < −20: μ/(μ+c) would be a positive 5/3, so only the eigenvalue check catches it
    expect(errorCode(() => ridgeLeverageScores([[-25, 25], [25, -25]], { lambda: 10, normalize: false }))).toBe("KERNEL_NOT_PSD");
    // eigenvalue −10 in (−20, 0): score 0.5·(−10/10) = −0.5 < 0
    expect(errorCode(() => ridgeLeverageScores([[-5, 5], [5, -5]], { lambda: 10, normalize: false }))).toBe("KERNEL_NOT_PSD");
  });

  it("mild indefiniteness (a rounded matrix) is tolerated while every score stays ≥ 0", () => {
    // flip the smallest non-zero eigenvalue μ of a centred kernel to −1 (|−1| ≪ λk = 60)
    const Kc = centerKernel(linearKernel(randomEmbeddings(6, 10, 14)).map((r) => r.map((v) => 20 * v)));
    const eig = new EigenvalueDecomposition(new Matrix(Kc.map((r) => Array.from(r))), { assumeSymmetric: true });
    const m = 1; // ascending order; index 0 is the ~0 eigenvalue of the all-ones direction
    const mu = eig.realEigenvalues[m];
    expect(mu).toBeGreaterThan(1);
    const u = eig.eigenvectorMatrix.getColumn(m);
    const indefinite = Kc.map((r, i) => r.map((v, j) => v - (mu + 1) * u[i] * u[j]));
    const S = ridgeLeverageScores(indefinite, { normalize: false });
    for (const s of S) expect(s).toBeGreaterThanOrEqual(0);
  });

  it("named errors: λ ≤ 0, fewer than 2 domains, non-symmetric, indefinite, degenerate", () => {
    const Kc = [[1, -1], [-1, 1]];
    expect(errorCode(() => ridgeLeverageScores(Kc, { lambda: 0 }))).toBe("BAD_LAMBDA");
    expect(errorCode(() => ridgeLeverageScores(Kc, { lambda: -1 }))).toBe("BAD_LAMBDA");
    expect(errorCode(() => ridgeLeverageScores(Kc, { lambda: NaN }))).toBe("BAD_LAMBDA");
    expect(errorCode(() => ridgeLeverageScores([[1]]))).toBe("TOO_FEW_DOMAINS");
    expect(errorCode(() => ridgeLeverageScores([[1, 0.5], [0, 1]]))).toBe("KERNEL_NOT_SYMMETRIC");
    expect(errorCode(() => ridgeLeverageScores([[0, 0], [0, 0]]))).toBe("DEGENERATE_KERNEL");
  });
});
