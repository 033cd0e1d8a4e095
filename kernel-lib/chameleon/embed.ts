/**
 * Chameleon step 2 — domain embeddings xᵢ from the frozen proxy.
 *
 * For every window (`windows.ts`) the proxy's residual stream after layer ℓ is read, ℓ =
 * len(hidden_states) // 2 = ⌊(L+1)/2⌋ counting the embedding output as layer 0 (official
 * `hidden_states[len//2]`). Each window's states are averaged over its tokens — over the real
 * tokens only (masked mean, default) or over all T positions including padding (`includePadding`,
 * what the official code does: it never passes the attention mask to the mean). Windows whose
 * embeddings are bit-identical are kept once (official `np.unique(axis=0)`: repeated boilerplate
 * or an EOS-only window would otherwise count many times), and the domain embedding is the mean
 * of the unique window embeddings.
 *
 * Shapes: windows tokens [n, T] → hidden [B, T, d] per engine call → window embeddings [n, d]
 * → unique [u, d] → xᵢ [d]. Over k domains: X [k, d], the input of steps 3–5.
 */
import type { Corpus } from "../data/corpus.js";
import { createEngine, type BackendChoice } from "../model/backend.js";
import type { GptEngine } from "../model/engine.js";
import type { GptModel } from "../model/params.js";
import { MixlabError } from "../util/errors.js";
import { embeddingFlops } from "./cost.js";
import { sampleDomainWindows, type DomainWindows, type WindowOptions } from "./windows.js";

/** How window states become a domain embedding. */
export interface EmbedOptions {
  /** residual state to read: 0 = embedding output, l = after block l; default ⌊(L+1)/2⌋ */
  layer?: number;
  /** average over padded positions too (official code; default false = masked mean) */
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

/**
 * Per-window embeddings: the layer's hidden state pooled over each window's tokens.
 * windows [n, T] → rows [n][d] (Float64Array each). A window with no real token (all padding)
 * under the masked mean is an error (`EMBED_BAD_WINDOWS`); the sampler never makes one.
 *
 * @example
 * const rows = windowEmbeddings(engine, model, sampleDomainWindows(corpus, "books", { windowsPerDomain: 8, seqLen: 64, seed: 1 }));
 * rows.length; // 8
 */
export function windowEmbeddings(engine: GptEngine, model: GptModel, w: DomainWindows, opts: EmbedOptions = {}): Float64Array[] {
  const layer = resolveLayer(model, opts.layer);
  const { windows: n, seqLen: T } = w;
  const d = model.config.dModel;
  if (T > model.config.blockSize) throw new MixlabError("EMBED_BAD_OPTION", `windows of ${T} tokens exceed the proxy's blockSize ${model.config.blockSize}`);
  if (w.tokens.length !== n * T || w.mask.length !== n * T) {
    throw new MixlabError("EMBED_BAD_WINDOWS", `${w.domain}: ${w.tokens.length} tokens / ${w.mask.length} mask entries for ${n} windows of ${T}`);
  }
  const bs = opts.batchSize ?? 16;
  if (!Number.isInteger(bs) || bs < 1) throw new MixlabError("EMBED_BAD_OPTION", `batchSize must be a positive integer, got ${bs}`);
  const out: Float64Array[] = [];
  for (let w0 = 0; w0 < n; w0 += bs) {
    const B = Math.min(bs, n - w0);
    const h = engine.hidden(model.params, w.tokens.subarray(w0 * T, (w0 + B) * T), B, T, layer); // [B, T, d]
    for (let b = 0; b < B; b++) {
      const m = w.mask.subarray((w0 + b) * T, (w0 + b + 1) * T);
      const pooled = new Float64Array(d);
      let count = 0;
      for (let t = 0; t < T; t++) {
        if (!opts.includePadding && !m[t]) continue;
        const o = (b * T + t) * d;
        for (let j = 0; j < d; j++) pooled[j] += h[o + j];
        count++;
      }
      if (count === 0) throw new MixlabError("EMBED_BAD_WINDOWS", `${w.domain}: window ${w0 + b} has no real token`);
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
  return { domain: w.domain, embedding: meanRows(kept), windows: w.windows, uniqueWindows: kept.length, realTokens };
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
  includePadding: boolean;
  /** per domain: windows left after dropping duplicates */
  uniqueWindows: number[];
  /** per domain: real tokens read */
  realTokens: number[];
  /** forward FLOPs spent (up to `layer`, padding included) */
  flops: number;
  seconds: number;
}

/**
 * Embed each domain with the frozen proxy (its parameters are only read). Domain i's windows
 * depend only on (domain, windows.seed), so embedding a subset gives the same rows as embedding
 * all domains at once.
 *
 * @example
 * const X = await embedDomains(proxy.model, corpus, corpus.domains, { windows: { windowsPerDomain: 64, seqLen: 64, seed: 1 } });
 * chameleonWeights(X).ptWeights;
 */
export async function embedDomains(model: GptModel, corpus: Corpus, domains: readonly string[], opts: EmbedDomainsOptions): Promise<DomainEmbeddingSet> {
  const layer = resolveLayer(model, opts.layer);
  const T = opts.windows.seqLen;
  if (T > model.config.blockSize) throw new MixlabError("EMBED_BAD_OPTION", `embedding windows of ${T} tokens exceed the proxy's blockSize ${model.config.blockSize}`);
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
      includePadding: opts.includePadding ?? false,
      uniqueWindows: rows.map((r) => r.uniqueWindows),
      realTokens: rows.map((r) => r.realTokens),
      flops: embeddingFlops(model.config, domains.length * opts.windows.windowsPerDomain, T, layer),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    own?.engine.dispose();
  }
}
