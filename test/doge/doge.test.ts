import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { alignmentScores, dogeSpecSchema, dogeUpdate, runDoge } from "../../kernel-lib/doge/index.js";
import { flopsPerToken, presetConfig } from "../../kernel-lib/model/config.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const onSimplex = (w: ArrayLike<number>) => {
  const ws = Array.from(w);
  for (const x of ws) expect(x).toBeGreaterThanOrEqual(0);
  expect(Math.abs(ws.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
};

describe("dogeUpdate", () => {
  it("matches a hand computation on a 3-domain toy, from gradients or from dot products", () => {
    // g1 = (1, 0), g2 = (0, 1), g3 = (1, 1): Σg = (2, 2), s = (2, 2, 4)
    const grads = [Float32Array.of(1, 0), Float32Array.of(0, 1), Float32Array.of(1, 1)];
    expect(Array.from(alignmentScores(grads))).toEqual([2, 2, 4]);
    // α = (0.2, 0.3, 0.5), η = 0.5: α ⊙ e^{ηs} = (0.2e, 0.3e, 0.5e²) normalised
    const hand = [0.10757656854799806, 0.16136485282199706, 0.7310585786300049];
    const fromGrads = dogeUpdate([0.2, 0.3, 0.5], grads, { stepSize: 0.5 });
    const fromScores = dogeUpdate([0.2, 0.3, 0.5], [2, 2, 4], { stepSize: 0.5 });
    hand.forEach((h, d) => {
      expect(fromGrads[d]).toBeCloseTo(h, 12);
      expect(fromScores[d]).toBeCloseTo(h, 12);
    });
    onSimplex(fromGrads);
  });

  it("keeps the weights of two identical domains equal (same gradients → same scores), over many steps", () => {
    const g = Float32Array.of(0.3, -1.2, 0.7, 2.0);
    const other = Float32Array.of(-0.5, 0.1, 0.4, -0.2);
    let a: ArrayLike<number> = [0.25, 0.25, 0.5];
    for (let s = 0; s < 20; s++) {
      a = dogeUpdate(a, [g, Float32Array.from(g), other], { stepSize: 0.1 });
      expect(a[0]).toBe(a[1]);
      onSimplex(a);
    }
    // the aligned pair gained weight from the misaligned third domain
    expect(a[0]).toBeGreaterThan(0.25);
  });

  it("stays finite for huge scores and names bad input", () => {
    onSimplex(dogeUpdate([0.5, 0.5], [1e6, -1e6], { stepSize: 1 }));
    expect(() => dogeUpdate([0.5, 0.5], [1, 2, 3], { stepSize: 1 })).toThrow(expect.objectContaining({ code: "DOGE_BAD_INPUT" }));
  });
});

describe("runDoge on the fixture corpus", () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  const recipe = { preset: "tiny" as const, steps: 4, batchSize: 14, seqLen: 16, lr: 3e-3, warmupSteps: 1 };
  const spec = dogeSpecSchema.parse({ proxy: recipe });

  it("gives a mixture on the simplex, deterministic in the seed, its FLOPs = one proxy's training", async () => {
    const a = await runDoge(corpus, spec, 3);
    const b = await runDoge(corpus, spec, 3);
    expect(b).toEqual(a);
    expect(Object.keys(a.mixture)).toEqual([...corpus.domains]);
    onSimplex(Object.values(a.mixture));
    onSimplex(Object.values(a.lastWeights));
    const k = corpus.domains.length;
    expect(Object.values(a.lastWeights).some((w) => Math.abs(w - 1 / k) > 1e-6)).toBe(true);
    const tokens = 4 * corpus.domains.length * 16;
    expect(a.cost.trainTokens).toBe(tokens);
    expect(a.cost.flops).toBeCloseTo(tokens * flopsPerToken(presetConfig("tiny", { vocabSize: corpus.vocabSize }), 16), -3);
    expect((await runDoge(corpus, spec, 4)).mixture).not.toEqual(a.mixture);
  }, 60_000);

  it("with η = 0 outputs the uniform mixture exactly", async () => {
    const r = await runDoge(corpus, { ...spec, stepSize: 0 }, 3);
    for (const w of Object.values(r.mixture)) expect(w).toBeCloseTo(1 / corpus.domains.length, 12);
  }, 60_000);
});
