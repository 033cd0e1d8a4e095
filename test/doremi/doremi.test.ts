import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { SIMPLEX_TOLERANCE } from "../../kernel-lib/data/mixture.js";
import { doremiSpecSchema, doremiUpdate, runDoremi } from "../../kernel-lib/doremi/index.js";
import { flopsPerToken, presetConfig } from "../../kernel-lib/model/config.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const onSimplex = (w: ArrayLike<number>) => {
  const ws = Array.from(w);
  for (const x of ws) expect(x).toBeGreaterThanOrEqual(0);
  expect(Math.abs(ws.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
};

describe("doremiUpdate", () => {
  it("matches a hand computation on a 3-domain toy (negative excess clipped to 0)", () => {
    // α = (0.2, 0.3, 0.5), λ = (1, 0, −0.5 → 0), η = 1: α ⊙ e^λ = (0.2e, 0.3, 0.5) / (0.2e + 0.8)
    const u = doremiUpdate([0.2, 0.3, 0.5], [1, 0, -0.5], { stepSize: 1, smoothing: 0.1 });
    const hand = [0.4046096751916897, 0.22327137180311638, 0.372118953005194];
    hand.forEach((h, d) => expect(u.alpha[d]).toBeCloseTo(h, 12));
    // α' = 0.9 α + 0.1 / 3
    [0.3974820410058541, 0.23427756795613808, 0.36824039103800793].forEach((h, d) => expect(u.smoothed[d]).toBeCloseTo(h, 12));
    onSimplex(u.alpha);
    onSimplex(u.smoothed);
  });

  it("raises the weight of the domain whose excess loss is large (reference good there, proxy not) and lowers the others", () => {
    const alpha = [1 / 3, 1 / 3, 1 / 3];
    // proxy losses 3.0 everywhere; the reference is very good on domain 1 only
    const proxy = [3.0, 3.0, 3.0], ref = [3.1, 1.0, 2.9];
    const excess = proxy.map((p, d) => Math.max(p - ref[d], 0));
    let a: ArrayLike<number> = alpha;
    for (let s = 0; s < 5; s++) a = doremiUpdate(a, excess, { stepSize: 1, smoothing: 1e-3 }).alpha;
    expect(a[1]).toBeGreaterThan(0.99);
    expect(a[0]).toBeLessThan(a[2]); // domain 0 has no excess, domain 2 a little
    onSimplex(a);
  });

  it("stays finite and on the simplex for huge excess, and smoothing keeps every weight ≥ c/k", () => {
    const u = doremiUpdate([0.5, 0.25, 0.25], [1e4, 0, 0], { stepSize: 1, smoothing: 1e-3 });
    onSimplex(u.smoothed);
    for (const w of u.smoothed) expect(w).toBeGreaterThanOrEqual(1e-3 / 3 - 1e-15);
    expect(() => doremiUpdate([0.5, 0.5], [1], { stepSize: 1, smoothing: 0 })).toThrow(expect.objectContaining({ code: "DOREMI_BAD_INPUT" }));
  });
});

describe("runDoremi on the fixture corpus", () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  const recipe = { preset: "tiny" as const, steps: 4, batchSize: 14, seqLen: 16, lr: 3e-3, warmupSteps: 1 };
  const spec = doremiSpecSchema.parse({ reference: recipe, proxy: recipe, referenceEvalWindows: 1 });

  it("gives a mixture on the simplex over every domain, deterministic in the seed, with its FLOPs itemised", async () => {
    const a = await runDoremi(corpus, spec, 3);
    const b = await runDoremi(corpus, spec, 3);
    expect(b).toEqual(a);
    expect(Object.keys(a.mixture)).toEqual([...corpus.domains]);
    onSimplex(Object.values(a.mixture));
    expect(a.perDomainBatch).toBe(1); // ⌊14 windows / 13 domains⌋
    // DoReMi moved away from uniform (the excess differs between domains)
    const k = corpus.domains.length;
    expect(Object.values(a.mixture).some((w) => Math.abs(w - 1 / k) > 1e-4)).toBe(true);
    // reference 4×14×16 training tokens, proxy 4×(14×1)×16, reference forward on the proxy's batches
    const proxyTokens = 4 * corpus.domains.length * 16;
    expect(a.cost.trainTokens).toBe(4 * 14 * 16 + proxyTokens);
    expect(a.cost.forwardTokens).toBe(corpus.domains.length * 16 + proxyTokens);
    const f = flopsPerToken(presetConfig("tiny", { vocabSize: corpus.vocabSize }), 16);
    expect(a.cost.flops).toBeCloseTo(4 * 14 * 16 * f + (corpus.domains.length * 16 * f) / 3 + proxyTokens * f + (proxyTokens * f) / 3, -3);
    const c = await runDoremi(corpus, spec, 4);
    expect(c.mixture).not.toEqual(a.mixture);
  }, 60_000);

  it("with η = 0 and no smoothing outputs the uniform mixture exactly", async () => {
    const r = await runDoremi(corpus, { ...spec, stepSize: 0, smoothing: 0, proxy: { ...recipe, steps: 1, schedule: "cosine", minLrRatio: 0.1 } }, 3);
    for (const w of Object.values(r.mixture)) expect(w).toBeCloseTo(1 / corpus.domains.length, 12);
    expect(SIMPLEX_TOLERANCE).toBeGreaterThan(0);
  }, 60_000);
});
