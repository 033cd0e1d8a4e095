/**
 * Chameleon step 2 — domain embeddings xᵢ from the frozen proxy.
 *
 * For every window (`windows.ts`) the proxy's residual stream after layer ℓ is read, ℓ =
 * len(hidden_states) // 2 = ⌊(L+1)/2⌋ counting the embedding output as layer 0 (official
 * `hidden_states[len//2]`). Windows go to the engine in batches of `batchSize`, each batch padded
 * only to its longest window — the official `tokenizer(batch, padding=True, truncation=True)` in
 * LIONS-EPFL/Chameleon `utils.py` `_get_single_batch_gpt2_embeddings` ("longest" padding, one
 * batch of `embedding_batch_size` = 64 texts at a time), not to a fixed length. Each window's
 * states are averaged over its tokens — over the real tokens only (masked mean, default) or over
 * every position of its padded batch row (`includePadding`, what the official code does: it
 * takes `hidden_states[mid].mean(dim=1)` and never passes the attention mask to the mean). The
 * proxy is causal, so a real token's state does not depend on the padding after it: the masked
 * mean is the same whatever the batch is padded to. Windows whose embeddings are bit-identical are
 * kept once (official `np.unique(axis=0)`: repeated boilerplate or an EOS-only window would
 * otherwise count many times), and the domain embedding is the mean of the unique window
 * embeddings.
 *
 * One difference from the official padded mean is left: HF passes the attention mask to the
 * model, so there a pad position attends to the real tokens only; the engines here have no key
 * mask, so a pad position also attends to the pads before it. Real positions are identical, so
 * only `includePadding: true` can differ, and only on windows shorter than their batch's longest.
 *
 * Windows are token ids (windows.ts): bytes in a byte corpus, the tokenizer's ids in a token
 * corpus, so the proxy must have the corpus's vocabulary (`configForCorpus`, as `trainAndScore`
 * gives every proxy it trains): `embedDomains` refuses another (EMBED_VOCAB_MISMATCH), and
 * `windowEmbeddings` refuses ids outside the proxy's vocabulary (EMBED_BAD_WINDOWS).
 *
 * Shapes: windows tokens [n, T] → per engine call inputs [B, W] (W = longest window of the
 * batch ≤ T) → hidden [B, W, d] → window embeddings [n, d] → unique [u, d] → xᵢ [d]. Over k
 * domains: X [k, d], the input of steps 3–5.
 */
import type { Corpus } from "../data/corpus.js";
import { createEngine, type BackendChoice } from "../model/backend.js";
import type { GptEngine } from "../model/engine.js";
import type { GptModel } from "../model/params.js";
import { configForCorpus } from "../model/vocab.js";
import { seqLenIssue } from "../train/recipe.js";
import { MixlabError } from "../util/errors.js";
import { embeddingFlops } from "./cost.js";
import { resolveWindowMode, sampleDomainWindows, type DomainWindows, type WindowMode, type WindowOptions } from "./windows.js";

/** How window states become a domain embedding. */
export interface EmbedOptions {
  /** residual state to read: 0 = embedding output, l = after block l; default ⌊(L+1)/2⌋ */
  layer?: number;
  /** average over the padded positions of the batch row too (official code; default false = masked mean) */
  includePadding?: boolean;
  /** drop bit-identical window embeddings before averaging (official; default true) */
  dedupe?: boolean;
  /** windows per engine call (default 16) */
  batchSize?: number;
}

/** One domain's embedding and how it was made. */
export interface DomainEmbedding {
  domain: string;
  /** xᵢ: mean of the unique window embeddings, length d */
  embedding: Float64Array;
  /** windows read */
  windows: number;
  /** windows left after dropping duplicates */
  uniqueWindows: number;
  /** real (unpadded) tokens over all windows */
  realTokens: number;
  /** positions run through the proxy: Σ over engine batches of B · (longest window of the batch) */
  forwardTokens: number;
  /** forward FLOPs of those positions up to the layer read (`embeddingFlops` per batch) */
  flops: number;
}

/**
 * Chameleon's layer: `len(hidden_states) // 2` where hidden_states holds the embedding output
 * and one state per block (L + 1 entries).
 *
 * @example
 * chameleonLayer(2); // 1
 * chameleonLayer(12); // 6
 */
