import { describe, expect, it } from "vitest";
import { finetuningWeights, pretrainingWeights, softmax } from "../../kernel-lib/chameleon/index.js";
import { createRng } from "../../kernel-lib/util/rng.js";
import { errorCode } from "./helpers.js";

const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);

describe("softmax", () => {
  it("known values and shift invariance", () => {
    const p = softmax([0, Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 15);
    expect(p[1]).toBeCloseTo(0.75, 15);
    const q = softmax([500, 500 + Math.log(3)]);
    expect(q[1]).toBeCloseTo(0.75, 12);
  });

  it("is stable for huge logits (1/ε = 1e12 for a zero leverage)", () => {
    const p = softmax([1e12 / 5, 3, -1e300]);
    expect(Array.from(p)).toEqual([1, 0, 0]);
  });

  it("rejects non-finite logits and empty input", () => {
    expect(errorCode(() => softmax([1, NaN]))).toBe("NON_FINITE");
    expect(errorCode(() => softmax([]))).toBe("TOO_FEW_DOMAINS");
  });
});

describe("pretraining / finetuning weights", () => {
  it("known values from hand-computed logits", () => {
    // PT logits 1/0.25/5 = 0.8, 1/0.75/5 = 0.2667; FT logits 1.25, 3.75
    const pt = pretrainingWeights([0.25, 0.75], { tau: 5, epsilon: 0 });
    const e = Math.exp(0.8 - 1 / 0.75 / 5);
    expect(pt[0]).toBeCloseTo(e / (1 + e), 12);
    const ft = finetuningWeights([0.25, 0.75], { tau: 0.2 });
    expect(ft[1]).toBeCloseTo(1 / (1 + Math.exp(-2.5)), 12);
  });

  it("PT weight falls and FT weight rises with leverage; both on the simplex", () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 20; trial++) {
      const raw = Float64Array.from({ length: 2 + rng.int(30) }, () => rng.next());
      const S = raw.map((v) => v / sum(raw));
      for (const [w, sign] of [[pretrainingWeights(S), -1], [finetuningWeights(S), 1]] as const) {
        expect(Math.abs(sum(w) - 1)).toBeLessThan(1e-9);
        for (const v of w) expect(v).toBeGreaterThanOrEqual(0);
        for (let i = 0; i < S.length; i++) {
          for (let j = 0; j < S.length; j++) {
            if (S[i] < S[j]) expect(sign * (w[j] - w[i])).toBeGreaterThanOrEqual(0);
          }
        }
      }
    }
  });

  it("temperature: τ → ∞ gives uniform weights, small τ concentrates", () => {
    const S = [0.1, 0.2, 0.7];
    for (const v of pretrainingWeights(S, { tau: 1e9 })) expect(v).toBeCloseTo(1 / 3, 6);
    expect(finetuningWeights(S, { tau: 1e-3 })[2]).toBeCloseTo(1, 12);
  });

  it("a zero score gets all the PT weight (ε keeps it finite)", () => {
    const w = pretrainingWeights([0, 0.5, 0.5]);
    expect(w[0]).toBe(1);
  });

  it("named errors: τ ≤ 0, NaN, negative leverage, bad ε", () => {
    expect(errorCode(() => pretrainingWeights([0.5, 0.5], { tau: 0 }))).toBe("BAD_TEMPERATURE");
    expect(errorCode(() => finetuningWeights([0.5, 0.5], { tau: -0.2 }))).toBe("BAD_TEMPERATURE");
    expect(errorCode(() => finetuningWeights([0.5, 0.5], { tau: Infinity }))).toBe("BAD_TEMPERATURE");
    expect(errorCode(() => pretrainingWeights([0.5, NaN]))).toBe("NON_FINITE");
    expect(errorCode(() => finetuningWeights([-0.1, 1.1]))).toBe("NEGATIVE_LEVERAGE");
    expect(errorCode(() => pretrainingWeights([0.5, 0.5], { epsilon: -1 }))).toBe("BAD_EPSILON");
  });
});
