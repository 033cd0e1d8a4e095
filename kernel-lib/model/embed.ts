import { MixlabError } from "../util/errors.js";
import type { GptEngine } from "./engine.js";
import type { GptModel } from "./params.js";

/** Fixed windows of one domain: a ValidationSet ([n, T+1]) or plain [n, T] inputs. */
export interface TokenWindows {
  tokens: Int32Array;
  windows: number;
  seqLen: number;
}

export interface EmbeddingOptions {
  /**
   * Which residual state: 0 = embedding output, l = after block l. Default ⌊(L+1)/2⌋ — Chameleon's
   * `hidden_states[len(hidden_states)//2]`, counting the embedding output.
   */
  layer?: number;
  /** "mean" over (unmasked) tokens (Chameleon), or the "last" token's state */
  pooling?: "mean" | "last";
  /** [n, T] 1 = real token, 0 = padding; default all real */
  mask?: Uint8Array;
  /** windows per engine call (default 16) */
  batchSize?: number;
}

/**
 * A domain's embedding: the chosen layer's hidden state, pooled over each window's tokens
 * (mean with the padding mask, or last real token), averaged over windows → Float32Array [d].
 * Deterministic: same model (seed) and windows give the same vector.
 *
 * @example
 * const sets = validationSets(corpus, { seqLen: 64, windowsPerDomain: 32 });
 * const e = domainEmbedding(engine, model, sets[0]); // Float32Array(dModel)
 */
export function domainEmbedding(engine: GptEngine, model: GptModel, w: TokenWindows, opts: EmbeddingOptions = {}): Float32Array {
  const c = model.config;
  const layer = opts.layer ?? Math.floor((c.nLayer + 1) / 2);
  if (!Number.isInteger(layer) || layer < 0 || layer > c.nLayer) throw new MixlabError("MODEL_BAD_LAYER", `layer must be in 0..${c.nLayer}, got ${layer}`);
  const T = w.seqLen, n = w.windows, d = c.dModel;
  const stride = w.tokens.length === n * (T + 1) ? T + 1 : w.tokens.length === n * T ? T : -1;
  if (stride < 0) throw new MixlabError("EMBED_BAD_WINDOWS", `${w.tokens.length} tokens do not make ${n} windows of ${T} (or ${T + 1})`);
  if (n < 1) throw new MixlabError("EMBED_BAD_WINDOWS", "no windows to embed");
  if (opts.mask && opts.mask.length !== n * T) throw new MixlabError("EMBED_BAD_WINDOWS", `mask has ${opts.mask.length} entries, expected ${n * T}`);
  const pooling = opts.pooling ?? "mean";
  const bs = opts.batchSize ?? 16;
  const acc = new Float64Array(d);
  let used = 0;
  for (let w0 = 0; w0 < n; w0 += bs) {
    const B = Math.min(bs, n - w0);
    const inputs = new Int32Array(B * T);
    for (let b = 0; b < B; b++) inputs.set(w.tokens.subarray((w0 + b) * stride, (w0 + b) * stride + T), b * T);
    const h = engine.hidden(model.params, inputs, B, T, layer); // [B, T, d]
    for (let b = 0; b < B; b++) {
      const mrow = opts.mask?.subarray((w0 + b) * T, (w0 + b + 1) * T);
      const pooled = new Float64Array(d);
      let count = 0;
      if (pooling === "last") {
        let t = T - 1;
        if (mrow) while (t >= 0 && !mrow[t]) t--;
        if (t >= 0) { for (let j = 0; j < d; j++) pooled[j] = h[(b * T + t) * d + j]; count = 1; }
      } else {
        for (let t = 0; t < T; t++) {
          if (mrow && !mrow[t]) continue;
          const o = (b * T + t) * d;
          for (let j = 0; j < d; j++) pooled[j] += h[o + j];
          count++;
        }
        if (count) for (let j = 0; j < d; j++) pooled[j] /= count;
      }
      if (!count) continue; // a fully padded window contributes nothing
      for (let j = 0; j < d; j++) acc[j] += pooled[j];
      used++;
    }
  }
  if (!used) throw new MixlabError("EMBED_BAD_WINDOWS", "every window is fully masked");
  return Float32Array.from(acc, (v) => v / used);
}
