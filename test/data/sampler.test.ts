import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { tokenPrior } from "../../kernel-lib/data/prior.js";
import { createBatchSampler } from "../../kernel-lib/data/sampler.js";
import { validationSets } from "../../kernel-lib/data/validation.js";
import { MixlabError } from "../../kernel-lib/util/errors.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const corpus = loadCorpus(fixtureCorpusDir());

function code(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof MixlabError) return e.code; throw e; }
  return "no error";
}

describe("fixture corpus", () => {
  it("has the 13 default domains, each split non-empty", () => {
    expect(corpus.domains).toHaveLength(13);
    expect(corpus.domains).toContain("math");
    for (const d of corpus.domains) for (const s of ["train", "validation", "test"] as const) expect(corpus.split(d, s).length).toBeGreaterThan(200);
  });

  it("token prior is each domain's share of train bytes", () => {
    const p = tokenPrior(corpus);
    const total = corpus.domains.reduce((a, d) => a + corpus.split(d, "train").length, 0);
    for (const d of corpus.domains) expect(p.get(d)).toBeCloseTo(corpus.split(d, "train").length / total, 12);
  });

  it("names an unknown domain and a missing corpus", () => {
    expect(code(() => corpus.split("nope", "train"))).toBe("CORPUS_UNKNOWN_DOMAIN");
    expect(code(() => loadCorpus("/nonexistent/corpus"))).toBe("CORPUS_NOT_FOUND");
  });
});

describe("batch sampler", () => {
  const weights = corpus.domains.map((_, i) => i + 1);
  const mixture = Mixture.normalised(corpus.domains, weights);

  it("draws domains with the mixture's frequencies (chi-square, 100k windows)", () => {
    const s = createBatchSampler(corpus, mixture, { seqLen: 8, batchSize: 1000, seed: 3 });
    const counts = new Float64Array(13);
    for (let i = 0; i < 100; i++) for (const d of s.next().domainIndex) counts[d]++;
    let chi = 0;
    mixture.weights.forEach((w, j) => { chi += (counts[j] - 1e5 * w) ** 2 / (1e5 * w); });
    // 12 degrees of freedom: the 99.9% quantile is 32.9
    expect(chi).toBeLessThan(32.9);
    expect(s.tokensDrawn()[corpus.domains[12]]).toBe(counts[12] * 8);
  });

  it("windows are real contiguous bytes of the chosen domain's train split", () => {
    const s = createBatchSampler(corpus, mixture, { seqLen: 16, batchSize: 32, seed: 4 });
    const b = s.next();
    expect(b.tokens.length).toBe(32 * 17);
    for (let r = 0; r < 32; r++) {
      const win = Buffer.from(Uint8Array.from(b.tokens.subarray(r * 17, (r + 1) * 17)));
      expect(Buffer.from(corpus.split(corpus.domains[b.domainIndex[r]], "train")).indexOf(win)).toBeGreaterThanOrEqual(0);
    }
  });

  it("is deterministic by seed and resumes exactly from its state", () => {
    const a = createBatchSampler(corpus, mixture, { seqLen: 16, batchSize: 4, seed: 9 });
    const b = createBatchSampler(corpus, mixture, { seqLen: 16, batchSize: 4, seed: 9 });
    const c = createBatchSampler(corpus, mixture, { seqLen: 16, batchSize: 4, seed: 10 });
    const a1 = a.next(); a.next();
    expect(b.next().tokens).toEqual(a1.tokens);
    expect(c.next().tokens).not.toEqual(a1.tokens);
    const saved = a.state();
    const a3 = a.next();
    const resumed = createBatchSampler(corpus, mixture, { seqLen: 16, batchSize: 4, seed: 1 });
    resumed.restore(saved);
    expect(resumed.next().tokens).toEqual(a3.tokens);
  });

  it("caps epochs: error by default, renormalise on request", () => {
    const one = Mixture.fromRecord({ math: 0.8, books: 0.2 });
    const mathBytes = corpus.split("math", "train").length;
    const T = 64;
    // math (weight 0.8) reaches one epoch after ≈1.25·mathBytes tokens in total; draw 1.5·mathBytes
    const steps = Math.ceil((1.5 * mathBytes) / (T * 8));
    const err = createBatchSampler(corpus, one, { seqLen: T, batchSize: 8, seed: 1, maxEpochs: 1 });
    expect(code(() => { for (let i = 0; i < steps; i++) err.next(); })).toBe("EPOCH_CAP_EXCEEDED");
    const ren = createBatchSampler(corpus, one, { seqLen: T, batchSize: 8, seed: 1, maxEpochs: 1, onCap: "renormalise" });
    for (let i = 0; i < steps; i++) ren.next();
    expect(ren.epochs().math).toBeLessThanOrEqual(1);
    expect(ren.epochs().math).toBeGreaterThan(0.9);
    // after the cap every window comes from books, so its share rises well above its weight 0.2
    const drawn = ren.tokensDrawn();
    expect(drawn.books / (drawn.books + drawn.math)).toBeGreaterThan(0.28);
  });

  it("names a weighted domain too short for a window, and bad options", () => {
    const m = Mixture.fromRecord({ math: 1 });
    expect(code(() => createBatchSampler(corpus, m, { seqLen: 10_000_000, batchSize: 1, seed: 1 }))).toBe("MIXTURE_EMPTY_DOMAIN");
    expect(code(() => createBatchSampler(corpus, m, { seqLen: 0, batchSize: 1, seed: 1 }))).toBe("SAMPLER_BAD_OPTION");
    expect(code(() => createBatchSampler(corpus, Mixture.fromRecord({ nope: 1 }), { seqLen: 8, batchSize: 1, seed: 1 }))).toBe("CORPUS_UNKNOWN_DOMAIN");
  });
});

describe("validation sets", () => {
  it("are fixed windows of the validation split, identical on every call", () => {
    const a = validationSets(corpus, { seqLen: 32, windowsPerDomain: 8 });
    const b = validationSets(corpus, { seqLen: 32, windowsPerDomain: 8 });
    expect(a.map((s) => s.domain)).toEqual(corpus.domains);
    a.forEach((s, i) => {
      expect(s.tokens).toEqual(b[i].tokens);
      expect(s.tokens.length).toBe(8 * 33);
      const val = corpus.split(s.domain, "validation");
      expect(Array.from(s.tokens.subarray(0, 33))).toEqual(Array.from(val.subarray(0, 33)));
      expect(Array.from(s.tokens.subarray(7 * 33))).toEqual(Array.from(val.subarray(val.length - 33)));
    });
    const t = validationSets(corpus, { seqLen: 32, windowsPerDomain: 2, split: "test", domains: ["math"] });
    expect(Array.from(t[0].tokens.subarray(0, 33))).toEqual(Array.from(corpus.split("math", "test").subarray(0, 33)));
  });
});
