import { describe, expect, it } from "vitest";
import { addDomains, chameleonWeights, linearKernel } from "../../kernel-lib/chameleon/index.js";
import { createRng } from "../../kernel-lib/util/rng.js";
import { errorCode, figureMatrix, randomEmbeddings } from "./helpers.js";

const names = (k: number) => Array.from({ length: k }, (_, i) => `d${i}`);
const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
const SHAPES: [number, number][] = [[2, 3], [3, 2], [5, 8], [7, 16], [12, 4], [30, 64], [100, 32]];

describe("chameleonWeights invariants", () => {
  it("weights lie on the simplex (sum 1 within 1e-9, all ≥ 0) for many shapes, λ and τ", () => {
    const rng = createRng(21);
    for (const [k, d] of SHAPES) {
      for (const lambda of [0.1, 10, 1000]) {
        const X = randomEmbeddings(k, d, k * 1000 + d);
        const r = chameleonWeights({ domains: names(k), embeddings: X }, { lambda, tauPt: 0.5 + 10 * rng.next(), tauFt: 0.05 + rng.next() });
        for (const w of [r.ptWeights, r.ftWeights, r.leverage]) {
          expect(w).toHaveLength(k);
          expect(Math.abs(sum(w) - 1)).toBeLessThan(1e-9);
          for (const v of w) expect(v).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it("duplicating a domain lowers both copies' leverage (raw and normalised) below the original's", () => {
    for (const [k, d] of SHAPES.slice(0, 6)) {
      for (let seed = 0; seed < 5; seed++) {
        const X = randomEmbeddings(k, d, 7000 + seed * 31 + k);
        const before = chameleonWeights({ domains: names(k), embeddings: X });
        for (let j = 0; j < k; j++) {
          const after = chameleonWeights({ domains: [...names(k), "copy"], embeddings: [...X, X[j]] });
          // the two copies are identical rows, so they score the same
          expect(Math.abs(after.leverageRaw[j] - after.leverageRaw[k])).toBeLessThan(1e-12);
          expect(after.leverageRaw[j]).toBeLessThan(before.leverageRaw[j]);
          expect(after.leverage[j]).toBeLessThan(before.leverage[j]);
          expect(after.leverage[k]).toBeLessThan(before.leverage[j]);
        }
      }
    }
  });

  it("permuting domains permutes leverage and both weight vectors", () => {
    const rng = createRng(33);
    for (const [k, d] of SHAPES) {
      const X = randomEmbeddings(k, d, 90 + k);
      const base = chameleonWeights({ domains: names(k), embeddings: X });
      const perm = rng.shuffle(Array.from({ length: k }, (_, i) => i));
      const r = chameleonWeights({ domains: perm.map((p) => `d${p}`), embeddings: perm.map((p) => X[p]) });
      perm.forEach((p, i) => {
        expect(r.domains[i]).toBe(`d${p}`);
        expect(Math.abs(r.leverage[i] - base.leverage[p])).toBeLessThan(1e-12);
        expect(Math.abs(r.ptWeights[i] - base.ptWeights[p])).toBeLessThan(1e-12);
        expect(Math.abs(r.ftWeights[i] - base.ftWeights[p])).toBeLessThan(1e-12);
      });
    }
  });

  it("the kernel path on X Xᵀ gives the embeddings path's answer; translating all embeddings changes nothing", () => {
    const X = randomEmbeddings(8, 10, 44);
    const a = chameleonWeights({ domains: names(8), embeddings: X });
    const b = chameleonWeights({ domains: names(8), kernel: linearKernel(X) });
    const c = chameleonWeights({ domains: names(8), embeddings: X.map((r) => r.map((v, j) => v + 3 - j)) });
    for (let i = 0; i < 8; i++) {
      expect(Math.abs(a.ptWeights[i] - b.ptWeights[i])).toBeLessThan(1e-14);
      expect(Math.abs(a.ftWeights[i] - c.ftWeights[i])).toBeLessThan(1e-9);
      expect(Math.abs(a.ptWeights[i] - c.ptWeights[i])).toBeLessThan(1e-9);
    }
    expect(a.embeddings).toHaveLength(8);
    expect(b.embeddings).toBeUndefined();
  });

  it("a domain embedded at the centroid has leverage 0 and takes all PT weight (ε = 1e-12, official)", () => {
    const r = chameleonWeights({ domains: ["a", "b", "mid"], embeddings: [[1, 0], [-1, 0], [0, 0]] });
    expect(r.leverageRaw[2]).toBeLessThan(1e-15);
    expect(r.ptWeights[2]).toBeCloseTo(1, 12);
  });
});

describe("addDomains (new data without retraining)", () => {
  it("equals chameleonWeights on the union, existing domains first", () => {
    const X = randomEmbeddings(9, 12, 55);
    const base = chameleonWeights({ domains: names(6), embeddings: X.slice(0, 6) });
    const added = addDomains(base, { domains: ["d6", "d7", "d8"], embeddings: X.slice(6) });
    const union = chameleonWeights({ domains: names(9), embeddings: X });
    expect(added.domains).toEqual(names(9));
    for (let i = 0; i < 9; i++) {
      expect(added.ptWeights[i]).toBe(union.ptWeights[i]);
      expect(added.ftWeights[i]).toBe(union.ftWeights[i]);
    }
    // the old domains' weights do change: the kernel's centre moved
    expect(Math.abs(added.leverage[0] - base.leverage[0])).toBeGreaterThan(1e-6);
    // chaining works because results built from embeddings keep them
    const again = addDomains(added, { domains: ["d9"], embeddings: randomEmbeddings(1, 12, 56) });
    expect(again.domains).toHaveLength(10);
  });

  it("named errors: name clash, width mismatch, count mismatch, kernel-only base", () => {
    const base = chameleonWeights({ domains: ["a", "b"], embeddings: [[1, 0], [0, 1]] });
    expect(errorCode(() => addDomains(base, { domains: ["a"], embeddings: [[1, 1]] }))).toBe("DUPLICATE_DOMAIN");
    expect(errorCode(() => addDomains(base, { domains: ["c"], embeddings: [[1, 1, 1]] }))).toBe("EMBEDDING_DIM_MISMATCH");
    expect(errorCode(() => addDomains(base, { domains: ["c", "d"], embeddings: [[1, 1]] }))).toBe("DOMAIN_COUNT_MISMATCH");
    expect(errorCode(() => addDomains(base, { domains: ["c"], embeddings: [[1, NaN]] }))).toBe("NON_FINITE");
    const fromKernel = chameleonWeights({ domains: ["a", "b"], kernel: [[1, -1], [-1, 1]] });
    expect(errorCode(() => addDomains(fromKernel, { domains: ["c"], embeddings: [[1, 1]] }))).toBe("NO_EMBEDDINGS");
  });
});

describe("chameleonWeights input errors", () => {
  const X = [[1, 0], [0, 1], [1, 1]];
  const D = ["a", "b", "c"];
  it.each([
    ["NaN in embeddings", () => chameleonWeights({ domains: D, embeddings: [[1, 0], [0, NaN], [1, 1]] }), "NON_FINITE"],
    ["ragged rows", () => chameleonWeights({ domains: D, embeddings: [[1, 0], [0, 1, 2], [1, 1]] }), "RAGGED_ROWS"],
    ["non-square kernel", () => chameleonWeights({ domains: D, kernel: [[1, 0], [0, 1], [1, 1]] }), "KERNEL_NOT_SQUARE"],
    ["non-symmetric kernel", () => chameleonWeights({ domains: ["a", "b"], kernel: [[2, 1], [0, 2]] }), "KERNEL_NOT_SYMMETRIC"],
    ["one domain", () => chameleonWeights({ domains: ["a"], embeddings: [[1, 2]] }), "TOO_FEW_DOMAINS"],
    ["λ = 0", () => chameleonWeights({ domains: D, embeddings: X }, { lambda: 0 }), "BAD_LAMBDA"],
    ["λ < 0", () => chameleonWeights({ domains: D, embeddings: X }, { lambda: -10 }), "BAD_LAMBDA"],
    ["τ_pt = 0", () => chameleonWeights({ domains: D, embeddings: X }, { tauPt: 0 }), "BAD_TEMPERATURE"],
    ["τ_ft < 0", () => chameleonWeights({ domains: D, embeddings: X }, { tauFt: -0.2 }), "BAD_TEMPERATURE"],
    ["duplicate names", () => chameleonWeights({ domains: ["a", "b", "a"], embeddings: X }), "DUPLICATE_DOMAIN"],
    ["empty name", () => chameleonWeights({ domains: ["a", "", "c"], embeddings: X }), "BAD_DOMAIN_NAME"],
    ["names ≠ rows", () => chameleonWeights({ domains: ["a", "b"], embeddings: X }), "DOMAIN_COUNT_MISMATCH"],
    ["both inputs", () => chameleonWeights({ domains: D, embeddings: X, kernel: linearKernel(X) }), "INPUT_CONFLICT"],
    ["no input", () => chameleonWeights({ domains: D }), "INPUT_CONFLICT"],
    ["identical embeddings", () => chameleonWeights({ domains: D, embeddings: [[1, 2], [1, 2], [1, 2]] }), "DEGENERATE_KERNEL"],
    ["indefinite kernel", () => chameleonWeights({ domains: ["a", "b"], kernel: [[-10, 0], [0, -10]] }), "KERNEL_NOT_PSD"],
  ] as const)("%s", (_label, fn, code) => {
    expect(errorCode(fn)).toBe(code);
  });

  it("the figure matrix with a perturbed entry is rejected as non-symmetric", () => {
    const { domains, K } = figureMatrix();
    const bad = K.map((r) => [...r]);
    bad[0][1] += 1;
    expect(errorCode(() => chameleonWeights({ domains, kernel: bad }))).toBe("KERNEL_NOT_SYMMETRIC");
  });
});
