import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { validationHalves, validationSets } from "../../kernel-lib/data/validation.js";
import { mergeHalves, validationLoss } from "../../kernel-lib/eval/validation-loss.js";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { initModel } from "../../kernel-lib/model/params.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";
import { perturbedModel, smallConfig } from "../model/helpers.js";

describe("validationLoss", () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  const cfg = smallConfig();
  const engine = new FusedEngine(cfg);
  const sets = validationSets(corpus, { seqLen: 16, windowsPerDomain: 5 });

  it("a model with all-zero weights (uniform predictions) scores ln 256 nats = 8 bits per byte", () => {
    const m = initModel(cfg, 1);
    m.params.fill(0); // zero embeddings → zero logits → uniform over 256 bytes
    const r = validationLoss(engine, m, sets);
    expect(Object.keys(r.domains)).toEqual(corpus.domains);
    for (const d of Object.values(r.domains)) {
      expect(d.nats).toBeCloseTo(Math.log(256), 5);
      expect(d.bitsPerByte).toBeCloseTo(8, 5);
      expect(d.bitsPerByte).toBeCloseTo(d.nats / Math.LN2, 12);
      expect(d.tokens).toBe(5 * 16);
    }
  });

  it("is the mean per-token loss of each domain's windows, independent of the batch size", () => {
    const m = perturbedModel(cfg, 2);
    const r = validationLoss(engine, m, sets, { batchSize: 2 });
    const r2 = validationLoss(engine, m, sets, { batchSize: 16 });
    for (const s of sets) {
      const l = engine.tokenLosses(m.params, s.tokens, s.windows, s.seqLen);
      const want = l.reduce((a, b) => a + b, 0) / l.length;
      expect(r.domains[s.domain].nats).toBeCloseTo(want, 5);
      expect(r2.domains[s.domain].nats).toBeCloseTo(want, 5);
    }
    const mean = Object.values(r.domains).reduce((a, d) => a + d.nats, 0) / sets.length;
    expect(r.meanNats).toBeCloseTo(mean, 12);
  });
});

describe("validationHalves + mergeHalves (two disjoint validation sets on one model)", () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  const cfg = smallConfig();
  const engine = new FusedEngine(cfg);
  const sets = validationSets(corpus, { seqLen: 16, windowsPerDomain: 6 });

  it("splits each set into its even and odd windows", () => {
    const { a, b } = validationHalves(sets);
    const W = 17;
    expect(a[0].windows).toBe(3);
    expect(Array.from(a[0].tokens.subarray(W, 2 * W))).toEqual(Array.from(sets[0].tokens.subarray(2 * W, 3 * W)));
    expect(Array.from(b[0].tokens.subarray(0, W))).toEqual(Array.from(sets[0].tokens.subarray(W, 2 * W)));
  });

  it("the mean of the halves is the loss over all windows", () => {
    const m = perturbedModel(cfg, 3);
    const { a, b } = validationHalves(sets);
    const merged = mergeHalves(validationLoss(engine, m, a), validationLoss(engine, m, b));
    const all = validationLoss(engine, m, sets);
    for (const s of sets) {
      expect(merged.domains[s.domain].nats).toBeCloseTo(all.domains[s.domain].nats, 5);
      expect(merged.domains[s.domain].windows).toBe(6);
    }
    expect(merged.meanNats).toBeCloseTo(all.meanNats, 5);
  });

  it("refuses an odd number of windows", () => {
    expect(() => validationHalves(validationSets(corpus, { seqLen: 16, windowsPerDomain: 5 }))).toThrow(/even/);
  });
});
