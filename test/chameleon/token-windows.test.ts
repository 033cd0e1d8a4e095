/**
 * Chameleon steps 1–2 on a BPE corpus (`mixlab data import --tokenizer`, a BPE learned from the
 * fixture documents): the proxy is trained on the corpus's ids with its vocabulary, the windows
 * are windows of token ids (not of the split files' raw bytes), and the embeddings of token
 * windows are finite d-vectors that differ from those of the same split read as bytes — which a
 * proxy of another vocabulary is refused.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embedDomains, embedDomainWindows, windowEmbeddings } from "../../kernel-lib/chameleon/embed.js";
import { chameleonWeights } from "../../kernel-lib/chameleon/pipeline.js";
import { trainChameleonProxy, type ChameleonProxy } from "../../kernel-lib/chameleon/proxy.js";
import { sampleDomainWindows, type DomainWindows } from "../../kernel-lib/chameleon/windows.js";
import { corpusTokenizer } from "../../kernel-lib/data/corpus-text.js";
import { createEngine, initModel, presetConfig, type GptEngine } from "../../kernel-lib/model/index.js";
import { configForCorpus } from "../../kernel-lib/model/vocab.js";
import { trainRecipeSchema } from "../../kernel-lib/train/recipe.js";
import { importFixtureBpe, type TokenCorpusPair } from "../data/helpers.js";
import { errorCode } from "./helpers.js";

const DOMAINS = ["books", "code_python", "dictionary", "structured_json"];
const T = 32;
const WINDOWS = { windowsPerDomain: 12, seqLen: T, seed: 5 };
const root = mkdtempSync(join(tmpdir(), "mixlab-chameleon-tokens-"));
let pair: TokenCorpusPair;
let proxy: ChameleonProxy;
let engine: GptEngine;

beforeAll(async () => {
  pair = await importFixtureBpe(root, DOMAINS, 200, 160);
  proxy = await trainChameleonProxy(pair.tokens, trainRecipeSchema().parse({ preset: "tiny", steps: 40, batchSize: 8, seqLen: T, lr: 3e-3 }), 1);
  engine = (await createEngine(proxy.model.config)).engine;
}, 120_000);

afterAll(() => {
  engine?.dispose();
  rmSync(root, { recursive: true, force: true });
});

/**
 * The byte path: each window as a byte reader of the split file sees the same spot — T bytes, the
 * little-endian bytes of the window's first T/2 ids.
 */
function rawByteWindows(w: DomainWindows): DomainWindows {
  const tokens = new Int32Array(w.windows * T);
  for (let i = 0; i < w.windows; i++) {
    for (let t = 0; t < T; t++) {
      const id = w.tokens[i * T + (t >> 1)];
      tokens[i * T + t] = t % 2 === 0 ? id & 0xff : id >> 8;
    }
  }
  return { ...w, tokens, mask: new Uint8Array(w.windows * T).fill(1) };
}

describe("Chameleon on a BPE corpus", () => {
  it("trains the proxy with the tokenizer's vocabulary and cuts windows of its ids", () => {
    expect(proxy.model.config.vocabSize).toBe(configForCorpus(presetConfig("tiny"), pair.tokens).vocabSize);
    expect(proxy.model.config.vocabSize).toBeGreaterThan(256);
    const tok = corpusTokenizer(pair.tokens)!;
    for (const d of DOMAINS) {
      const w = sampleDomainWindows(pair.tokens, d, WINDOWS);
      const stream = Array.from(pair.tokens.tokens(d, "train"));
      let merged = 0, decoded = 0;
      for (let i = 0; i < w.windows; i++) {
        const row = Array.from(w.tokens.subarray(i * T, (i + 1) * T));
        // a contiguous piece of the domain's id stream, ids of BPE merges among them
        expect(stream.some((_, s) => row.every((v, t) => stream[s + t] === v)), `${d} window ${i}`).toBe(true);
        merged += row.filter((id) => id > 256).length;
        // and text of the domain: the byte twin's train split holds what the window's ids up to
        // its first EOS decode to (a window runs across documents)
        const eos = row.indexOf(tok.eosId);
        const text = Buffer.from(tok.decode(eos < 0 ? row : row.slice(0, eos)), "utf8");
        if (text.includes("\uFFFD")) continue; // cut inside a UTF-8 character
        expect(Buffer.from(pair.bytes.split(d, "train")).includes(text), `${d} window ${i}`).toBe(true);
        decoded++;
      }
      expect(merged).toBeGreaterThan(w.windows * T * 0.2);
      expect(decoded).toBeGreaterThan(w.windows / 2);
    }
  });

  it("embeds token windows to finite d-vectors that differ from the raw-byte windows of the same split", async () => {
    const d = proxy.model.config.dModel;
    const X = await embedDomains(proxy.model, pair.tokens, DOMAINS, { windows: WINDOWS, engine });
    expect(X.embeddings).toHaveLength(DOMAINS.length);
    for (const e of X.embeddings) {
      expect(e).toHaveLength(d);
      expect(e.every(Number.isFinite)).toBe(true);
    }
    // the domains are told apart, and the weights they give are a distribution
    expect(Math.max(...X.embeddings[0].map((v, j) => Math.abs(v - X.embeddings[3][j])))).toBeGreaterThan(1e-3);
    const weights = Array.from(chameleonWeights({ domains: DOMAINS, embeddings: X.embeddings }).ptWeights);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(weights.every((w) => w > 0 && Number.isFinite(w))).toBe(true);
    for (const [i, dom] of DOMAINS.entries()) {
      const w = sampleDomainWindows(pair.tokens, dom, WINDOWS);
      const viaBytes = embedDomainWindows(engine, proxy.model, rawByteWindows(w)).embedding;
      expect(viaBytes).toHaveLength(d);
      expect(Math.max(...X.embeddings[i].map((v, j) => Math.abs(v - viaBytes[j]))), dom).toBeGreaterThan(1e-3);
    }
  });

  it("refuses a proxy of another vocabulary (EMBED_VOCAB_MISMATCH) and ids outside the proxy's (EMBED_BAD_WINDOWS)", async () => {
    const byteProxy = initModel(presetConfig("tiny"), 1);
    const byteEngine = (await createEngine(byteProxy.config)).engine;
    try {
      await expect(embedDomains(byteProxy, pair.tokens, DOMAINS, { windows: WINDOWS, engine: byteEngine })).rejects.toMatchObject({ code: "EMBED_VOCAB_MISMATCH" });
      await expect(embedDomains(proxy.model, pair.bytes, DOMAINS, { windows: WINDOWS, engine })).rejects.toMatchObject({ code: "EMBED_VOCAB_MISMATCH" });
      const w = sampleDomainWindows(pair.tokens, "books", WINDOWS);
      expect(errorCode(() => windowEmbeddings(byteEngine, byteProxy, w))).toBe("EMBED_BAD_WINDOWS");
    } finally {
      byteEngine.dispose();
    }
  });
});
