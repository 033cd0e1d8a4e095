/**
 * Chameleon steps 1–2 and 6 on a real (random-init, tiny) proxy and the fixture corpus:
 * windows (default: across documents, as the official code; "document" cuts), padding to each
 * batch's longest window, pooling (masked vs with padding), duplicate dropping, determinism, and
 * the new-domain path (equal to a full recompute, no training). The embedding step against a
 * hand computation is in embed-hand.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EOS_BYTE } from "../../kernel-lib/data/format.js";
import { chameleonWeights } from "../../kernel-lib/chameleon/pipeline.js";
import { chameleonLayer, embedDomains, embedDomainWindows, paddedBatches, windowEmbeddings } from "../../kernel-lib/chameleon/embed.js";
import { embeddingFlops, embeddingFlopsPerToken } from "../../kernel-lib/chameleon/cost.js";
import { weightsWithNewDomains } from "../../kernel-lib/chameleon/new-data.js";
import { resolveWindowMode, sampleDomainWindows, type DomainWindows, type WindowMode } from "../../kernel-lib/chameleon/windows.js";
import { loadCorpus } from "../../kernel-lib/data/corpus.js";
import { presetConfig } from "../../kernel-lib/model/config.js";
import type { GptEngine } from "../../kernel-lib/model/engine.js";
import { FusedEngine } from "../../kernel-lib/model/engine-fused.js";
import { domainEmbedding } from "../../kernel-lib/model/embed.js";
import { initModel } from "../../kernel-lib/model/params.js";
import { fixtureCorpusDir, projectRoot } from "../../kernel-lib/util/paths.js";
import { embedSpecSchema } from "../../kernel-lib/chameleon/spec.js";
import { embedOptions } from "../../kernel-lib/chameleon/proxy-run.js";
import { errorCode, writeTinyCorpus } from "./helpers.js";

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

/** Real length of each window (its mask's leading 1s), checked to be a prefix. */
function lengthsOf(w: DomainWindows): number[] {
  return Array.from({ length: w.windows }, (_, i) => {
    const m = w.mask.subarray(i * w.seqLen, (i + 1) * w.seqLen);
    const real = m.reduce((a, b) => a + b, 0);
    for (let t = 0; t < w.seqLen; t++) if (m[t] !== (t < real ? 1 : 0)) throw new Error(`window ${i}: mask is not a prefix`);
    return real;
  });
}

