/**
 * RegMix step 4: candidates, prediction, top-k mean. Checked against known answers: Dirichlet
 * moments, a linear loss whose minimiser is a vertex (the top-k mean must approach it), an exact
 * brute-force top k with ties, and invariance to chunking and to the predictor's form.
 */
import { describe, expect, it } from "vitest";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { fitGbdt } from "../../kernel-lib/regression/index.js";
import { sampleDirichletInto, simulateRegmix } from "../../kernel-lib/regmix/simulate.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const DOMAINS = ["a", "b", "c", "d", "e"];
const prior = Mixture.fromWeights(DOMAINS, [0.3, 0.25, 0.2, 0.15, 0.1]);

/** loss(w) = Σ c_j w_j, minimised on the simplex at the vertex of the smallest c (domain "c"). */
const COEF = [1.0, 0.8, 0.2, 0.9, 0.7];
function linearLoss(X: Float64Array, out: Float64Array): Float64Array {
  const d = COEF.length;
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += COEF[j] * X[i * d + j];
    out[i] = s;
  }
  return out;
}

describe("sampleDirichletInto", () => {
  it("rows lie on the simplex with the Dirichlet mean and variance", () => {
    const alpha = [0.6, 0.3, 0.1];
    const a0 = 1;
    const n = 100_000;
    const X = sampleDirichletInto(createRng(3), alpha, new Float64Array(n * 3), n);
    const mean = [0, 0, 0];
    let m2 = 0;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(X[i * 3] + X[i * 3 + 1] + X[i * 3 + 2] - 1));
      for (let j = 0; j < 3; j++) mean[j] += X[i * 3 + j] / n;
      m2 += X[i * 3] ** 2 / n;
    }
    expect(worst).toBeLessThan(1e-12);
    alpha.forEach((a, j) => expect(mean[j]).toBeCloseTo(a / a0, 2));
    const variance = m2 - mean[0] ** 2;
    expect(variance).toBeCloseTo((alpha[0] * (a0 - alpha[0])) / (a0 * a0 * (a0 + 1)), 2); // 0.12
  });

  it("rejects bad alphas", () => {
    expect(() => sampleDirichletInto(createRng(1), [0, 0], new Float64Array(2), 1)).toThrow(expect.objectContaining({ code: "REGMIX_BAD_OPTION" }));
    expect(() => sampleDirichletInto(createRng(1), [1, -1], new Float64Array(2), 1)).toThrow(expect.objectContaining({ code: "REGMIX_BAD_OPTION" }));
  });
});

