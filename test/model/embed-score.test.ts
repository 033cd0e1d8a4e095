import { describe, expect, it } from "vitest";
import { domainEmbedding } from "../../kernel-lib/model/embed.js";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { initModel } from "../../kernel-lib/model/params.js";
import { scoreChoices } from "../../kernel-lib/model/score.js";
import { maxAbsDiff, perturbedModel, randomTokens, smallConfig } from "./helpers.js";

const cfg = smallConfig();
const engine = new FusedEngine(cfg);

describe("domainEmbedding", () => {
  const T = 12, n = 5;
  const windows = { tokens: randomTokens(n * (T + 1), 1), windows: n, seqLen: T };

  it("is deterministic by seed and differs across seeds", () => {
    const e1 = domainEmbedding(engine, initModel(cfg, 42), windows);
    const e2 = domainEmbedding(engine, initModel(cfg, 42), windows);
    const e3 = domainEmbedding(engine, initModel(cfg, 43), windows);
    expect(e1.length).toBe(cfg.dModel);
    expect(maxAbsDiff(e1, e2)).toBe(0);
    expect(maxAbsDiff(e1, e3)).toBeGreaterThan(1e-3);
  });

  it("is the masked token mean of hidden_states[(L+1)//2], averaged over windows", () => {
    const m = perturbedModel(cfg, 3);
    const mask = new Uint8Array(n * T).fill(1);
    for (let t = 7; t < T; t++) mask[2 * T + t] = 0; // window 2 is padded after 7 tokens
    const e = domainEmbedding(engine, m, windows, { mask });
    const layer = Math.floor((cfg.nLayer + 1) / 2);
    const expected = new Float64Array(cfg.dModel);
    for (let w = 0; w < n; w++) {
      const inputs = windows.tokens.slice(w * (T + 1), w * (T + 1) + T);
      const h = engine.hidden(m.params, inputs, 1, T, layer);
      const len = w === 2 ? 7 : T;
      for (let t = 0; t < len; t++) for (let j = 0; j < cfg.dModel; j++) expected[j] += h[t * cfg.dModel + j] / len / n;
    }
    expect(maxAbsDiff(e, expected)).toBeLessThan(1e-5);
  });
});

describe("scoreChoices", () => {
  it("sums exactly the next-byte log-likelihoods of each continuation", () => {
    const m = perturbedModel(cfg, 5);
    const context = "ab", choices = ["c", "xyz"];
    const s = scoreChoices(engine, m, context, choices);
    for (let k = 0; k < choices.length; k++) {
      const bytes = [0, ...Buffer.from(context + choices[k])]; // document start + context + choice
      const T = bytes.length - 1;
      const losses = engine.tokenLosses(m.params, Int32Array.from(bytes), 1, T);
      let want = 0;
      for (let p = 1 + context.length; p <= T; p++) want -= losses[p - 1];
      expect(s.sum[k]).toBeCloseTo(want, 4);
      expect(s.mean[k]).toBeCloseTo(want / choices[k].length, 4);
    }
    expect(s.bestSum).toBe(s.sum[0] >= s.sum[1] ? 0 : 1);
  });

  it("prefers the continuation a model was trained to produce", () => {
    const m = perturbedModel(cfg, 6);
    // bias the output towards byte "q": raise wte["q"] along the direction of LN_f's shift
    const d = cfg.dModel, q = "q".charCodeAt(0);
    const lnfB = m.params.length - d;
    for (let j = 0; j < d; j++) { m.params[lnfB + j] = 1; m.params[q * d + j] += 0.5; }
    const s = scoreChoices(engine, m, "hello ", ["qqq", "zzz"]);
    expect(s.bestSum).toBe(0);
    expect(s.bestMean).toBe(0);
  });
});