describe("sampleDomainWindows", () => {
  const base = { windowsPerDomain: 64, seqLen: 256, seed: 3 };

  it("by default takes T-byte windows of the domain's stream across documents (EOS kept) and pads nothing", () => {
    const w = sampleDomainWindows(corpus, "code_c", base);
    const stream = Buffer.from(corpus.split("code_c", "train"));
    expect(w.mask.every((v) => v === 1)).toBe(true); // every window is full: nothing to pad
    let crossing = 0;
    for (let i = 0; i < w.windows; i++) {
      const row = w.tokens.subarray(i * 256, (i + 1) * 256);
      // the window is a contiguous piece of the split, EOS bytes where the stream has them
      expect(stream.indexOf(Buffer.from(Uint8Array.from(row)))).toBeGreaterThanOrEqual(0);
      // an EOS before the last position followed by more real bytes: the window crossed a document
      // boundary — impossible in document mode, where a window ends at its first EOS
      const eos = row.indexOf(EOS_BYTE);
      if (eos >= 0 && eos < 255) crossing++;
    }
    // short C files: many windows cross; exactly those a document cut would have padded
    const doc = sampleDomainWindows(corpus, "code_c", { ...base, windowMode: "document" });
    expect(crossing).toBeGreaterThan(10);
    expect(crossing).toBe(lengthsOf(doc).filter((real) => real < 256).length);
    // padded to the longest of each batch = T: every engine batch is [B, T] and holds no pad
    for (const b of paddedBatches(w, 16)) expect(b.width).toBe(256);
    // the deprecated "cross" is the same windows, bit for bit
    expect(sampleDomainWindows(corpus, "code_c", { ...base, documentBoundaries: "cross" }).tokens).toEqual(w.tokens);
    expect(sampleDomainWindows(corpus, "code_c", { ...base, windowMode: "stream" }).tokens).toEqual(w.tokens);
    // same seed, another call: identical; the window stream of a domain depends on nothing else
    expect(sampleDomainWindows(corpus, "code_c", base).tokens).toEqual(w.tokens);
    expect(sampleDomainWindows(corpus, "code_c", { ...base, seed: 4 }).tokens).not.toEqual(w.tokens);
  });

  it("windowMode 'document' cuts each window after its first EOS and pads the rest; batches pad to their longest", () => {
    const w = sampleDomainWindows(corpus, "code_c", { ...base, windowMode: "document" });
    const stream = sampleDomainWindows(corpus, "code_c", base); // same seed → same start positions
    const lengths = lengthsOf(w);
    const problems: string[] = [];
    let padded = 0;
    for (let i = 0; i < w.windows; i++) {
      const tok = w.tokens.subarray(i * 256, (i + 1) * 256);
      const full = stream.tokens.subarray(i * 256, (i + 1) * 256);
      const real = lengths[i];
      const firstEos = full.indexOf(EOS_BYTE);
      // the document window is the stream window up to and including its first EOS
      if (real !== (firstEos < 0 ? 256 : firstEos + 1)) problems.push(`window ${i}: ${real} real bytes, stream's first EOS at ${firstEos}`);
      for (let t = 0; t < real; t++) if (tok[t] !== full[t]) problems.push(`window ${i}: byte ${t} differs from the stream`);
      for (let t = 0; t < real - 1; t++) if (tok[t] === EOS_BYTE) problems.push(`window ${i}: EOS inside the sample at ${t}`);
      if (real < 256) {
        padded++;
        if (tok[real - 1] !== EOS_BYTE) problems.push(`window ${i}: padded sample does not end with EOS`);
        for (let t = real; t < 256; t++) if (tok[t] !== EOS_BYTE) problems.push(`window ${i}: pad byte ${tok[t]} at ${t}`);
      }
    }
    expect(problems).toEqual([]);
    expect(padded).toBeGreaterThan(10); // C files are short: many windows are padded
    // the deprecated "pad" is the same windows
    expect(sampleDomainWindows(corpus, "code_c", { ...base, documentBoundaries: "pad" }).tokens).toEqual(w.tokens);
    // each engine batch is padded to its own longest window (padding=True), not to T (max_length)
    const batches = paddedBatches(w, 2);
    for (const b of batches) expect(b.width).toBe(Math.max(...lengths.slice(b.start, b.start + b.count)));
    expect(batches.some((b) => b.width < 256)).toBe(true);
  });

  it("rejects unknown or contradicting window modes (EMBED_BAD_OPTION)", () => {
    expect(errorCode(() => sampleDomainWindows(corpus, "email", { ...base, windowMode: "doc" as WindowMode }))).toBe("EMBED_BAD_OPTION");
    expect(errorCode(() => sampleDomainWindows(corpus, "email", { ...base, windowMode: "stream", documentBoundaries: "pad" }))).toBe("EMBED_BAD_OPTION");
    expect(resolveWindowMode({ windowMode: "document", documentBoundaries: "pad" })).toBe("document");
    expect(resolveWindowMode({})).toBe("stream");
  });

  it("the experiments' embed block: windowMode defaults to stream, the old key still reads, a contradiction is refused", () => {
    const block = { windowsPerDomain: 8, seqLen: 32 };
    const mode = (raw: object) => embedOptions(embedSpecSchema.parse({ ...block, ...raw }), 1).windows;
    expect(resolveWindowMode(mode({}))).toBe("stream");
    expect(resolveWindowMode(mode({ windowMode: "document" }))).toBe("document");
    expect(resolveWindowMode(mode({ documentBoundaries: "pad" }))).toBe("document");
    expect(resolveWindowMode(mode({ documentBoundaries: "cross" }))).toBe("stream");
    expect(embedSpecSchema.safeParse({ ...block, windowMode: "stream", documentBoundaries: "pad" }).success).toBe(false);
    expect(embedSpecSchema.safeParse({ ...block, windowMode: "max_length" }).success).toBe(false);
    // every shipped config with a Chameleon embed block asks for the official windows
    for (const f of ["chameleon-pretrain.json", "chameleon-transfer.json", "chameleon-finetune.json", "compare.json"]) {
      const json = JSON.parse(readFileSync(join(projectRoot(), "experiments", f), "utf8")) as { embed?: unknown; chameleon?: { embed: unknown } };
      expect(resolveWindowMode(embedOptions(embedSpecSchema.parse(json.embed ?? json.chameleon?.embed), 1).windows), f).toBe("stream");
    }
  });
});