describe("simulateRegmix", () => {
  it("top-k mean of a linear loss approaches its minimising vertex as candidates grow", () => {
    const small = simulateRegmix(linearLoss, prior, { numCandidates: 2_000, topK: 32, seed: 5 });
    const large = simulateRegmix(linearLoss, prior, { numCandidates: 300_000, topK: 32, seed: 5 });
    const c = DOMAINS.indexOf("c");
    expect(large.mixture.weights[c]).toBeGreaterThan(0.99);
    expect(large.mixture.weights[c]).toBeGreaterThan(small.mixture.weights[c]);
    // the top-k predictions are the k smallest, best first, and their mean is reported
    expect(large.top.predictions[0]).toBeCloseTo(large.stats.min, 15);
    for (let r = 1; r < 32; r++) expect(large.top.predictions[r]).toBeGreaterThanOrEqual(large.top.predictions[r - 1]);
    expect(large.stats.topKMean).toBeCloseTo(large.top.predictions.reduce((s, v) => s + v, 0) / 32, 12);
    // the true minimum over the simplex is 0.2; the best candidate is close to it
    expect(large.stats.min).toBeGreaterThanOrEqual(0.2);
    expect(large.stats.min).toBeLessThan(0.2005);
  });

  it("the top k equals a stable sort of all predictions, ties broken by candidate order", () => {
    // piecewise-constant predictions (as a GBDT gives): many exact ties
    const stepLoss = (X: Float64Array, out: Float64Array) => {
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(10 * X[i * 5]) + Math.floor(4 * X[i * 5 + 1]);
      return out;
    };
    const sim = simulateRegmix(stepLoss, prior, { numCandidates: 20_000, topK: 50, seed: 9, chunkRows: 3_000 });
    const all = sim.predictions!;
    const order = [...all.keys()].sort((i, j) => all[i] - all[j] || i - j).slice(0, 50);
    expect(Array.from(sim.top.indices)).toEqual(order);
    // and the candidates kept are the ones sampled at those positions: re-sample and compare
    const X = sampleDirichletInto(createRng(9), prior.weights, new Float64Array(20_000 * 5), 20_000);
    order.forEach((idx, r) => {
      for (let j = 0; j < 5; j++) expect(sim.top.candidates[r * 5 + j]).toBe(X[idx * 5 + j]);
    });
    const mean = DOMAINS.map((_, j) => order.reduce((s, idx) => s + X[idx * 5 + j], 0) / 50);
    mean.forEach((m, j) => expect(sim.mixture.weights[j]).toBeCloseTo(m, 12));
  });

  it("does not depend on the chunk size; depends on the seed", () => {
    const a = simulateRegmix(linearLoss, prior, { numCandidates: 10_000, topK: 16, seed: 2, chunkRows: 777 });
    const b = simulateRegmix(linearLoss, prior, { numCandidates: 10_000, topK: 16, seed: 2, chunkRows: 65_536 });
    const c = simulateRegmix(linearLoss, prior, { numCandidates: 10_000, topK: 16, seed: 3 });
    expect(Array.from(a.mixture.weights)).toEqual(Array.from(b.mixture.weights));
    expect(Array.from(a.predictions!)).toEqual(Array.from(b.predictions!));
    expect(Array.from(a.mixture.weights)).not.toEqual(Array.from(c.mixture.weights));
  });

  it("a GbdtModel, its compiled FlatForest and a function give the same choice", () => {
    const rng = createRng(4);
    const rows = Array.from({ length: 300 }, () => rng.dirichlet([1, 1, 1, 1, 1]));
    const y = rows.map((w) => linearLoss(w, new Float64Array(1))[0] + 0.01 * rng.normal());
    const model = fitGbdt(rows, y, { numRounds: 200, earlyStoppingRounds: 0 });
    const opts = { numCandidates: 5_000, topK: 20, seed: 1 };
    const viaModel = simulateRegmix(model, prior, opts);
    const viaForest = simulateRegmix(model.forest(), prior, opts);
    const viaFn = simulateRegmix((X, out) => model.predict(X, out), prior, opts);
    expect(Array.from(viaForest.mixture.weights)).toEqual(Array.from(viaModel.mixture.weights));
    expect(Array.from(viaFn.mixture.weights)).toEqual(Array.from(viaModel.mixture.weights));
    expect(viaModel.mixture.weights[DOMAINS.indexOf("c")]).toBeGreaterThan(0.5); // it learned the law
  });

  it("the constrained sampler's candidates obey RegMix's bound and grid", () => {
    const sim = simulateRegmix(linearLoss, prior, { numCandidates: 500, topK: 10, seed: 1, sampler: "constrained", constrained: { maxUsage: 2 } });
    for (let i = 0; i < sim.top.candidates.length; i++) {
      const w = sim.top.candidates[i];
      expect(w).toBeLessThanOrEqual(Math.min(prior.weights[i % 5] * 2, 1) + 2e-4);
      expect(Math.abs(w / 2e-4 - Math.round(w / 2e-4))).toBeLessThan(1e-6);
    }
    // the bound keeps "c" (prior 0.2) at ≤ 0.4, so the top-k mean cannot reach the vertex
    expect(sim.mixture.weights[DOMAINS.indexOf("c")]).toBeLessThanOrEqual(0.4 + 2e-4);
    expect(sim.mixture.weights[DOMAINS.indexOf("c")]).toBeGreaterThan(0.3);
  });

  it("names bad options and bad predictions", () => {
    expect(() => simulateRegmix(linearLoss, prior, { numCandidates: 10, topK: 11 })).toThrow(expect.objectContaining({ code: "REGMIX_BAD_OPTION" }));
    expect(() => simulateRegmix(linearLoss, prior, { numCandidates: 0 })).toThrow(expect.objectContaining({ code: "REGMIX_BAD_OPTION" }));
    expect(() => simulateRegmix((_X, out) => out.fill(NaN), prior, { numCandidates: 10, topK: 2 })).toThrow(expect.objectContaining({ code: "REGMIX_BAD_PREDICTION" }));
  });
});
