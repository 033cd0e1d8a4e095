/**
 * Chameleon steps 1–2 and 6 on a real (random-init, tiny) proxy and the fixture corpus:
 * windows, pooling (masked vs with padding), duplicate dropping, determinism, and the
 * new-domain path (equal to a full recompute, no training).
 */
import { describe, expect, it } from "vitest";
import { EOS_BYTE } from "../../kernel-lib/data/format.js";
import { chameleonWeights } from "../../kernel-lib/chameleon/pipeline.js";
import { chameleonLayer, embedDomains, embedDomainWindows, windowEmbeddings } from "../../kernel-lib/chameleon/embed.js";
import { embeddingFlops, embeddingFlopsPerToken } from "../../kernel-lib/chameleon/cost.js";
import { weightsWithNewDomains } from "../../kernel-lib/chameleon/new-data.js";
import { sampleDomainWindows, type DomainWindows } from "../../kernel-lib/chameleon/windows.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { presetConfig } from "../../kernel-lib/model/config.js";
import type { GptEngine } from "../../kernel-lib/model/engine.js";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { domainEmbedding } from "../../kernel-lib/model/embed.js";
import { initModel } from "../../kernel-lib/model/params.js";
import { fixtureCorpusDir } from "../../kernel-lib/util/paths.js";

const corpus = loadCorpus(fixtureCorpusDir());
const cfg = presetConfig("tiny");
const model = initModel(cfg, 7);
const engine = new FusedEngine(cfg);
const T = 32;
const d = cfg.dModel;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** n copies of given windows (each a [T] token row, fully real) as DomainWindows. */
function windowsOf(rows: Int32Array[]): DomainWindows {
  const tokens = new Int32Array(rows.length * T);
  rows.forEach((r, i) => tokens.set(r, i * T));
  return { domain: "x", windows: rows.length, seqLen: T, tokens, mask: new Uint8Array(rows.length * T).fill(1) };
}

/** The layer's hidden states of one [T] window, [T, d]. */
function hiddenOf(tokens: Int32Array, len = tokens.length): Float32Array {
  return engine.hidden(model.params, tokens.subarray(0, len), 1, len, chameleonLayer(cfg.nLayer));
}

describe("sampleDomainWindows", () => {
  it("pads after the first EOS in 'pad' mode and never in 'cross' mode; streams are per domain", () => {
    const w = sampleDomainWindows(corpus, "email", { windowsPerDomain: 64, seqLen: 256, seed: 3 });
    let padded = 0;
    const problems: string[] = [];
    for (let i = 0; i < w.windows; i++) {
      const tok = w.tokens.subarray(i * 256, (i + 1) * 256);
      const mk = w.mask.subarray(i * 256, (i + 1) * 256);
      const real = mk.reduce((a, b) => a + b, 0);
      if (real === 0) problems.push(`window ${i}: no real token`);
      for (let t = 0; t < 256; t++) if (mk[t] !== (t < real ? 1 : 0)) problems.push(`window ${i}: mask is not a prefix`);
      for (let t = 0; t < real - 1; t++) if (tok[t] === EOS_BYTE) problems.push(`window ${i}: EOS inside the sample at ${t}`);
      if (real < 256) {
        padded++;
        if (tok[real - 1] !== EOS_BYTE) problems.push(`window ${i}: padded sample does not end with EOS`);
        for (let t = real; t < 256; t++) if (tok[t] !== EOS_BYTE) problems.push(`window ${i}: pad byte ${tok[t]} at ${t}`);
      }
    }
    expect(problems).toEqual([]);
    expect(padded).toBeGreaterThan(0); // email documents are short: some windows must be padded
    const cross = sampleDomainWindows(corpus, "email", { windowsPerDomain: 64, seqLen: 256, seed: 3, documentBoundaries: "cross" });
    expect(cross.mask.every((v) => v === 1)).toBe(true);
    // same seed, another call: identical; the window stream of a domain depends on nothing else
    expect(sampleDomainWindows(corpus, "email", { windowsPerDomain: 64, seqLen: 256, seed: 3 }).tokens).toEqual(w.tokens);
    expect(sampleDomainWindows(corpus, "email", { windowsPerDomain: 64, seqLen: 256, seed: 4 }).tokens).not.toEqual(w.tokens);
  });
});