export function chameleonLayer(nLayer: number): number {
  return Math.floor((nLayer + 1) / 2);
}

function resolveLayer(model: GptModel, layer: number | undefined): number {
  const L = model.config.nLayer;
  const l = layer ?? chameleonLayer(L);
  if (!Number.isInteger(l) || l < 0 || l > L) throw new MixlabError("MODEL_BAD_LAYER", `layer must be an integer in 0..${L}, got ${l}`);
  return l;
}

/** One engine call: windows [start, start + count), each row cut to `width` positions. */
export interface PaddedBatch {
  /** first window of the batch */
  start: number;
  /** B: windows in the batch */
  count: number;
  /** W: the batch's longest window (its real tokens); every row is padded to W */
  width: number;
}

/**
 * Real length of every window: the number of leading 1s of its mask row. Errors
 * (`EMBED_BAD_WINDOWS`): a mask entry other than 0/1, or a 1 after a 0 (padding must be on the
 * right, as the sampler and `padding_side="right"` make it).
 *
 * @example
 * windowLengths({ domain: "x", windows: 2, seqLen: 3, tokens: new Int32Array(6), mask: Uint8Array.of(1, 1, 0, 1, 1, 1) }); // [2, 3]
 */
export function windowLengths(w: DomainWindows): number[] {
  const { windows: n, seqLen: T } = w;
  if (w.mask.length !== n * T) throw new MixlabError("EMBED_BAD_WINDOWS", `${w.domain}: ${w.mask.length} mask entries for ${n} windows of ${T}`);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = w.mask.subarray(i * T, (i + 1) * T);
    let len = 0;
    while (len < T && m[len] === 1) len++;
    for (let t = len; t < T; t++) {
      if (m[t] !== 0) throw new MixlabError("EMBED_BAD_WINDOWS", `${w.domain}: window ${i} mask has ${m[t]} at ${t} after padding began at ${len} (masks are 1…1 0…0)`);
    }
    out.push(len);
  }
  return out;
}

/**
 * The engine batches of `embedDomainWindows`: consecutive groups of `batchSize` windows, each
 * padded only to its longest window (official `padding=True`). When every window is full (the
 * default stream windows) every width is T and nothing is padded.
 *
 * @example
 * paddedBatches(windows, 16).reduce((s, b) => s + b.count * b.width, 0); // positions computed
 */
export function paddedBatches(w: DomainWindows, batchSize: number): PaddedBatch[] {
  return batchesOf(windowLengths(w), batchSize);
}

/** Consecutive groups of `batchSize` windows and their longest real length (see `paddedBatches`). */
function batchesOf(lengths: readonly number[], batchSize: number): PaddedBatch[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new MixlabError("EMBED_BAD_OPTION", `batchSize must be a positive integer, got ${batchSize}`);
  const out: PaddedBatch[] = [];
  for (let start = 0; start < lengths.length; start += batchSize) {
    const count = Math.min(batchSize, lengths.length - start);
    let width = 0;
    for (let b = 0; b < count; b++) width = Math.max(width, lengths[start + b]);
    out.push({ start, count, width });
  }
  return out;
}

/**
 * Per-window embeddings: the layer's hidden state pooled over each window's tokens.
 * windows [n, T] → engine batches [B, W] (W = the batch's longest window) → rows [n][d]
 * (Float64Array each). Masked mean (default): over the window's real tokens; `includePadding`:
 * over all W positions of its batch row. A window with no real token under the masked mean, or a
 * batch with no real token at all, is an error (`EMBED_BAD_WINDOWS`); the sampler never makes one.
 *
 * @example
 * const rows = windowEmbeddings(engine, model, sampleDomainWindows(corpus, "books", { windowsPerDomain: 8, seqLen: 64, seed: 1 }));
 * rows.length; // 8
 */
