// A run without a mixture controller, and a run whose controller never changes the mixture, must
// train exactly what the trainer trained before controllers existed (issue 32): the hashes below
// were computed on the commit before the controller was added (3e4af2d), engine fused-native
// or whichever `auto` picks on this machine — the same engine the committed stores used.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { staticController, type MixtureController, type MixtureObservation } from "../../kernel-lib/train/mixture-controller.js";
import { trainAndScore } from "../../kernel-lib/train/train-and-score.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const corpus = loadCorpus(fixtureCorpusDir());
const recipe = { preset: "tiny" as const, steps: 12, batchSize: 4, seqLen: 32, lr: 3e-3, warmupSteps: 2 };
const prior = Mixture.normalised(corpus.domains, corpus.domains.map((_, i) => 1 + (i % 3)));

const PINNED_TOKENS = { books: 64, speeches: 64, email: 192, dictionary: 64, encyclopedic: 224, legal: 160, code_ts_js: 32, code_python: 160, code_c: 224, math_docs: 96, multilingual: 32, structured_json: 192, math: 32 };

const digest = (params: Float32Array) => createHash("sha256").update(Buffer.from(params.buffer, params.byteOffset, params.byteLength)).digest("hex").slice(0, 16);

describe("a static mixture trains what it trained before mixture controllers", () => {
  it("no controller: final parameters, losses and per-domain tokens unchanged", async () => {
    const r = await trainAndScore(corpus, prior, recipe, 7, { eval: { windowsPerDomain: 2 } });
    expect(digest(r.model.params)).toBe("ffe0d48b90b9d16f");
    expect(r.finalTrainLoss).toBe(4.021660254383845);
    expect(r.meanLoss).toBe(4.178351075603412);
    expect(r.tokensPerDomain).toEqual(PINNED_TOKENS);
  });

  it("the static controller: the same numbers, bit for bit, and a one-segment trajectory", async () => {
    const r = await trainAndScore(corpus, prior, recipe, 7, { eval: { windowsPerDomain: 2 }, controller: staticController(prior) });
    expect(digest(r.model.params)).toBe("ffe0d48b90b9d16f");
    expect(r.finalTrainLoss).toBe(4.021660254383845);
    expect(r.tokensPerDomain).toEqual(PINNED_TOKENS);
    expect(r.schedule!.trajectory).toEqual([{ step: 0, steps: 12, phase: "static", weights: prior.toRecord() }]);
    expect(r.schedule!.average).toEqual(prior.toRecord());
  });
});

describe("a changing mixture", () => {
  const k = corpus.domains.length;
  const oneHot = (i: number) => Array.from({ length: k }, (_, j) => (j === i ? 1 : 0));
  // 3 steps on domain 0, then 4 on domain 2 with per-domain training losses, then the rest uniform
  const switching = (seen: MixtureObservation[]): MixtureController => ({
    domains: corpus.domains,
    next(o) {
      seen.push(o);
      if (o.step === 0) return { weights: oneHot(0), steps: 3, phase: "a" };
      if (o.step === 3) return { weights: oneHot(2), steps: 4, phase: "b", observe: { trainLosses: true } };
      return { weights: Array(k).fill(1 / k), steps: 100, phase: "c" };
    },
  });

  it("samples each segment's mixture, tells the controller what it saw, keeps the trajectory and its time average", async () => {
    const seen: MixtureObservation[] = [];
    const r = await trainAndScore(corpus, prior, recipe, 7, { eval: { windowsPerDomain: 2 }, controller: switching(seen) });
    expect(seen.map((o) => o.step)).toEqual([0, 3, 7]);
    // steps 1–3 drew only domain 0, steps 4–7 only domain 2 (4 windows × 32 targets each)
    expect(seen[1].tokensPerDomain[0]).toBe(3 * 4 * 32);
    expect(seen[1].windowsPerStep).toEqual([0, 1, 2].map(() => Float64Array.from(oneHot(0), (x) => 4 * x)));
    expect(seen[1].trainLosses).toBeNull();
    expect(seen[2].tokensPerDomain[2]).toBe(4 * 4 * 32);
    expect(seen[2].trainLosses).toHaveLength(4);
    // the per-domain loss is measured on the batch before its update: domain 2's equals the step's mean loss (every window is domain 2's)
    seen[2].trainLosses!.forEach((l, i) => {
      expect(l[2]).toBeCloseTo(seen[2].stepLosses[i], 4);
      expect(Number.isNaN(l[0])).toBe(true);
    });
    expect(r.schedule!.trajectory.map((e) => [e.step, e.steps, e.phase])).toEqual([[0, 3, "a"], [3, 4, "b"], [7, 5, "c"]]);
    const avg = r.schedule!.average;
    expect(avg[corpus.domains[0]]).toBeCloseTo(3 / 12 + 5 / 12 / k, 12);
    expect(avg[corpus.domains[2]]).toBeCloseTo(4 / 12 + 5 / 12 / k, 12);
    expect(r.schedule!.final[corpus.domains[1]]).toBeCloseTo(1 / k, 12);
  });

  it("is deterministic in (seed, controller): the same batches, the same model", async () => {
    const a = await trainAndScore(corpus, prior, recipe, 7, { eval: { windowsPerDomain: 2 }, controller: switching([]) });
    const b = await trainAndScore(corpus, prior, recipe, 7, { eval: { windowsPerDomain: 2 }, controller: switching([]) });
    expect(digest(a.model.params)).toBe(digest(b.model.params));
    expect(a.tokensPerDomain).toEqual(b.tokensPerDomain);
    expect(digest(a.model.params)).not.toBe("ffe0d48b90b9d16f");
  });

  it("refuses a controller over other domains and a bad segment (named errors)", async () => {
    const bad = (c: Partial<MixtureController> & Pick<MixtureController, "next">) => trainAndScore(corpus, prior, recipe, 7, { eval: { windowsPerDomain: 2 }, controller: { domains: corpus.domains, ...c } });
    await expect(bad({ domains: [...corpus.domains].reverse(), next: () => ({ weights: prior.weights, steps: 1 }) })).rejects.toMatchObject({ code: "TRAIN_BAD_SCHEDULE" });
    await expect(bad({ next: () => ({ weights: prior.weights, steps: 0 }) })).rejects.toMatchObject({ code: "TRAIN_BAD_SCHEDULE" });
    await expect(bad({ next: () => ({ weights: Array(k).fill(1), steps: 2 }) })).rejects.toMatchObject({ code: "MIXTURE_NOT_ON_SIMPLEX" });
    await expect(bad({ next: () => ({ weights: prior.weights, steps: 2, observe: { heldOut: true } }) })).rejects.toMatchObject({ code: "TRAIN_BAD_SCHEDULE" });
  });
});
