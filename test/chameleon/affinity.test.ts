import { Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { centerKernel, linearKernel } from "../../kernel-lib/chameleon/index.js";
import { errorCode, randomEmbeddings } from "./helpers.js";

const maxAbsDiff = (A: ArrayLike<number>[], B: ArrayLike<number>[]) => {
  let m = 0;
  A.forEach((r, i) => Array.from(r).forEach((v, j) => (m = Math.max(m, Math.abs(v - B[i][j])))));
  return m;
};

describe("linearKernel", () => {
  it("computes inner products (known values) and is exactly symmetric", () => {
    const K = linearKernel([[1, 0, 2], [0, 3, 1], [1, 1, 1]]);
    expect(K.map((r) => Array.from(r))).toEqual([[5, 2, 3], [2, 10, 4], [3, 4, 3]]);
  });

  it("equals X Xᵀ from ml-matrix on random data", () => {
    const X = randomEmbeddings(9, 17, 1);
    const ref = new Matrix(X.map((r) => Array.from(r))).mmul(new Matrix(X.map((r) => Array.from(r))).transpose()).to2DArray();
    expect(maxAbsDiff(linearKernel(X), ref)).toBeLessThan(1e-12);
  });

  it("rejects NaN, ragged rows and empty input with named errors", () => {
    expect(errorCode(() => linearKernel([[1, NaN], [0, 1]]))).toBe("NON_FINITE");
    expect(errorCode(() => linearKernel([[1, Infinity], [0, 1]]))).toBe("NON_FINITE");
    expect(errorCode(() => linearKernel([[1, 2], [0]]))).toBe("RAGGED_ROWS");
    expect(errorCode(() => linearKernel([]))).toBe("EMPTY_MATRIX");
  });
});

describe("centerKernel", () => {
  it("matches H K H with H = I − 11ᵀ/k (explicit matrix product)", () => {
    const K = linearKernel(randomEmbeddings(6, 5, 2));
    const k = 6;
    const H = Matrix.eye(k).sub(Matrix.ones(k, k).div(k));
    const ref = H.mmul(new Matrix(K.map((r) => Array.from(r)))).mmul(H).to2DArray();
    expect(maxAbsDiff(centerKernel(K), ref)).toBeLessThan(1e-12);
  });

  it("known value: [[2,1],[1,2]] → [[0.5,-0.5],[-0.5,0.5]]; rows and columns of K_c sum to 0", () => {
    expect(centerKernel([[2, 1], [1, 2]]).map((r) => Array.from(r))).toEqual([[0.5, -0.5], [-0.5, 0.5]]);
    const Kc = centerKernel(linearKernel(randomEmbeddings(8, 4, 3)));
    for (const row of Kc) expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
  });

  it("equals the linear kernel of mean-centred embeddings, so a shared shift does not matter", () => {
    const X = randomEmbeddings(7, 5, 4);
    const shifted = X.map((r) => r.map((v, j) => v + 10 * (j + 1)));
    const mean = new Float64Array(5);
    X.forEach((r) => r.forEach((v, j) => (mean[j] += v / 7)));
    const centred = X.map((r) => r.map((v, j) => v - mean[j]));
    expect(maxAbsDiff(centerKernel(linearKernel(X)), linearKernel(centred))).toBeLessThan(1e-12);
    expect(maxAbsDiff(centerKernel(linearKernel(shifted)), linearKernel(centred))).toBeLessThan(1e-9);
  });

  it("rejects non-square and non-symmetric kernels", () => {
    expect(errorCode(() => centerKernel([[1, 2, 3], [2, 1, 0]]))).toBe("KERNEL_NOT_SQUARE");
    expect(errorCode(() => centerKernel([[1, 2], [2.1, 1]]))).toBe("KERNEL_NOT_SYMMETRIC");
    expect(errorCode(() => centerKernel([[1, NaN], [NaN, 1]]))).toBe("NON_FINITE");
    // round-off asymmetry within the relative tolerance is accepted
    expect(() => centerKernel([[1e6, 2e6], [2e6 + 1e-4, 1e6]])).not.toThrow();
  });
});