describe("domain embedding", () => {
  const opts = { windows: { windowsPerDomain: 6, seqLen: T, seed: 11 } };

  it("is deterministic by seed (model and windows) and changes with either", async () => {
    const a = await embedDomains(model, corpus, ["books", "math"], { ...opts, engine });
    const b = await embedDomains(initModel(cfg, 7), corpus, ["books", "math"], { ...opts, engine });
    const otherWindows = await embedDomains(model, corpus, ["books", "math"], { windows: { ...opts.windows, seed: 12 }, engine });
    const otherModel = await embedDomains(initModel(cfg, 8), corpus, ["books", "math"], { ...opts, engine });
    expect(a.layer).toBe(1); // tiny: 2 blocks → hidden_states has 3 entries → index 3 // 2 = 1
    expect(a.embeddings[0].length).toBe(d);
    expect(maxDiff(a.embeddings[0], b.embeddings[0])).toBe(0);
    expect(maxDiff(a.embeddings[1], b.embeddings[1])).toBe(0);
    expect(maxDiff(a.embeddings[0], otherWindows.embeddings[0])).toBeGreaterThan(1e-4);
    expect(maxDiff(a.embeddings[0], otherModel.embeddings[0])).toBeGreaterThan(1e-4);
    // embedding a domain alone gives the same row as embedding it with others
    const alone = await embedDomains(model, corpus, ["math"], { ...opts, engine });
    expect(maxDiff(alone.embeddings[0], a.embeddings[1])).toBe(0);
  });

  it("drops duplicate windows: all-identical windows embed like one; [A,A,A,B] averages A and B once each", () => {
    const src = sampleDomainWindows(corpus, "books", { windowsPerDomain: 2, seqLen: T, seed: 5 });
    const A = src.tokens.slice(0, T), B = src.tokens.slice(T, 2 * T);
    const one = embedDomainWindows(engine, model, windowsOf([A]));
    // 5 copies in batches of 2: the copies sit at different batch positions and calls
    const five = embedDomainWindows(engine, model, windowsOf([A, A, A, A, A]), { batchSize: 2 });
    expect(five.uniqueWindows).toBe(1);
    expect(maxDiff(five.embedding, one.embedding)).toBe(0);

    const mixed = embedDomainWindows(engine, model, windowsOf([A, A, A, B]), { batchSize: 3 });
    const b = embedDomainWindows(engine, model, windowsOf([B]));
    expect(mixed.uniqueWindows).toBe(2);
    const half = Float64Array.from(one.embedding, (v, j) => (v + b.embedding[j]) / 2);
    expect(maxDiff(mixed.embedding, half)).toBeLessThan(1e-12);
    const noDedupe = embedDomainWindows(engine, model, windowsOf([A, A, A, B]), { dedupe: false });
    const weighted = Float64Array.from(one.embedding, (v, j) => (3 * v + b.embedding[j]) / 4);
    expect(maxDiff(noDedupe.embedding, weighted)).toBeLessThan(1e-12);
    expect(maxDiff(noDedupe.embedding, mixed.embedding)).toBeGreaterThan(1e-6);
  });

  it("masked mean ignores padding; includePadding is the plain mean over all T positions", () => {
    const src = sampleDomainWindows(corpus, "legal", { windowsPerDomain: 1, seqLen: T, seed: 9, documentBoundaries: "cross" });
    const real = 10;
    const tokens = src.tokens.slice();
    const mask = new Uint8Array(T);
    mask.fill(1, 0, real);
    for (let t = real; t < T; t++) tokens[t] = EOS_BYTE;
    const w: DomainWindows = { domain: "legal", windows: 1, seqLen: T, tokens, mask };

    // masked: the mean of the first `real` states, which a causal model computes from the prefix alone
    const prefix = hiddenOf(tokens, real);
    const wantMasked = new Float64Array(d);
    for (let t = 0; t < real; t++) for (let j = 0; j < d; j++) wantMasked[j] += prefix[t * d + j] / real;
    const masked = windowEmbeddings(engine, model, w)[0];
    expect(maxDiff(masked, wantMasked)).toBeLessThan(1e-5);
    // …so the pad bytes' values do not matter
    const otherPad = { ...w, tokens: tokens.map((v, t) => (t >= real ? 65 : v)) };
    expect(maxDiff(windowEmbeddings(engine, model, otherPad)[0], masked)).toBeLessThan(1e-5);

    // includePadding: the mean over every position, as the official code (and as the model
    // layer's domainEmbedding without a mask) computes it
    const full = hiddenOf(tokens);
    const wantAll = new Float64Array(d);
    for (let t = 0; t < T; t++) for (let j = 0; j < d; j++) wantAll[j] += full[t * d + j] / T;
    const unmasked = windowEmbeddings(engine, model, w, { includePadding: true })[0];
    expect(maxDiff(unmasked, wantAll)).toBeLessThan(1e-5);
    expect(maxDiff(unmasked, domainEmbedding(engine, model, { tokens, windows: 1, seqLen: T }))).toBeLessThan(1e-5);
    expect(maxDiff(unmasked, masked)).toBeGreaterThan(1e-4);
  });

  it("counts forward FLOPs up to the embedding layer", () => {
    // tiny: d = 64, m = 256, layer 1: 2·(4·64² + 2·64·256) + 4·T·64
    expect(embeddingFlopsPerToken(cfg, T, 1)).toBe(2 * (4 * 64 * 64 + 2 * 64 * 256) + 4 * T * 64);
    expect(embeddingFlops(cfg, 3, T, 1)).toBe(3 * T * embeddingFlopsPerToken(cfg, T, 1));
  });
});

