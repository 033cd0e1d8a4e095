// Aioli's LearnParams estimate and update on a hand-computed round (k = 2, one_hot_factor 0.625,
// lp_rounds 2, eta 0.2), checked against numpy's `np.linalg.solve` as the official code calls it
// (values computed once with /usr/bin/python3), and the controller's schedule inside a short run.
import { describe, expect, it } from "vitest";
import { aioliController, aioliSpecSchema, aioliUpdate, estimateMixingMatrix, learnParamsMixture, learnParamsOrder, normaliseMixingMatrix } from "../../kernel-lib/aioli/index.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { validationSets } from "../../kernel-lib/data/validation.js";
import { trainAndScore } from "../../kernel-lib/train/train-and-score.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";
import { createRng } from "../../kernel-lib/util/rng.js";

const close = (a: ArrayLike<number>, b: number[], digits = 12) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, digits));

describe("Aioli's update, by hand", () => {
  // summed held-out drops over 2 rounds: G[i][j] = domain i's drop after training on mixture j
  const drops = [[0.4, 0.2], [0.1, 0.5]];

  it("LearnParams mixtures and orders", () => {
    close(learnParamsMixture(3, 1, 0.5), [0.25, 0.5, 0.25]);
    const order = learnParamsOrder(4, 3, createRng(1));
    expect(order).toHaveLength(12);
    for (let r = 0; r < 3; r++) expect([...order.slice(4 * r, 4 * r + 4)].sort()).toEqual([0, 1, 2, 3]);
  });

  it("A: G / rounds, each row un-mixed by W (np.linalg.solve(W, row))", () => {
    // W = [[.625, .375], [.375, .625]]; G/2 = [[.2, .1], [.05, .25]]
    const A = estimateMixingMatrix(drops, 2, 0.625, false);
    close(A[0], [0.35, -0.05]);
    close(A[1], [-0.25, 0.55]);
    // diagonal mode keeps G_ii / f; one-hot keeps G / rounds
    const D = estimateMixingMatrix(drops, 2, 0.625, true);
    close(D[0], [0.2 / 0.625, 0]);
    close(D[1], [0, 0.25 / 0.625]);
    close(estimateMixingMatrix(drops, 2, 1, false)[1], [0.05, 0.25]);
  });

  it("normalised A, then p ∝ exp(η Σ_i A[i, ·]); the EMA round and the multiplicative round", () => {
    const A = estimateMixingMatrix(drops, 2, 0.625, false);
    const M = normaliseMixingMatrix(A);
    close(M[0], [0.375, 0.125]);
    close(M[1], [0, 0.5]);
    const s0 = { weights: new Float64Array([1, 1]), emaMatrix: null };
    const r1 = aioliUpdate(s0, A, { eta: 0.2, ema: 0.1, normalizeA: true });
    close(r1.mixture, [0.4875026035157896, 0.5124973964842103]);
    // round 2 with an already-normalised A2 (sum 1, ≥ 0): Ā = 0.9·A2 + 0.1·M
    const A2 = [[0.1, 0.2], [0.3, 0.4]];
    close(aioliUpdate(r1.state, A2, { eta: 0.2, ema: 0.1, normalizeA: true }).mixture, [0.4897514356128406, 0.5102485643871594]);
    // without EMA the weights multiply: p ∝ exp(η Σ M) · exp(η Σ A2)
    const n1 = aioliUpdate(s0, A, { eta: 0.2, ema: null, normalizeA: true });
    close(n1.mixture, [0.4875026035157896, 0.5124973964842103]);
    close(aioliUpdate(n1.state, A2, { eta: 0.2, ema: null, normalizeA: true }).mixture, [0.4775151752081999, 0.5224848247918001]);
  });

  it("named errors: degenerate A, one_hot_factor = 1/k, LearnParams longer than a round", () => {
    expect(() => normaliseMixingMatrix([[0, 0], [0, 0]])).toThrow(expect.objectContaining({ code: "AIOLI_DEGENERATE" }));
    const spec = aioliSpecSchema.parse({ oneHotFactor: 0.5 });
    expect(() => aioliController(["a", "b"], spec, { heldOut: [], seed: 1 })).toThrow(expect.objectContaining({ code: "AIOLI_BAD_CONFIG" }));
    expect(() => aioliController(["a", "b", "c"], aioliSpecSchema.parse({ updateSteps: 24 }), { heldOut: [], seed: 1 })).toThrow(expect.objectContaining({ code: "AIOLI_BAD_CONFIG" }));
  });
});

describe("Aioli inside a run", () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  const k = corpus.domains.length;
  const recipe = { preset: "tiny" as const, steps: 60, batchSize: 4, seqLen: 32, lr: 3e-3, warmupSteps: 2 };
  const heldOut = validationSets(corpus, { seqLen: 32, windowsPerDomain: 1 });
  const spec = aioliSpecSchema.parse({ lpRounds: 1, lpSteps: 1, updateSteps: 20 });

  it("rounds of k LearnParams steps then mixing to each multiple of update_steps, all inside the run's steps", async () => {
    const { controller, record } = aioliController(corpus.domains, spec, { heldOut, seed: 3 });
    const r = await trainAndScore(corpus, Mixture.uniform(corpus.domains), recipe, 1, { eval: { windowsPerDomain: 1 }, controller });
    const t = r.schedule!.trajectory;
    const total = t.reduce((a, e) => a + e.steps, 0);
    expect(total).toBe(60);
    expect(r.tokens).toBe(60 * 4 * 32);
    // rounds at 0, 20, 40: k one-step LearnParams segments, then mixing to 20, 40, 60
    expect(record.rounds.map((x) => x.step)).toEqual([0, 20, 40]);
    expect(record.learnParamsSteps).toBe(3 * k);
    expect(record.heldOutEvaluations).toBe(3 * (k + 1));
    const mixes = t.filter((e) => e.phase === "mix");
    expect(mixes.map((e) => [e.step, e.steps])).toEqual([[k, 20 - k], [20 + k, 20 - k], [40 + k, 20 - k]]);
    record.rounds.forEach((round, i) => close(Object.values(mixes[i].weights), round.mixture, 15));
    // each LearnParams visit is a smoothed one-hot mixture on one domain; every domain is visited once per round
    const visits = t.filter((e) => e.phase === "learn-params" && e.step < 20).map((e) => Object.values(e.weights).indexOf(0.625));
    expect([...visits].sort((a, b) => a - b)).toEqual(corpus.domains.map((_, i) => i));
  });

  it("restricted: the prior mixture first, then the same rounds", async () => {
    const prior = Mixture.normalised(corpus.domains, corpus.domains.map((_, i) => i + 1));
    const { controller, record } = aioliController(corpus.domains, spec, { heldOut, seed: 3, prior: { weights: prior.weights, steps: 20 } });
    const r = await trainAndScore(corpus, prior, recipe, 1, { eval: { windowsPerDomain: 1 }, controller });
    expect(r.schedule!.trajectory[0]).toMatchObject({ step: 0, steps: 20, phase: "prior", weights: prior.toRecord() });
    expect(record.rounds.map((x) => x.step)).toEqual([20, 40]);
  });
});
