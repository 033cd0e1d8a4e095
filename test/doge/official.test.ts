import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { dogeOfficialSchema, dogeSpecSchema, officialDogeStep, officialScores, officialWeights, runDoge } from "../../kernel-lib/doge/index.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const sum = (w: ArrayLike<number>) => Array.from(w).reduce((a, b) => a + b, 0);

describe("the official DoGE step (Olivia-fsm/DoGE src/trainer.py update_domain_weights)", () => {
  it("matches a hand-computed step on 3 domains: per-domain clip, self term left out, mean-norm scaling, score clip, 1/μ, smoothing", () => {
    // g1 = (−1, 0), g2 = (0, 2), g3 = (3, 4); max_grad_norm 2.5 clips g3 to (1.5, 2) (‖g3‖ = 5), the others stay.
    // M = G Gᵀ: ⟨g1,g2⟩ = 0, ⟨g1,g3⟩ = −1.5, ⟨g2,g3⟩ = 4.
    // Self term left out: Σ_{j≠d} M_dj = (0 − 1.5, 0 + 4, −1.5 + 4) = (−1.5, 4, 2.5).
    // Mean norm (1 + 2 + 2.5)/3 = 11/6; lr_t = 0.01: s = 0.01·(−1.5, 4, 2.5)/(11/6) = (−0.008182, 0.021818, 0.013636).
    // Clip to [lr·dwMin, lr·dwMax] = [0, 0.02] (dwMax 2): s = (0, 0.02, 0.013636).
    // μ = 0.05: s/μ = (0, 0.4, 0.272727); α = (0.2, 0.3, 0.5) → ∝ (0.2, 0.3·e^0.4, 0.5·e^0.272727)
    //   = (0.2, 0.447547, 0.656760) / 1.304307 = (0.153337, 0.343127, 0.503536).
    // ε = 0.1: 0.9·α + 0.1/3 = (0.171337, 0.342148, 0.486516).
    const grads = [Float32Array.of(-1, 0), Float32Array.of(0, 2), Float32Array.of(3, 4)];
    const o = dogeOfficialSchema.parse({ mu: 0.05, dwMin: 0, dwMax: 2, reweightEps: 0.1 });
    const { weights, scores } = officialDogeStep([0.2, 0.3, 0.5], grads, 0.01, 2.5, o);
    // g3 clipped in place (as the official clips p.grad; the model gradient is built from the clipped g_d)
    expect(grads[2][0]).toBeCloseTo(1.5, 5);
    expect(grads[2][1]).toBeCloseTo(2, 5);
    expect(grads[0][0]).toBe(-1);
    [0, 0.02, 0.013636].forEach((s, d) => expect(scores[d]).toBeCloseTo(s, 6));
    [0.171337, 0.342148, 0.486516].forEach((w, d) => expect(weights[d]).toBeCloseTo(w, 5));
    expect(sum(weights)).toBeCloseTo(1, 12);
  });

  it("uses the official defaults μ = 0.05, scores in [0, 5·lr_t], no smoothing", () => {
    const o = dogeOfficialSchema.parse({});
    expect(o).toEqual({ mu: 0.05, dwMin: 0, dwMax: 5, reweightEps: 0 });
    // two aligned domains, one huge alignment: the score saturates at 5·lr_t = 0.05
    const s = officialScores([Float32Array.of(100, 0), Float32Array.of(100, 0)], 0.01, o);
    expect(Array.from(s)).toEqual([0.05, 0.05]);
    // s/μ = log 3 moves (1/2, 1/2) to (1/4, 3/4)
    const w = officialWeights([0.5, 0.5], [0, 0.05 * Math.log(3)], o);
    expect(w[0]).toBeCloseTo(0.25, 12);
    expect(w[1]).toBeCloseTo(0.75, 12);
  });

  it("a domain's self-alignment does not raise its own score", () => {
    // g1 large and orthogonal to the others: with the self term its score would be ‖g1‖² > 0; without, 0
    const s = officialScores([Float32Array.of(10, 0, 0), Float32Array.of(0, 1, 0), Float32Array.of(0, 1, 1)], 0.1, dogeOfficialSchema.parse({}));
    expect(s[0]).toBe(0);
    expect(s[1]).toBeGreaterThan(0);
  });
});

describe("dogeSpecSchema's update option", () => {
  const proxy = { preset: "tiny" as const, steps: 4, batchSize: 14, seqLen: 16, lr: 3e-3, warmupSteps: 1 };

  it("adds nothing to a config without it (committed stores keep their resolved config)", () => {
    const parsed = dogeSpecSchema.parse({ proxy, stepSize: 1 });
    expect(Object.keys(parsed).sort()).toEqual(["proxy", "stepSize"]);
  });

  it("refuses official constants without update: official, and η with the official update", () => {
    expect(dogeSpecSchema.safeParse({ proxy, official: { mu: 0.01 } }).success).toBe(false);
    expect(dogeSpecSchema.safeParse({ proxy, update: "official", stepSize: 0.5 }).success).toBe(false);
    expect(dogeSpecSchema.safeParse({ proxy, update: "official", official: { mu: 0.01 } }).success).toBe(true);
  });
});

describe("runDoge: paper form pinned, official form on the fixture corpus", () => {
  const corpus = loadCorpus(fixtureCorpusDir());
  const proxy = { preset: "tiny" as const, steps: 4, batchSize: 14, seqLen: 16, lr: 3e-3, warmupSteps: 1 };

  it("the paper form (no update field) gives the pinned mixture of the code before issue 27", async () => {
    const r = await runDoge(corpus, dogeSpecSchema.parse({ proxy }), 3);
    const pinned: Record<string, number> = PAPER_PINNED;
    for (const d of corpus.domains) expect(r.mixture[d]).toBeCloseTo(pinned[d], 12);
  }, 60_000);

  it("the official form gives a deterministic mixture on the simplex that differs from the paper form's", async () => {
    const spec = dogeSpecSchema.parse({ proxy, update: "official" });
    const a = await runDoge(corpus, spec, 3);
    expect(await runDoge(corpus, spec, 3)).toEqual(a);
    expect(sum(Object.values(a.mixture))).toBeCloseTo(1, 12);
    const paper = await runDoge(corpus, dogeSpecSchema.parse({ proxy }), 3);
    expect(a.mixture).not.toEqual(paper.mixture);
    // the official scores are clipped to [0, 5·lr_t] every step, so their means are too
    for (const s of Object.values(a.meanScores)) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(5 * 3e-3 + 1e-15);
    }
  }, 60_000);
});

// runDoge(fixture, { proxy }, 3).mixture at commit 3e4af2d (before the official update existed)
const PAPER_PINNED: Record<string, number> = {"books": 0.0811722466516251, "speeches": 0.08387108132192461, "email": 0.08052681499610453, "dictionary": 0.07630404666391068, "encyclopedic": 0.0799705739000496, "legal": 0.0794848219907216, "code_ts_js": 0.06994377883044783, "code_python": 0.08836565274459939, "code_c": 0.07347965325510242, "math_docs": 0.07643903147612419, "multilingual": 0.07346263019892596, "structured_json": 0.06765927351343727, "math": 0.06932039445702688};