/** A real engine that counts what is asked of it (no behaviour replaced). */
function countingEngine(inner: GptEngine): { engine: GptEngine; calls: { lossAndGrad: number; hidden: number } } {
  const calls = { lossAndGrad: 0, hidden: 0 };
  const engine: GptEngine = {
    name: inner.name,
    config: inner.config,
    lossAndGrad: (...a) => (calls.lossAndGrad++, inner.lossAndGrad(...a)),
    tokenLosses: (...a) => inner.tokenLosses(...a),
    logits: (...a) => inner.logits(...a),
    hidden: (...a) => (calls.hidden++, inner.hidden(...a)),
    dispose: () => {},
  };
  return { engine, calls };
}

describe("new domains with the frozen proxy", () => {
  it("equals a full recompute and takes no training step", async () => {
    const base = ["books", "speeches", "email", "code_c"];
    const added = ["math", "legal"];
    const opts = { windows: { windowsPerDomain: 6, seqLen: T, seed: 21 } };
    const X = await embedDomains(model, corpus, base, { ...opts, engine });
    const before = Float32Array.from(model.params);
    const { engine: counted, calls } = countingEngine(engine);
    const r = await weightsWithNewDomains(model, corpus, X, added, { ...opts, engine: counted });
    expect(calls.lossAndGrad).toBe(0); // no gradient was computed…
    expect(calls.hidden).toBeGreaterThan(0); // …only forward passes
    expect(Buffer.from(model.params.buffer).equals(Buffer.from(before.buffer))).toBe(true); // params untouched
    expect(r.result.domains).toEqual([...base, ...added]);
    expect(r.flops).toBe(embeddingFlops(cfg, added.length * 6, T, 1));

    const full = chameleonWeights(await embedDomains(model, corpus, [...base, ...added], { ...opts, engine }));
    expect(maxDiff(r.result.leverage, full.leverage)).toBeLessThan(1e-12);
    expect(maxDiff(r.result.ptWeights, full.ptWeights)).toBeLessThan(1e-12);
    expect(maxDiff(r.result.ftWeights, full.ftWeights)).toBeLessThan(1e-12);
  });
});
