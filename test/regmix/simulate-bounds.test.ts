/**
 * The simulation proposer under constraints: the cap map by hand, pinned and minimum weights
 * held exactly, caps never exceeded, and — with no binding constraint — exactly
 * `simulateRegmix`'s answer (the unconstrained path is untouched).
 */
import { describe, expect, it } from "vitest";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { boundsViolations, resolveMixtureBounds } from "../../kernel-lib/data/mixture-bounds.js";
import { capProportionally, simulateWithBounds } from "../../kernel-lib/regmix/simulate-bounds.js";
import { simulateRegmix } from "../../kernel-lib/regmix/simulate.js";

const DOMAINS = ["a", "b", "c", "d", "e"];
const prior = Mixture.fromWeights(DOMAINS, [0.3, 0.25, 0.2, 0.15, 0.1]);
/** loss(w) = Σ c_j w_j, lowest at the vertex of "c" */
const COEF = [1.0, 0.8, 0.2, 0.9, 0.7];
const linearLoss = (X: Float64Array, out: Float64Array): Float64Array => {
  for (let i = 0; i < out.length; i++) { let s = 0; for (let j = 0; j < 5; j++) s += COEF[j] * X[i * 5 + j]; out[i] = s; }
  return out;
};
const opts = { numCandidates: 20_000, topK: 32, seed: 7 };

describe("capProportionally", () => {
  it("caps and shares the rest in proportion, by hand", () => {
    const u = Float64Array.of(0.7, 0.2, 0.1, 0.5, 0.5, 0);
    capProportionally(u, 2, Float64Array.of(0.5, 1, 1));
    [0.5, 0.2 * 0.5 / 0.3, 0.1 * 0.5 / 0.3].forEach((v, j) => expect(u[j]).toBeCloseTo(v, 15));
    // the second row meets the caps and is left alone
    expect(Array.from(u.subarray(3))).toEqual([0.5, 0.5, 0]);
    // a row whose uncapped entries are 0 shares the rest by the caps: (1, 0, 0) with caps (0.4, 0.3, 0.6)
    const v = capProportionally(Float64Array.of(1, 0, 0), 1, Float64Array.of(0.4, 0.3, 0.6));
    [0.4, 0.6 * 0.3 / 0.9, 0.6 * 0.6 / 0.9].forEach((x, j) => expect(v[j]).toBeCloseTo(x, 15));
  });
});

describe("simulateWithBounds", () => {
  it("with no binding constraint it is simulateRegmix exactly", () => {
    const plain = simulateRegmix(linearLoss, prior, opts);
    const loose = resolveMixtureBounds(DOMAINS, { targetTokens: 10, repetitionFactor: 1, availableTokens: { a: 20, b: 20, c: 20, d: 20, e: 20 } });
    for (const b of [resolveMixtureBounds(DOMAINS), loose]) {
      expect(Array.from(simulateWithBounds(linearLoss, prior, b, opts).mixture.weights)).toEqual(Array.from(plain.mixture.weights));
    }
  });

  it("caps hold for every domain; the capped optimum sits on the cap of the best domain", () => {
    // "c" is best but capped at 0.3 (3 × 10 / 100): the chosen mixture may not exceed it
    const b = resolveMixtureBounds(DOMAINS, { targetTokens: 100, repetitionFactor: 3, availableTokens: { a: 100, b: 100, c: 10, d: 100, e: 100 } });
    const r = simulateWithBounds(linearLoss, prior, b, opts);
    expect(r.mixture.weights[2]).toBeLessThanOrEqual(0.3);
    expect(r.mixture.weights[2]).toBeGreaterThan(0.25);
    expect(boundsViolations(b, r.mixture.weights, 0).filter((s) => !s.startsWith("weights sum"))).toEqual([]);
    // every ranked candidate met the caps too
    const top = r.simulation!.top.candidates;
    for (let i = 0; i < top.length / 5; i++) expect(top[i * 5 + 2]).toBeLessThanOrEqual(0.3);
  });

  it("pinned weights hold exactly and minimum weights always", () => {
    const b = resolveMixtureBounds(DOMAINS, { pinned: { a: 0.25 }, minWeights: { d: 0.1, e: 0.05 } });
    const r = simulateWithBounds(linearLoss, prior, b, opts);
    const x = r.mixture.weights;
    expect(x[0]).toBe(0.25);
    expect(x[3]).toBeGreaterThanOrEqual(0.1);
    expect(x[4]).toBeGreaterThanOrEqual(0.05);
    expect(Math.abs(x.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-12);
    // most of the free mass goes to the best domain "c"
    expect(x[2]).toBeGreaterThan(0.45);
  });

  it("a bounds set with one feasible mixture returns it", () => {
    const b = resolveMixtureBounds(DOMAINS, { pinned: { a: 0.2, b: 0.2, c: 0.2, d: 0.2 } });
    const r = simulateWithBounds(linearLoss, prior, b, opts);
    expect(r.simulation).toBeNull();
    expect(r.mixture.weights[4]).toBeCloseTo(0.2, 15);
  });
});