export function windowEmbeddings(engine: GptEngine, model: GptModel, w: DomainWindows, opts: EmbedOptions = {}): Float64Array[] {
  const layer = resolveLayer(model, opts.layer);
  const { windows: n, seqLen: T } = w;
  const d = model.config.dModel;
  const tooLong = seqLenIssue(T, model.config, "the proxy");
  if (tooLong) throw new MixlabError("EMBED_BAD_OPTION", `window length ${tooLong}`);
  if (w.tokens.length !== n * T || w.mask.length !== n * T) {
    throw new MixlabError("EMBED_BAD_WINDOWS", `${w.domain}: ${w.tokens.length} tokens / ${w.mask.length} mask entries for ${n} windows of ${T}`);
  }
  const V = model.config.vocabSize;
  for (let i = 0; i < w.tokens.length; i++) {
    // an id ≥ V would read past the embedding table: a proxy of another vocabulary
    if (!(w.tokens[i] >= 0 && w.tokens[i] < V)) throw new MixlabError("EMBED_BAD_WINDOWS", `${w.domain}: token id ${w.tokens[i]} at ${i} is outside the proxy's vocabulary 0..${V - 1}`);
  }
  const lengths = windowLengths(w);
  const out: Float64Array[] = [];
  for (const { start, count: B, width: W } of batchesOf(lengths, opts.batchSize ?? 16)) {
    if (W === 0) throw new MixlabError("EMBED_BAD_WINDOWS", `${w.domain}: windows ${start}..${start + B - 1} have no real token`);
    // inputs [B, W]: each row's first W tokens (its real tokens, then EOS padding up to W)
    let inputs: Int32Array;
    if (W === T) inputs = w.tokens.subarray(start * T, (start + B) * T);
    else {
      inputs = new Int32Array(B * W);
      for (let b = 0; b < B; b++) inputs.set(w.tokens.subarray((start + b) * T, (start + b) * T + W), b * W);
    }
    const h = engine.hidden(model.params, inputs, B, W, layer); // [B, W, d]
    for (let b = 0; b < B; b++) {
      const count = opts.includePadding ? W : lengths[start + b];
      if (count === 0) throw new MixlabError("EMBED_BAD_WINDOWS", `${w.domain}: window ${start + b} has no real token`);
      const pooled = new Float64Array(d);
      for (let t = 0; t < count; t++) {
        const o = (b * W + t) * d;
        for (let j = 0; j < d; j++) pooled[j] += h[o + j];
      }
      for (let j = 0; j < d; j++) pooled[j] /= count;
      out.push(pooled);
    }
  }
  return out;
}

/**
 * Keep the first occurrence of every bit-identical row (`np.unique(axis=0)` up to order; the
 * mean does not depend on order). Returns the kept rows and their indices.
 *
 * @example
 * uniqueRows([Float64Array.of(1, 2), Float64Array.of(1, 2), Float64Array.of(3, 4)]).indices; // [0, 2]
 */
export function uniqueRows(rows: readonly Float64Array[]): { rows: Float64Array[]; indices: number[] } {
  const seen = new Set<string>();
  const kept: Float64Array[] = [];
  const indices: number[] = [];
  rows.forEach((r, i) => {
    // the bytes of the row are an exact key: equal keys ⇔ bit-identical rows
    const key = Buffer.from(r.buffer, r.byteOffset, r.byteLength).toString("base64");
    if (seen.has(key)) return;
    seen.add(key);
    kept.push(r);
    indices.push(i);
  });
  return { rows: kept, indices };
}

/**
 * Mean of rows [n][d] → [d].
 *
 * @example
 * meanRows([Float64Array.of(1, 2), Float64Array.of(3, 4)]); // [2, 3]
 */
export function meanRows(rows: readonly Float64Array[]): Float64Array {
  if (rows.length === 0) throw new MixlabError("EMBED_BAD_WINDOWS", "no rows to average");
  const out = new Float64Array(rows[0].length);
  for (const r of rows) for (let j = 0; j < out.length; j++) out[j] += r[j];
  for (let j = 0; j < out.length; j++) out[j] /= rows.length;
  return out;
}

/**
 * One domain's embedding from its windows: pool each window, drop duplicates, average.
 * Deterministic: the same model and windows give the same vector.
 *
 * @example
 * const e = embedDomainWindows(engine, proxy, windows); // e.embedding: Float64Array(d)
 */