describe("windows of a split shorter than T, and of a token corpus", () => {
  const root = mkdtempSync(join(tmpdir(), "mixlab-chameleon-windows-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const text = (s: string) => new TextEncoder().encode(s);
  const long = text("a first document\0then a second one\0and a third, longer document of text\0");
  const short = text("ab\0cd\0e"); // 7 bytes < T
  writeTinyCorpus(root, { long: { train: long, validation: long, test: long }, short: { train: short, validation: new Uint8Array(0), test: short } });
  const tiny = loadCorpus(root);
  const Tw = 12;

  it("stream: the whole split, padded only to its own length in the embedding batch; document: cut at the first EOS", async () => {
    const w = sampleDomainWindows(tiny, "short", { windowsPerDomain: 5, seqLen: Tw, seed: 1 });
    for (let i = 0; i < 5; i++) {
      expect(Array.from(w.tokens.subarray(i * Tw, (i + 1) * Tw))).toEqual([...short, 0, 0, 0, 0, 0]);
      expect(Array.from(w.mask.subarray(i * Tw, (i + 1) * Tw))).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    }
    expect(paddedBatches(w, 2).map((b) => b.width)).toEqual([7, 7, 7]);
    const doc = sampleDomainWindows(tiny, "short", { windowsPerDomain: 2, seqLen: Tw, seed: 1, windowMode: "document" });
    expect(Array.from(doc.mask.subarray(0, Tw)).reduce((a, b) => a + b, 0)).toBe(3); // "ab\0"
    // an empty split has no window at all
    expect(errorCode(() => sampleDomainWindows(tiny, "short", { windowsPerDomain: 2, seqLen: Tw, seed: 1, split: "validation" }))).toBe("MIXTURE_EMPTY_DOMAIN");

    // embedded: 5 identical windows of 7 real bytes, run as [B, 7] (no padding), kept once
    const X = await embedDomains(model, tiny, ["long", "short"], { windows: { windowsPerDomain: 5, seqLen: Tw, seed: 1 }, engine, batchSize: 2 });
    expect(X.windowMode).toBe("stream");
    expect(X.uniqueWindows[1]).toBe(1);
    expect(X.realTokens).toEqual([5 * Tw, 5 * 7]);
    expect(X.forwardTokens).toBe(5 * Tw + 5 * 7);
    expect(X.flops).toBe(embeddingFlops(cfg, 5, Tw, 1) + embeddingFlops(cfg, 5, 7, 1));
    // the whole split's masked mean, and (no padding in a batch of equal windows) the padded mean too
    const h = hiddenOf(Int32Array.from(short));
    const want = new Float64Array(d);
    for (let t = 0; t < 7; t++) for (let j = 0; j < d; j++) want[j] += h[t * d + j] / 7;
    expect(maxDiff(X.embeddings[1], want)).toBeLessThan(1e-5);
    const Xpad = await embedDomains(model, tiny, ["short"], { windows: { windowsPerDomain: 5, seqLen: Tw, seed: 1 }, engine, includePadding: true });
    expect(maxDiff(Xpad.embeddings[0], want)).toBeLessThan(1e-5);
  });

  it("reads token ids (uint16) and cuts documents at the manifest's EOS id", () => {
    const dir = join(root, "tok");
    const ids = Uint16Array.from([300, 301, 299, 5, 6, 7, 299, 400, 401, 402, 403, 299]); // EOS id 299
    writeTinyCorpus(dir, { a: { train: ids, validation: ids, test: ids } }, { eos: 299, vocabSize: 512 });
    const c = loadCorpus(dir);
    const w = sampleDomainWindows(c, "a", { windowsPerDomain: 8, seqLen: 6, seed: 2 });
    const doc = sampleDomainWindows(c, "a", { windowsPerDomain: 8, seqLen: 6, seed: 2, windowMode: "document" });
    const stream = Array.from(ids);
    for (let i = 0; i < 8; i++) {
      const row = Array.from(w.tokens.subarray(i * 6, (i + 1) * 6));
      const start = stream.findIndex((_, s) => row.every((v, t) => stream[s + t] === v));
      expect(start).toBeGreaterThanOrEqual(0); // ids, not bytes: a contiguous piece of the id stream
      const cut = row.indexOf(299);
      const real = cut < 0 ? 6 : cut + 1;
      expect(Array.from(doc.tokens.subarray(i * 6, (i + 1) * 6))).toEqual([...row.slice(0, real), ...Array(6 - real).fill(299)]);
      expect(Array.from(doc.mask.subarray(i * 6, (i + 1) * 6)).reduce((a, b) => a + b, 0)).toBe(real);
    }
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

  it("masked mean ignores padding; includePadding is the mean over the row padded to its batch's longest window", () => {
    const src = sampleDomainWindows(corpus, "legal", { windowsPerDomain: 2, seqLen: T, seed: 9 });
    const lens = [10, 20]; // one batch: the longest is 20, so window 0 is padded to 20 (not to T = 32)
    const tokens = src.tokens.slice();
    const mask = new Uint8Array(2 * T);
    lens.forEach((real, i) => {
      mask.fill(1, i * T, i * T + real);
      tokens.fill(EOS_BYTE, i * T + real, (i + 1) * T);
    });
    const w: DomainWindows = { domain: "legal", windows: 2, seqLen: T, tokens, mask };
    const row = (i: number) => tokens.subarray(i * T, (i + 1) * T);
    const meanOf = (h: Float32Array, n: number) => {
      const out = new Float64Array(d);
      for (let t = 0; t < n; t++) for (let j = 0; j < d; j++) out[j] += h[t * d + j] / n;
      return out;
    };

    // masked: the mean of the first `real` states, which a causal model computes from the prefix alone
    const masked = windowEmbeddings(engine, model, w);
    lens.forEach((real, i) => expect(maxDiff(masked[i], meanOf(hiddenOf(row(i), real), real))).toBeLessThan(1e-5));
    // …so the pad bytes' values do not matter
    const otherPad = { ...w, tokens: tokens.map((v, t) => (t % T >= lens[Math.floor(t / T)] ? 65 : v)) };
    windowEmbeddings(engine, model, otherPad).forEach((e, i) => expect(maxDiff(e, masked[i])).toBeLessThan(1e-5));

    // includePadding: the mean over every position of the batch row, 20 = the longest window
    // (official padding=True), as the model layer's domainEmbedding computes it without a mask
    const unmasked = windowEmbeddings(engine, model, w, { includePadding: true });
    const padded0 = meanOf(hiddenOf(row(0), 20), 20);
    expect(maxDiff(unmasked[0], padded0)).toBeLessThan(1e-5);
    expect(maxDiff(unmasked[0], domainEmbedding(engine, model, { tokens: row(0).slice(0, 20), windows: 1, seqLen: 20 }))).toBeLessThan(1e-5);
    expect(maxDiff(unmasked[1], masked[1])).toBeLessThan(1e-5); // the longest window has no padding
    expect(maxDiff(unmasked[0], masked[0])).toBeGreaterThan(1e-4);
    // padding to T (max_length) would be a different vector
    expect(maxDiff(padded0, meanOf(hiddenOf(row(0)), T))).toBeGreaterThan(1e-4);
    // alone in its batch, window 0 is not padded at all
    expect(maxDiff(windowEmbeddings(engine, model, w, { includePadding: true, batchSize: 1 })[0], masked[0])).toBeLessThan(1e-5);
  });

  it("refuses masks that are not right padding, and windows with no real token (EMBED_BAD_WINDOWS)", () => {
    const src = sampleDomainWindows(corpus, "legal", { windowsPerDomain: 2, seqLen: T, seed: 9 });
    const holed = src.mask.slice();
    holed[3] = 0;
    expect(errorCode(() => windowEmbeddings(engine, model, { ...src, mask: holed }))).toBe("EMBED_BAD_WINDOWS");
    const empty = src.mask.slice().fill(0, 0, T);
    expect(errorCode(() => windowEmbeddings(engine, model, { ...src, mask: empty }))).toBe("EMBED_BAD_WINDOWS");
    expect(errorCode(() => windowEmbeddings(engine, model, { ...src, mask: empty }, { includePadding: true, batchSize: 1 }))).toBe("EMBED_BAD_WINDOWS");
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
