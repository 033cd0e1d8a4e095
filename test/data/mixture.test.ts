import { describe, expect, it } from "vitest";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { MixlabError } from "../../kernel-lib/util/errors.js";

function code(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof MixlabError) return e.code; throw e; }
  return "no error";
}

describe("Mixture", () => {
  it("keeps validated weights and reads them back", () => {
    const m = Mixture.fromRecord({ b: 0.75, a: 0.25 }, ["a", "b"]);
    expect(m.domains).toEqual(["a", "b"]);
    expect(Array.from(m.weights)).toEqual([0.25, 0.75]);
    expect(m.get("b")).toBe(0.75);
    expect(m.toRecord()).toEqual({ a: 0.25, b: 0.75 });
  });

  it("uniform and normalised land on the simplex", () => {
    const u = Mixture.uniform(["a", "b", "c"]);
    expect(u.weights.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(Array.from(Mixture.normalised(["a", "b"], [1, 3]).weights)).toEqual([0.25, 0.75]);
  });

  it("accepts sums within 1e-6 and rejects beyond", () => {
    expect(() => Mixture.fromWeights(["a", "b"], [0.5, 0.5 + 9e-7])).not.toThrow();
    expect(code(() => Mixture.fromWeights(["a", "b"], [0.5, 0.49]))).toBe("MIXTURE_NOT_ON_SIMPLEX");
  });

  it("names every kind of bad input", () => {
    expect(code(() => Mixture.fromWeights(["a", "b"], [NaN, 1]))).toBe("MIXTURE_NAN");
    expect(code(() => Mixture.fromWeights(["a", "b"], [Infinity, 0]))).toBe("MIXTURE_NOT_FINITE");
    expect(code(() => Mixture.fromWeights(["a", "b"], [-0.5, 1.5]))).toBe("MIXTURE_NEGATIVE");
    expect(code(() => Mixture.fromWeights([], []))).toBe("MIXTURE_EMPTY");
    expect(code(() => Mixture.fromWeights(["a", "a"], [0.5, 0.5]))).toBe("MIXTURE_DUPLICATE_DOMAIN");
    expect(code(() => Mixture.fromWeights(["a", ""], [0.5, 0.5]))).toBe("MIXTURE_BAD_DOMAIN_NAME");
    expect(code(() => Mixture.fromWeights(["a"], [0.5, 0.5]))).toBe("MIXTURE_SHAPE");
    expect(code(() => Mixture.fromRecord({ a: 0.5, z: 0.5 }, ["a", "b"]))).toBe("MIXTURE_UNKNOWN_DOMAIN");
    expect(code(() => Mixture.fromRecord({ a: 1 }, ["a", "b"]))).toBe("MIXTURE_MISSING_DOMAIN");
    expect(code(() => Mixture.uniform(["a"]).get("b"))).toBe("MIXTURE_UNKNOWN_DOMAIN");
    expect(code(() => Mixture.normalised(["a", "b"], [0, 0]))).toBe("MIXTURE_ALL_ZERO");
  });

  it("re-expresses over a superset of domains with zeros", () => {
    const m = Mixture.fromRecord({ a: 0.4, b: 0.6 }).over(["c", "b", "a"]);
    expect(Array.from(m.weights)).toEqual([0, 0.6, 0.4]);
    expect(code(() => m.over(["a"]))).toBe("MIXTURE_UNKNOWN_DOMAIN");
  });
});