export function embedDomainWindows(engine: GptEngine, model: GptModel, w: DomainWindows, opts: EmbedOptions = {}): DomainEmbedding {
  const rows = windowEmbeddings(engine, model, w, opts);
  const kept = opts.dedupe === false ? rows : uniqueRows(rows).rows;
  let realTokens = 0;
  for (let i = 0; i < w.mask.length; i++) realTokens += w.mask[i];
  const layer = resolveLayer(model, opts.layer);
  let forwardTokens = 0, flops = 0;
  for (const b of paddedBatches(w, opts.batchSize ?? 16)) {
    forwardTokens += b.count * b.width;
    flops += embeddingFlops(model.config, b.count, b.width, layer);
  }
  return { domain: w.domain, embedding: meanRows(kept), windows: w.windows, uniqueWindows: kept.length, realTokens, forwardTokens, flops };
}

/** Options of `embedDomains`: where windows come from, how they are pooled, which engine runs. */
export interface EmbedDomainsOptions extends EmbedOptions {
  windows: WindowOptions;
  /** an engine for the proxy's config (reused, not disposed); default: a new one (disposed) */
  engine?: GptEngine;
  /** engine choice when none is given (default: MIXLAB_BACKEND or auto) */
  backend?: BackendChoice;
}

/** k domains embedded by one frozen proxy: X [k, d] plus the facts that make it reproducible. */
export interface DomainEmbeddingSet {
  domains: string[];
  /** X: row i is domains[i]'s embedding (length d) */
  embeddings: Float64Array[];
  layer: number;
  windowsPerDomain: number;
  seqLen: number;
  /** how the windows were cut (`windows.ts`) */
  windowMode: WindowMode;
  includePadding: boolean;
  /** per domain: windows left after dropping duplicates */
  uniqueWindows: number[];
  /** per domain: real tokens read */
  realTokens: number[];
  /** positions run through the proxy over all domains (each batch padded to its longest window) */
  forwardTokens: number;
  /** forward FLOPs spent (up to `layer`, padding included) */
  flops: number;
  seconds: number;
}

/**
 * Embed each domain with the frozen proxy (its parameters are only read). Domain i's windows
 * depend only on (domain, windows.seed), so embedding a subset gives the same rows as embedding
 * all domains at once. The proxy must have the corpus's vocabulary (EMBED_VOCAB_MISMATCH).
 *
 * @example
 * const X = await embedDomains(proxy.model, corpus, corpus.domains, { windows: { windowsPerDomain: 64, seqLen: 64, seed: 1 } });
 * chameleonWeights(X).ptWeights;
 */
export async function embedDomains(model: GptModel, corpus: Corpus, domains: readonly string[], opts: EmbedDomainsOptions): Promise<DomainEmbeddingSet> {
  const layer = resolveLayer(model, opts.layer);
  const T = opts.windows.seqLen;
  const windowMode = resolveWindowMode(opts.windows);
  const tooLong = seqLenIssue(T, model.config, "the proxy");
  if (tooLong) throw new MixlabError("EMBED_BAD_OPTION", `embedding window length ${tooLong}`);
  const want = configForCorpus(model.config, corpus).vocabSize;
  if (model.config.vocabSize !== want) {
    throw new MixlabError("EMBED_VOCAB_MISMATCH", `the proxy has a vocabulary of ${model.config.vocabSize} tokens, the corpus's ${corpus.manifest.tokenizer ? `tokenizer ${corpus.manifest.tokenizer.file}` : "bytes"} need ${want} (configForCorpus): train the proxy on this corpus`);
  }
  const t0 = performance.now();
  const own = opts.engine ? null : await createEngine(model.config, opts.backend);
  const engine = opts.engine ?? own!.engine;
  try {
    const rows = domains.map((d) => embedDomainWindows(engine, model, sampleDomainWindows(corpus, d, opts.windows), { ...opts, layer }));
    return {
      domains: [...domains],
      embeddings: rows.map((r) => r.embedding),
      layer,
      windowsPerDomain: opts.windows.windowsPerDomain,
      seqLen: T,
      windowMode,
      includePadding: opts.includePadding ?? false,
      uniqueWindows: rows.map((r) => r.uniqueWindows),
      realTokens: rows.map((r) => r.realTokens),
      forwardTokens: rows.reduce((a, r) => a + r.forwardTokens, 0),
      flops: rows.reduce((a, r) => a + r.flops, 0),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    own?.engine.dispose();
  }
}
