import { describe, expect, it } from "vitest";
import { Mixture } from "../../kernel-lib/data/mixture.js";
import { logSpaced, roundToGrid, sampleRegmixMixtures } from "../../kernel-lib/regmix/mixtures.js";
import { MixlabError } from "../../kernel-lib/util/errors.js";

// The Pile prior from RegMix's synthesize_mixture.py (17 domains).
const PILE_PRIOR = [0.113285273, 0.079608651, 0.003913491, 0.185375901, 0.051081359, 0.015962925, 0.101750772, 0.003707518,
  0.066529351, 0.001750772, 0.027085479, 0.236869207, 0.01184346, 0.007929969, 0.008032956, 0.038825953, 0.046446962];
const domains = PILE_PRIOR.map((_, i) => `d${i}`);
const prior = Mixture.normalised(domains, PILE_PRIOR);

describe("RegMix mixture sampler", () => {
  it("log-spaces strengths like numpy.logspace", () => {
    const s = logSpaced(0.1, 5, 15);
    expect(s[0]).toBeCloseTo(0.1, 12);
    expect(s[14]).toBeCloseTo(5, 12);
    expect(s[7]).toBeCloseTo(Math.sqrt(0.1 * 5), 12);
  });

  it("rounds onto the grid and keeps the sum at exactly 1", () => {
    const r = roundToGrid([0.33333, 0.33333, 0.33334], 0.01);
    expect(Array.from(r).map((x) => Math.round(x * 100))).toEqual([33, 33, 34]);
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("returns N distinct valid mixtures within the 15-epoch bound, on the 2e-4 grid", () => {
    const ms = sampleRegmixMixtures(prior, { numSamples: 128, seed: 42 });
    expect(ms).toHaveLength(128);
    const keys = new Set(ms.map((m) => Array.from(m.weights).join(",")));
    expect(keys.size).toBe(128);
    for (const m of ms) {
      m.weights.forEach((w, j) => {
        expect(w).toBeLessThanOrEqual(Math.min(prior.weights[j] * 15, 1) + 2e-4);
        expect(Math.abs(w / 2e-4 - Math.round(w / 2e-4))).toBeLessThan(1e-6);
      });
    }
  });

  it("is deterministic by seed", () => {
    const a = sampleRegmixMixtures(prior, { numSamples: 16, seed: 7 });
    const b = sampleRegmixMixtures(prior, { numSamples: 16, seed: 7 });
    const c = sampleRegmixMixtures(prior, { numSamples: 16, seed: 8 });
    expect(a.map(String)).toEqual(b.map(String));
    expect(a.map(String)).not.toEqual(c.map(String));
  });

  it("centres on the tempered prior: mean weight ≈ prior^0.5 renormalised (bounded domains excepted)", () => {
    const ms = sampleRegmixMixtures(prior, { numSamples: 2000, seed: 1, sampleMultiplier: 2, maxUsage: Infinity, minimum: 1e-5 });
    const t = Array.from(prior.weights, Math.sqrt);
    const ts = t.reduce((a, b) => a + b, 0);
    const mean = new Float64Array(17);
    for (const m of ms) m.weights.forEach((w, j) => { mean[j] += w / ms.length; });
    // Dirichlet mean is alpha/sum(alpha) whatever the strength.
    t.forEach((x, j) => expect(Math.abs(mean[j] - x / ts)).toBeLessThan(0.02));
  });

  it("names bad options and impossible requests", () => {
    expect(() => sampleRegmixMixtures(prior, { numSamples: 0, seed: 1 })).toThrow(MixlabError);
    expect(() => sampleRegmixMixtures(prior, { numSamples: 4, seed: 1, temperature: -1 })).toThrow(/temperature/);
    // two domains, grid of 0.5: at most 3 distinct mixtures exist
    const two = Mixture.uniform(["a", "b"]);
    expect(() => sampleRegmixMixtures(two, { numSamples: 10, seed: 1, minimum: 0.5 })).toThrow(/REGMIX_TOO_FEW|distinct/);
  });
});
